/**
 * A JavaScript pattern compiled into the program a backtracking engine runs (characters, ordered
 * choices, `$`, match), for linear-native.ts to analyse. Anything the analysis does not model
 * (lookaround, backreferences, \\b, a `^` that is not the very first thing, empty-matching loop
 * bodies, programs over MAX_INSTS) throws NotEligible.
 */
import type { AST } from "@eslint-community/regexpp";
import { DIGIT, DOT, SPACE, WORD, charSet, complement, union, type CharSet } from "./charset";
import { nullable } from "./nullable";

export type Inst = { op: "char"; set: CharSet; next: number } | { op: "split"; a: number; b: number } | { op: "eol"; next: number } | { op: "match" };

/** A place the engine may go next: a character position, "match" (success), or "match at the end". */
export type Target = number | "acc" | "end";

/** Largest program analysed (a pattern with big repeat counts is left to RE2). */
export const MAX_INSTS = 600;
/** Most choices after one character that are analysed. */
const MAX_CHOICES = 64;

/** The pattern is outside what the analysis models. */
export class NotEligible extends Error {}

export function no(): never {
  throw new NotEligible();
}

export class Program {
  readonly insts: Inst[] = [{ op: "match" }];
  anchored = false;

  push(i: Inst): number {
    if (this.insts.length >= MAX_INSTS) no();
    this.insts.push(i);
    return this.insts.length - 1;
  }

  disjunction(alts: readonly AST.Alternative[], next: number, top = false): number {
    const entries = alts.map((a) => this.alternative(a, next, top && alts.length === 1));
    let entry = entries[entries.length - 1] ?? next;
    for (let i = entries.length - 2; i >= 0; i--) entry = this.push({ op: "split", a: entries[i] as number, b: entry });
    return entry;
  }

  private alternative(alt: AST.Alternative, next: number, canAnchor: boolean): number {
    let cur = next;
    const els = alt.elements;
    for (let i = els.length - 1; i >= 0; i--) {
      const el = els[i] as AST.Element;
      if (el.type === "Assertion" && el.kind === "start" && i === 0 && canAnchor) this.anchored = true;
      else cur = this.element(el, cur);
    }
    return cur;
  }

  private element(el: AST.Element, next: number): number {
    switch (el.type) {
      case "Character":
        return this.push({ op: "char", set: charSet([[el.value, el.value]]), next });
      case "CharacterSet":
      case "CharacterClass":
        return this.push({ op: "char", set: setOf(el), next });
      case "Group":
      case "CapturingGroup":
        return this.disjunction(el.alternatives, next);
      case "Quantifier":
        return this.quantifier(el, next);
      case "Assertion":
        return el.kind === "end" ? this.push({ op: "eol", next }) : no();
      default:
        return no();
    }
  }

  private quantifier(q: AST.Quantifier, next: number): number {
    if (q.max > 1 && nullable(q.element)) no();
    const split = (body: number, exit: number): number => this.push(q.greedy ? { op: "split", a: body, b: exit } : { op: "split", a: exit, b: body });
    let cur = next;
    if (q.max === Infinity) {
      const loop = this.push({ op: "split", a: next, b: next });
      const body = this.element(q.element, loop);
      this.insts[loop] = q.greedy ? { op: "split", a: body, b: next } : { op: "split", a: next, b: body };
      cur = loop;
    } else {
      for (let i = q.min; i < q.max; i++) cur = split(this.element(q.element, cur), next);
    }
    for (let i = 0; i < q.min; i++) cur = this.element(q.element, cur);
    return cur;
  }
}

function setOf(el: AST.CharacterSet | AST.CharacterClass): CharSet {
  if (el.type === "CharacterSet") {
    if (el.kind === "any") return DOT;
    if (el.kind === "property") return no();
    const base = el.kind === "digit" ? DIGIT : el.kind === "word" ? WORD : SPACE;
    return el.negate ? complement(base) : base;
  }
  const parts: CharSet[] = el.elements.map((e) => {
    if (e.type === "Character") return charSet([[e.value, e.value]]);
    if (e.type === "CharacterClassRange") return charSet([[e.min.value, e.max.value]]);
    if (e.type === "CharacterSet") return setOf(e);
    return no();
  });
  const set = union(...parts);
  return el.negate ? complement(set) : set;
}

/** What the engine tries from instruction `i`, in order, up to the next character read. */
export function closure(p: Program, i: number, out: Target[] = []): Target[] {
  const inst = p.insts[i] as Inst;
  if (out.length > MAX_CHOICES) no();
  switch (inst.op) {
    case "char":
      out.push(i);
      break;
    case "match":
      out.push("acc");
      break;
    case "split":
      closure(p, inst.a, out);
      closure(p, inst.b, out);
      break;
    case "eol":
      // `$` is analysed only where nothing but the end of the pattern follows it.
      if (!closure(p, inst.next).every((t) => t === "acc")) no();
      out.push("end");
      break;
  }
  return out;
}
