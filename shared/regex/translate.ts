/**
 * A JavaScript regular expression (as written in a profile, no flags) rewritten for RE2, a
 * linear-time engine, with the same meaning: every character class is spelled out as the code
 * ranges JavaScript gives it (`\s`, `.`, `\w` ...), capturing groups are numbered as JavaScript
 * numbers them and their names kept aside. What needs backtracking (backreferences, lookahead,
 * lookbehind) has no linear-time equivalent and is refused, with where and what to do instead.
 */
import { RegExpParser, type AST } from "@eslint-community/regexpp";
import { runsLinearlyNatively } from "./linear-native";
import { nullable } from "./nullable";
import { DIGIT, DOT, SPACE, WORD, charSet, complement, re2Class, splitsSurrogates, union, type CharSet } from "./charset";

/** Why a pattern is not accepted: a sentence, what to do, and the offset in the pattern. */
export interface RegexRefusal {
  /** "syntax": not a valid JavaScript pattern; "unsafe": valid, but it cannot run in linear time. */
  kind: "syntax" | "unsafe";
  message: string;
  hint: string;
  index: number;
}

export interface Translation {
  /** The pattern in RE2 syntax. */
  re2: string;
  /** Name of each capturing group by number (index 0 unused); undefined for an unnamed group. */
  groupNames: (string | undefined)[];
  /** Text every match contains: a line without it cannot match. */
  required?: string;
  /** For a pattern anchored with ^: the characters a match can start with. */
  firstChars?: CharSet;
  /** JavaScript's own engine runs it in linear time on a line without line terminators (linear-native.ts). */
  native: boolean;
}

/** Longest pattern read (a regular expression in a profile is a line or two). */
export const MAX_PATTERN_LENGTH = 1024;
/** RE2's largest repeat count. */
export const MAX_REPEAT = 1000;

class Refused extends Error {
  constructor(readonly refusal: RegexRefusal) {
    super(refusal.message);
  }
}

const parser = new RegExpParser({ ecmaVersion: 2022 });

export function translate(source: string): Translation | RegexRefusal {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { kind: "unsafe", message: `the pattern is ${source.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`, hint: "Match less of the line: a pattern only needs what tells its lines apart.", index: MAX_PATTERN_LENGTH };
  }
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: false, unicodeSets: false });
  } catch (e) {
    const index = typeof (e as { index?: unknown }).index === "number" ? (e as { index: number }).index : 0;
    const message = e instanceof Error ? e.message : String(e);
    return { kind: "syntax", message, hint: "Fix the pattern (JavaScript syntax); in JSON, write a backslash as \\\\.", index };
  }
  try {
    const w = new Writer();
    const re2 = w.disjunction(pattern.alternatives);
    const t: Translation = { re2, groupNames: w.names, native: runsLinearlyNatively(pattern) };
    const required = requiredText(pattern);
    if (required !== undefined) t.required = required;
    const first = anchoredFirst(pattern);
    if (first !== undefined) t.firstChars = first;
    return t;
  } catch (e) {
    if (e instanceof Refused) return e.refusal;
    throw e;
  }
}

function refuse(node: AST.Node, message: string, hint: string): never {
  throw new Refused({ kind: "unsafe", message, hint, index: node.start });
}

const HIGH = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const LOW = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

function literal(code: number): string {
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x20) return String.fromCharCode(code);
  return `\\x{${code.toString(16)}}`;
}

class Writer {
  readonly names: (string | undefined)[] = [undefined];
  /** Repetitions (max over 1) around the node being written. */
  private repeats = 0;

  disjunction(alternatives: readonly AST.Alternative[]): string {
    return alternatives.map((a) => this.alternative(a)).join("|");
  }

  private alternative(alt: AST.Alternative): string {
    let out = "";
    const els = alt.elements;
    for (let i = 0; i < els.length; i++) {
      const el = els[i] as AST.Element;
      const next = els[i + 1];
      if (el.type === "Character" && HIGH(el.value) && next?.type === "Character" && LOW(next.value)) {
        out += literal(0x10000 + ((el.value - 0xd800) << 10) + (next.value - 0xdc00));
        i++;
        continue;
      }
      out += this.element(el);
    }
    return out;
  }

  private element(el: AST.Element): string {
    switch (el.type) {
      case "Character":
        if (HIGH(el.value) || LOW(el.value)) {
          refuse(el, "a character outside the Basic Multilingual Plane (such as an emoji) is repeated or split here, and only whole characters are matched", "Wrap it in a group to repeat it, e.g. (?:😀)+, or write it as \\uD83D\\uDE00 only together.");
        }
        return literal(el.value);
      case "CharacterSet":
      case "CharacterClass":
        return re2Class(classSet(el));
      case "Group":
        return `(?:${this.disjunction(el.alternatives)})`;
      case "CapturingGroup": {
        if (el.name !== null && this.repeats > 0) {
          // JavaScript forgets a group's value when a later round does not set it; RE2 keeps it.
          refuse(el, `the named group "${el.name}" is inside a repetition, where what it holds after the last round is not well defined`, `Capture the whole repetition instead, e.g. (?<${el.name}>(?:...)+), or move the group out of it.`);
        }
        this.names.push(el.name ?? undefined);
        return `(${this.disjunction(el.alternatives)})`;
      }
      case "Quantifier":
        return this.quantifier(el);
      case "Assertion":
        return assertion(el);
      case "Backreference":
        return refuse(el, `the backreference ${el.raw} needs a backtracking engine, which can take exponential time on some lines`, "Capture the part and compare it afterwards, or match it literally.");
      case "ExpressionCharacterClass":
        return refuse(el, "set operations in classes are not supported", "Write the class as a list of ranges.");
    }
  }

  private quantifier(q: AST.Quantifier): string {
    if (q.min > MAX_REPEAT || (q.max !== Infinity && q.max > MAX_REPEAT)) {
      refuse(q, `the repeat count in ${q.raw} is over ${MAX_REPEAT}`, `Use a count up to ${MAX_REPEAT}, or + / * for "any number".`);
    }
    if (q.max > q.min && nullable(q.element)) {
      // JavaScript rejects a round that matches nothing and tries a longer one; RE2 accepts it.
      refuse(q, `the repeated part of ${q.raw} can match nothing, and then JavaScript and RE2 repeat it differently`, "Make what is repeated match at least one character (e.g. write (?:a+)? as a*), or drop the repetition.");
    }
    if (q.max > 1) this.repeats += 1;
    const body = this.element(q.element);
    if (q.max > 1) this.repeats -= 1;
    let count: string;
    if (q.min === 0 && q.max === Infinity) count = "*";
    else if (q.min === 1 && q.max === Infinity) count = "+";
    else if (q.min === 0 && q.max === 1) count = "?";
    else if (q.max === Infinity) count = `{${q.min},}`;
    else if (q.min === q.max) count = `{${q.min}}`;
    else count = `{${q.min},${q.max}}`;
    return `${body}${count}${q.greedy ? "" : "?"}`;
  }
}

function assertion(a: AST.Assertion): string {
  switch (a.kind) {
    case "start":
      return "^";
    case "end":
      return "$";
    case "word":
      return a.negate ? "\\B" : "\\b";
    case "lookahead":
    case "lookbehind": {
      const what = a.kind === "lookahead" ? (a.negate ? "(?!...)" : "(?=...)") : a.negate ? "(?<!...)" : "(?<=...)";
      return refuse(a, `the ${a.kind} ${what} needs a backtracking engine, which can take exponential time on some lines`, "Match the text itself (a capturing group can take just the part you need), or use two sources.");
    }
  }
}

/** The characters a character class, `.`, `\d`, `\w` or `\s` matches. */
function classSet(node: AST.CharacterClass | AST.CharacterSet): CharSet {
  let set: CharSet;
  if (node.type === "CharacterSet") {
    if (node.kind === "any") return DOT;
    if (node.kind === "property") return refuse(node, "Unicode property escapes (\\p{...}) need the u flag, which profiles do not set", "List the characters or ranges instead.");
    const base = node.kind === "digit" ? DIGIT : node.kind === "word" ? WORD : SPACE;
    return node.negate ? complement(base) : base;
  }
  const parts: CharSet[] = [];
  for (const e of node.elements) {
    if (e.type === "Character") parts.push(charSet([[e.value, e.value]]));
    else if (e.type === "CharacterClassRange") parts.push(charSet([[e.min.value, e.max.value]]));
    else if (e.type === "CharacterSet") parts.push(classSet(e));
    else refuse(e, "this kind of class member is not supported", "Write the class as a list of characters and ranges.");
  }
  set = union(...parts);
  if (node.negate) set = complement(set);
  if (splitsSurrogates(set)) {
    refuse(node, "a class holds a character outside the Basic Multilingual Plane (such as an emoji), which is two code units in JavaScript", "Write such characters outside the class, as alternatives: (?:😀|😁).");
  }
  return set;
}

/** Elements of a lone alternative, with unquantified one-alternative groups opened up. */
function flat(elements: readonly AST.Element[]): AST.Element[] {
  const out: AST.Element[] = [];
  for (const el of elements) {
    if ((el.type === "Group" || el.type === "CapturingGroup") && el.alternatives.length === 1) out.push(...flat((el.alternatives[0] as AST.Alternative).elements));
    else out.push(el);
  }
  return out;
}

/** The longest run of plain characters that every match holds, when there is one. */
function requiredText(pattern: AST.Pattern): string | undefined {
  if (pattern.alternatives.length !== 1) return undefined;
  let best = "";
  let run = "";
  for (const el of flat((pattern.alternatives[0] as AST.Alternative).elements)) {
    if (el.type === "Character") {
      run += String.fromCharCode(el.value);
      if (run.length > best.length) best = run;
    } else if (el.type !== "Assertion" || (el.kind !== "start" && el.kind !== "end")) run = "";
  }
  return best.length > 0 ? best : undefined;
}

/** For a pattern starting with ^, the characters its match can start with (undefined when unsure). */
function anchoredFirst(pattern: AST.Pattern): CharSet | undefined {
  if (pattern.alternatives.length !== 1) return undefined;
  const els = flat((pattern.alternatives[0] as AST.Alternative).elements);
  if (els[0]?.type !== "Assertion" || els[0].kind !== "start") return undefined;
  let el = els[1];
  if (el?.type === "Quantifier" && el.min >= 1) el = el.element;
  if (el?.type === "Character") return charSet([[el.value, el.value]]);
  if (el?.type === "CharacterSet" || el?.type === "CharacterClass") return classSet(el);
  return undefined;
}
