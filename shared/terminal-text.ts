/**
 * Text from watched files, shown in a terminal. A log line can hold escape sequences that rewrite
 * what is already on the screen (a verdict line), set the window title, or reorder text (Unicode
 * bidirectional overrides). Everything that came from a file is passed through one of these
 * before it is printed: control characters become visible escapes.
 */

/** C0 controls, DEL, C1 controls, line/paragraph separators and bidi embedding/override/isolate characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** What JSON.stringify leaves raw (its C0 escapes are done; a raw newline there is layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One piece of human-readable output (a state name, a message, a file name): control characters made visible. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * JSON for a terminal or a pipe: JSON.stringify escapes C0 controls already; this also escapes
 * DEL, C1 controls and bidi characters (as \uXXXX, so the document parses to the same value).
 */
export function terminalJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? "null").replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
