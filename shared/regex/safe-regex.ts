/**
 * Regular expressions from files a user gives us (a profile's transitionRegex, tsPatterns ...),
 * run in time linear in the line's length whatever the pattern and the line. A backtracking engine
 * takes exponential time on `^(a+)+c$` against 50 a's; these take 50 steps.
 * - JavaScript's own engine runs the patterns proven linear for it (linear-native.ts: the built-in
 *   profiles' patterns are), on lines without line terminators, where the proof holds;
 * - every other pattern, and every line with a \r or U+2028/9, goes to re2js (a pure-JavaScript
 *   RE2, linear by construction), given the pattern rewritten with the same meaning (translate.ts);
 * - what neither can run in bounded time (backreferences, lookaround) is refused, with a reason
 *   and the offset in the pattern, when the profile is loaded.
 * Lines that cannot match (a literal the pattern needs is missing) skip both engines.
 */
import { RE2JS } from "re2js";
import { dict, type Dict } from "../dict";
import { contains, type CharSet } from "./charset";
import { translate, type RegexRefusal, type Translation } from "./translate";

export type { RegexRefusal } from "./translate";

export interface RegexMatch {
  /** Offset of the match in the text (UTF-16 code units, as String.prototype.slice counts). */
  index: number;
  /** The text matched. */
  text: string;
  /** Named groups (a null-prototype table); one that took no part in the match is absent or undefined. */
  groups: Dict<string>;
}

export class SafeRegex {
  private readonly required: string | undefined;
  private readonly firstChars: CharSet | undefined;
  private readonly named: [number, string][] = [];
  /** JavaScript's engine, when it is proven linear for this pattern (on lines without line terminators). */
  private readonly native: RegExp | undefined;

  constructor(
    /** The pattern as written. */
    readonly source: string,
    private readonly re2: RE2JS,
    translation: Translation,
    engine: RegexEngine = "auto",
  ) {
    this.required = translation.required;
    this.firstChars = translation.firstChars;
    if (translation.native && engine === "auto") this.native = new RegExp(source);
    translation.groupNames.forEach((name, i) => {
      if (name !== undefined) this.named.push([i, name]);
    });
  }

  /** Whether JavaScript's own engine runs this pattern (proven linear; lines with line terminators still go to RE2). */
  get usesNativeEngine(): boolean {
    return this.native !== undefined;
  }

  /** Names of the pattern's named groups. */
  get groupNames(): string[] {
    return this.named.map(([, name]) => name);
  }

  /** Cheap checks that rule a match out without running the engine. */
  private cannotMatch(text: string): boolean {
    if (this.required !== undefined && !text.includes(this.required)) return true;
    return this.firstChars !== undefined && (text.length === 0 || !contains(this.firstChars, text.charCodeAt(0)));
  }

  test(text: string): boolean {
    if (this.cannotMatch(text)) return false;
    return this.native && !hasTerminator(text) ? this.native.test(text) : this.re2.test(text);
  }

  /** The first match (leftmost, preferring what JavaScript would), or null. */
  exec(text: string): RegexMatch | null {
    if (this.cannotMatch(text)) return null;
    if (this.native && !hasTerminator(text)) return this.nativeExec(this.native, text);
    const m = this.re2.matcher(text);
    if (!m.find()) return null;
    const groups = dict<string>();
    for (const [i, name] of this.named) {
      const g = m.group(i);
      if (g !== null) groups[name] = g;
    }
    return { index: m.start(), text: m.group() ?? "", groups };
  }

  private nativeExec(re: RegExp, text: string): RegexMatch | null {
    const m = re.exec(text);
    if (!m) return null;
    // JavaScript's groups object has a null prototype already; a group that took no part holds undefined.
    return { index: m.index, text: m[0], groups: (m.groups as Dict<string> | undefined) ?? dict<string>() };
  }
}

/** Where the linear-time proof for JavaScript's engine does not hold (`.` does not match these). */
const TERMINATOR = /[\n\r\u2028\u2029]/;
let lastText: string | undefined;
let lastHas = false;

/** Whether the text holds a line terminator; remembers the last text (several patterns read each line). */
function hasTerminator(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastHas = TERMINATOR.test(text);
  }
  return lastHas;
}

export function isRefusal(x: SafeRegex | RegexRefusal): x is RegexRefusal {
  return !(x instanceof SafeRegex);
}

/** "auto": JavaScript's engine where it is proven linear, else RE2; "re2": always RE2 (tests compare the two). */
export type RegexEngine = "auto" | "re2";

/** Compile a pattern from a file, or say why it cannot be run safely (with its offset in the pattern). */
export function compileRegex(source: string, engine: RegexEngine = "auto"): SafeRegex | RegexRefusal {
  const t = translate(source);
  if (!("re2" in t)) return t;
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(t.re2);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { kind: "unsafe", message: `RE2 cannot run it (${why})`, hint: "Simplify it: fewer and smaller repeat counts.", index: 0 };
  }
  return new SafeRegex(source, re2, t, engine);
}

/** For guessing which profile a file belongs to: the pattern, or one that matches nothing when it is refused. */
export function regexOrNothing(source: string): { test(text: string): boolean } {
  const re = compileRegex(source);
  return isRefusal(re) ? { test: () => false } : re;
}
