import { ANY_STATE, declaresTransition, isMachineState, machineIndex, type NormalizedMachine } from "../machine/normalize";
import type { Verdict } from "./observation";
import { isWithin, parseConfiguration, type ChartInfo } from "../machine/chart";

/**
 * The verdict on one observed transition, given the state the trace had before it
 * (undefined at the start of a trace, or after a gap).
 */
export function classifyTransition(m: NormalizedMachine, previous: string | undefined, from: string, to: string): Verdict {
  if (!isMachineState(m, from) || !isMachineState(m, to)) return "unknown-state";
  if (previous !== undefined && previous !== from && !(m.chart && sameStateAtSomeLevel(m.chart, previous, from))) return "from-mismatch";
  return declaresTransition(m, from, to) ? "declared" : "undeclared";
}

/** Statecharts: a log may name a container where the trace before named a state inside it (or the reverse). */
function sameStateAtSomeLevel(chart: ChartInfo, a: string, b: string): boolean {
  const pa = parseConfiguration(chart, a) ?? [];
  const pb = parseConfiguration(chart, b) ?? [];
  return pa.length > 0 && pa.length === pb.length && pa.every((x) => pb.some((y) => isWithin(x, y) || isWithin(y, x)));
}

/** States reachable from each state through declared transitions (root-level ones included). */
export function reachability(m: NormalizedMachine): Map<string, Set<string>> {
  const next = new Map<string, Set<string>>(m.states.map((s) => [s, new Set<string>()]));
  for (const e of m.edges) {
    if (e.targetless) continue;
    const finals = machineIndex(m).finals;
    const froms = e.from === ANY_STATE ? m.states.filter((s) => !finals.has(s)) : [e.from];
    for (const f of froms) next.get(f)?.add(e.to);
  }
  const out = new Map<string, Set<string>>();
  for (const s of m.states) {
    const seen = new Set<string>();
    const queue = [...(next.get(s) ?? [])];
    while (queue.length) {
      const x = queue.pop() as string;
      if (seen.has(x)) continue;
      seen.add(x);
      queue.push(...(next.get(x) ?? []));
    }
    out.set(s, seen);
  }
  return out;
}

export interface TrackerOptions {
  /** A time jump longer than this between two records of an instance breaks continuity. */
  gapAfterMs?: number;
  /**
   * For sampled sources (snapshots): a from→to that is not one declared transition but is reachable
   * through declared ones means steps were missed between samples — a gap, not an undeclared move.
   */
  sampled?: boolean;
}

interface InstanceTrack {
  previous?: string;
  lastMs?: number;
  /** Continuity is broken until the next transition (file rotated, truncated, program restarted). */
  broken: boolean;
}

/**
 * Follows each instance's trace and classifies its transitions: declared, undeclared,
 * from-mismatch, unknown-state, or gap (the trace is discontinuous right there: a rotated or
 * truncated file, a restart, a long time jump, steps missed between snapshots). A transition
 * after a discontinuity whose `from` still matches is judged normally.
 */
export class ConformanceTracker {
  private readonly tracks = new Map<string, InstanceTrack>();
  private reach: Map<string, Set<string>> | undefined;

  constructor(
    private readonly machine: NormalizedMachine,
    private readonly opts: TrackerOptions = {},
  ) {}

  private track(instance: string): InstanceTrack {
    let t = this.tracks.get(instance);
    if (!t) {
      t = { broken: false };
      this.tracks.set(instance, t);
    }
    return t;
  }

  /** A discontinuity for one instance, or for every instance when none is named. */
  gap(instance?: string): void {
    if (instance !== undefined) this.track(instance).broken = true;
    else for (const t of this.tracks.values()) t.broken = true;
  }

  /** The instance is known to be in `state` (a state file, a row first seen, a snapshot). */
  state(instance: string, state: string, tsMs?: number): void {
    const t = this.track(instance);
    t.previous = state;
    if (tsMs !== undefined) t.lastMs = tsMs;
  }

  /** Whether the instance's trace is continuous up to a record at `tsMs`. */
  continuous(instance: string, tsMs?: number): boolean {
    const t = this.tracks.get(instance);
    if (!t || t.broken) return false;
    const limit = this.opts.gapAfterMs;
    return !(limit !== undefined && tsMs !== undefined && t.lastMs !== undefined && tsMs - t.lastMs > limit);
  }

  transition(instance: string, from: string, to: string, tsMs?: number): Verdict {
    const continuous = this.continuous(instance, tsMs);
    const t = this.track(instance);
    let verdict = classifyTransition(this.machine, t.previous, from, to);
    if (verdict === "from-mismatch" && !continuous) verdict = "gap";
    if (verdict === "undeclared" && this.opts.sampled && this.reachable(from, to)) verdict = "gap";
    t.previous = to;
    t.broken = false;
    if (tsMs !== undefined) t.lastMs = tsMs;
    return verdict;
  }

  current(instance: string): string | undefined {
    return this.tracks.get(instance)?.previous;
  }

  private reachable(from: string, to: string): boolean {
    this.reach ??= reachability(this.machine);
    return this.reach.get(from)?.has(to) ?? false;
  }
}
