/**
 * Names that come from users (instance ids, state names) made safe for where a sandbox writes
 * them: one file-name segment, or one whitespace-free token of a text log line. A name that had to
 * change gets a short hash of the original, so two different names never become the same one.
 * Pure.
 */

/** FNV-1a over the UTF-16 code units, as 8 hex digits: a short, stable tag of a name. */
export function nameHash(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

const FILE_UNSAFE = /[^A-Za-z0-9._-]/g;
const MAX_FILE_NAME = 64;

/**
 * A name usable as one file-name segment on any system: letters, digits, `.`, `_`, `-` only; never
 * empty, never starting with a dot (so never `.` or `..`, never hidden), at most 64 characters.
 * `fix-cache` stays `fix-cache`; `../x` becomes `_.._x-<hash>`; `/etc/passwd` becomes
 * `_etc_passwd-<hash>`.
 */
export function fileSafeName(name: string): string {
  let safe = name.replace(FILE_UNSAFE, "_");
  if (safe.startsWith(".")) safe = `_${safe}`;
  if (safe === "") safe = "_";
  if (safe === name && safe.length <= MAX_FILE_NAME) return safe;
  const tag = `-${nameHash(name)}`;
  return `${safe.slice(0, MAX_FILE_NAME - tag.length)}${tag}`;
}

// Whitespace, controls, format characters and separators: anything that could end a token or a line.
const TOKEN_UNSAFE = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A name as one token of a text log line (`Starting new lease: <id>`): no whitespace, no line
 * break, no control or invisible character. Unchanged when it already is one; else those
 * characters become `_` and `~<hash>` is added.
 */
export function logToken(name: string): string {
  const safe = name.replace(TOKEN_UNSAFE, "_");
  if (safe === name && safe !== "") return safe;
  return `${safe === "" ? "_" : safe}~${nameHash(name)}`;
}
