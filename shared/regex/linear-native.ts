/**
 * Whether JavaScript's own (backtracking) engine runs a pattern in time linear in the text, so the
 * fast built-in engine can be used instead of RE2 — a conservative proof that says no when unsure.
 *
 * The pattern is compiled into a backtracking program (regex-program.ts) and, for each character
 * position, the positions the engine may try next, in the order it tries them (an ordered Glushkov
 * automaton). The model assumes a text without line terminators (\n, \r, U+2028, U+2029; the
 * caller checks), where `.` matches every character. Then:
 * - a position is *safe* when a match is certain from it whatever text follows (it cannot fail);
 * - at every position, the unsafe positions tried next accept disjoint characters, so a failing
 *   search follows one path;
 * - an unsafe path that can run long before failing and is then rescued by a safe one is never
 *   repeated (its owner is not reachable again), so the rescues cost O(n) in all;
 * - a failing attempt is short (the unsafe part reachable from the start has no loop), or only one
 *   attempt is made (`^`), or the pattern starts with a literal holding a character that nothing
 *   after it can read (attempts cannot overlap).
 * The analysis itself is linear in the program's size (at most MAX_INSTS instructions).
 */
import type { AST } from "@eslint-community/regexpp";
import { DOT, complement, intersects, union, type CharSet } from "./charset";
import { NotEligible, Program, closure, no, type Target } from "./regex-program";

/** Most "unsafe try, then safe rescue" places analysed. */
const MAX_RESCUES = 32;

export function runsLinearlyNatively(pattern: AST.Pattern): boolean {
  try {
    return analyse(pattern);
  } catch (e) {
    if (e instanceof NotEligible) return false;
    throw e;
  }
}

interface Graph {
  states: number[];
  setAt: (s: number) => CharSet;
  /** What the engine tries after reading the character at a position, in order. */
  after: Map<number, Target[]>;
  /** What it tries at the start of an attempt. */
  first: Target[];
}

function graph(pattern: AST.Pattern): { g: Graph; anchored: boolean } {
  const p = new Program();
  const start = p.disjunction(pattern.alternatives, 0, true);
  const states: number[] = [];
  p.insts.forEach((inst, i) => inst.op === "char" && states.push(i));
  const setAt = (t: number): CharSet => (p.insts[t] as { set: CharSet }).set;
  const after = new Map<number, Target[]>(states.map((s) => [s, closure(p, (p.insts[s] as { next: number }).next)]));
  return { g: { states, setAt, after, first: closure(p, start) }, anchored: p.anchored };
}

const positions = (list: readonly Target[]): number[] => list.filter((t): t is number => typeof t === "number");

function analyse(pattern: AST.Pattern): boolean {
  const { g, anchored } = graph(pattern);
  const safe = safePositions(g);
  const unsafeSucc = (s: number): number[] => positions(g.after.get(s) ?? []).filter((t) => !safe.has(t));
  const allSucc = (s: number): number[] => positions(g.after.get(s) ?? []);
  const cycles = new Map<number, boolean>();
  const unsafeLoopFrom = (t: number): boolean => cycles.get(t) ?? (cycles.set(t, hasCycle([t], unsafeSucc)).get(t) as boolean);

  let rescues = 0;
  const lists: [number | "start", Target[]][] = [["start", g.first], ...g.after];
  for (const [owner, list] of lists) {
    const unsafe = positions(list).filter((t) => !safe.has(t));
    // A failing search follows one path: the unsafe choices read different characters.
    for (let i = 0; i < unsafe.length; i++) for (let j = i + 1; j < unsafe.length; j++) if (intersects(g.setAt(unsafe[i] as number), g.setAt(unsafe[j] as number))) return false;
    if (owner === "start") continue;
    // A long unsafe try rescued by a safe choice happens at most once per owner.
    list.forEach((t, i) => {
      if (typeof t !== "number" || safe.has(t)) return;
      const rescuers = list.slice(i + 1).filter((r) => r === "acc" || (typeof r === "number" && safe.has(r) && intersects(g.setAt(r), g.setAt(t))));
      if (rescuers.length === 0 || !unsafeLoopFrom(t)) return;
      if (++rescues > MAX_RESCUES) no();
      if (reach([t, ...positions(rescuers)], allSucc).has(owner)) no();
    });
  }

  if (anchored) return true;
  if (!hasCycle(positions(g.first).filter((t) => !safe.has(t)), unsafeSucc)) return true;
  return literalPrefixSeparates(g, safe, unsafeSucc);
}

/** Positions from which a match is certain (a greatest fixed point, by a worklist over predecessors). */
function safePositions(g: Graph): Set<number> {
  const preds = new Map<number, number[]>();
  for (const [s, list] of g.after) for (const t of positions(list)) (preds.get(t) ?? preds.set(t, []).get(t) ?? []).push(s);
  const safe = new Set(g.states);
  const holds = (s: number): boolean => {
    const next = g.after.get(s) ?? [];
    if (!next.some((t) => t === "acc" || t === "end")) return false;
    return next.includes("acc") || covers(union(...positions(next).filter((t) => safe.has(t)).map(g.setAt)), DOT);
  };
  const work = [...g.states];
  for (let s = work.pop(); s !== undefined; s = work.pop()) {
    if (!safe.has(s) || holds(s)) continue;
    safe.delete(s);
    for (const p of preds.get(s) ?? []) if (safe.has(p)) work.push(p);
  }
  return safe;
}

function covers(set: CharSet, wanted: CharSet): boolean {
  return complement(set).every(([lo, hi]) => !intersects([[lo, hi]], wanted));
}

function reach(from: number[], step: (s: number) => number[]): Set<number> {
  const seen = new Set<number>(from);
  const queue = [...from];
  for (let s = queue.pop(); s !== undefined; s = queue.pop()) {
    for (const t of step(s)) {
      if (seen.has(t)) continue;
      seen.add(t);
      queue.push(t);
    }
  }
  return seen;
}

/** Whether a loop can be reached from `from` (depth-first with colours, without recursion). */
function hasCycle(from: number[], step: (s: number) => number[]): boolean {
  const colour = new Map<number, "open" | "done">();
  for (const root of from) {
    if (colour.has(root)) continue;
    colour.set(root, "open");
    const stack: [number, number[], number][] = [[root, step(root), 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number[], number];
      if (top[2] >= top[1].length) {
        colour.set(top[0], "done");
        stack.pop();
        continue;
      }
      const t = top[1][top[2]++] as number;
      const c = colour.get(t);
      if (c === "open") return true;
      if (c === undefined) {
        colour.set(t, "open");
        stack.push([t, step(t), 0]);
      }
    }
  }
  return false;
}

/** The pattern starts with literal characters, one of which nothing unsafe after them can read. */
function literalPrefixSeparates(g: Graph, safe: Set<number>, unsafeSucc: (s: number) => number[]): boolean {
  const prefix: number[] = [];
  let list = g.first;
  for (;;) {
    const only = list[0];
    if (list.length !== 1 || typeof only !== "number" || safe.has(only) || prefix.includes(only)) break;
    const set = g.setAt(only);
    if (set.length !== 1 || (set[0] as readonly [number, number])[0] !== (set[0] as readonly [number, number])[1]) break;
    prefix.push(only);
    list = g.after.get(only) ?? [];
  }
  if (prefix.length === 0) return false;
  const rest = union(...[...reach(positions(list).filter((t) => !safe.has(t)), unsafeSucc)].map(g.setAt));
  return prefix.some((s) => !intersects(g.setAt(s), rest));
}
