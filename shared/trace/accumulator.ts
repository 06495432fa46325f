/**
 * The one judgement of a trace, used by `check`, live sessions and replay alike, so they can never
 * disagree: each transition's verdict (ConformanceTracker) and how long the instance stayed in the
 * state it leaves (dwell) — counted only where the trace really entered that state: the previous
 * transition (or, for sampled sources, the snapshot) put the instance in `from`, the trace is
 * continuous, and both ends have a time.
 */
import { normalize, type NormalizedMachine } from "../machine/normalize";
import type { Profile } from "../profiles/profile";
import { ConformanceTracker, type TrackerOptions } from "./conformance";
import type { NewObservation, Verdict } from "./observation";
import { parseIsoMs } from "./time";
import { ancestors, parseConfiguration } from "../machine/chart";
import { dict, type Dict } from "../dict";

export interface Judgement {
  verdict: Verdict;
  /** Time spent in `from` before this transition, when the trace shows it. */
  dwellMs?: number;
  /** Statecharts: the containers this transition leaves (compound and parallel states around `from` that `to` is not in), with the time spent in each. */
  containerDwell?: Dict<number>;
}

export type AccumulatorOptions = TrackerOptions;

interface Entered {
  state: string;
  ms?: number;
}

/**
 * The accumulator a profile's trace is judged with: its gap limit, and for `sampled` sources
 * (snapshots) missed steps read as gaps. `machine`: the profile's machine, normalized already.
 */
export function profileTrace(profile: Pick<Profile, "machine" | "gapAfterMs">, sampled: boolean, machine: NormalizedMachine = normalize(profile.machine)): TraceAccumulator {
  const gapAfterMs = profile.gapAfterMs;
  return new TraceAccumulator(machine, { sampled, ...(gapAfterMs !== undefined ? { gapAfterMs } : {}) });
}

export class TraceAccumulator {
  private readonly tracker: ConformanceTracker;
  /** Per instance: the state the trace put it in, and when. */
  private readonly entered = new Map<string, Entered>();
  /** Statecharts, per instance: when the trace entered each container it is in. */
  private readonly containers = new Map<string, Map<string, number>>();

  constructor(
    private readonly machine: NormalizedMachine,
    private readonly opts: AccumulatorOptions = {},
  ) {
    this.tracker = new ConformanceTracker(machine, opts);
  }

  /** The containers around a state or configuration (compound and parallel states, outermost last). */
  private containersOf(state: string): Set<string> {
    const chart = this.machine.chart;
    const out = new Set<string>();
    if (!chart) return out;
    for (const p of parseConfiguration(chart, state) ?? []) {
      if (chart.nodes[p]?.children.length) out.add(p);
      for (const a of ancestors(chart, p)) out.add(a);
    }
    return out;
  }

  /** Time in each container `from` leaves for `to`; containers entered start now. */
  private judgeContainers(instance: string, from: string, to: string, tsMs: number | undefined, continuous: boolean): Dict<number> | undefined {
    if (!this.machine.chart) return undefined;
    const known = this.containers.get(instance) ?? new Map<string, number>();
    const before = this.containersOf(from);
    const after = this.containersOf(to);
    let out: Dict<number> | undefined;
    for (const c of before) {
      if (after.has(c)) continue;
      const since = known.get(c);
      if (continuous && since !== undefined && tsMs !== undefined && tsMs >= since) (out ??= dict())[c] = tsMs - since;
      known.delete(c);
    }
    for (const c of after) {
      if (before.has(c) && known.has(c) && continuous) continue;
      if (tsMs !== undefined) known.set(c, tsMs);
      else known.delete(c);
    }
    this.containers.set(instance, known);
    return out;
  }

  /** Whether state observations (snapshots) are part of the trace, not a second opinion beside a log. */
  get sampled(): boolean {
    return this.opts.sampled === true;
  }

  /**
   * Judges one observation in trace order: a transition gets its verdict (and dwell); a snapshot of
   * a sampled source and a gap warning move the trace; anything else leaves it as it is. `tsMs` is
   * `o.ts` parsed, when the caller has it already.
   */
  observe(o: NewObservation, tsMs: number | undefined = o.ts !== undefined ? parseIsoMs(o.ts) : undefined): Judgement | undefined {
    switch (o.kind) {
      case "transition":
        return this.transition(o.instance, o.from, o.to, tsMs);
      case "state":
        // Beside a log, a state file is a second opinion (rewritten before its log line), not the trace.
        if (this.sampled) this.state(o.instance, o.state, msOf(o.since ?? o.ts));
        return undefined;
      case "warning":
        if (o.code === "gap" && !o.cleared) this.gap(o.instance);
        return undefined;
      default:
        return undefined;
    }
  }

  transition(instance: string, from: string, to: string, tsMs: number | undefined): Judgement {
    const continuous = this.tracker.continuous(instance, tsMs);
    const verdict = this.tracker.transition(instance, from, to, tsMs);
    const before = this.entered.get(instance);
    const out: Judgement = { verdict };
    if (
      continuous &&
      verdict !== "gap" &&
      verdict !== "from-mismatch" &&
      before?.state === from &&
      before.ms !== undefined &&
      tsMs !== undefined &&
      tsMs >= before.ms
    ) {
      out.dwellMs = tsMs - before.ms;
    }
    const containerDwell = this.judgeContainers(instance, from, to, tsMs, continuous && verdict !== "gap" && verdict !== "from-mismatch");
    if (containerDwell) out.containerDwell = containerDwell;
    this.entered.set(instance, tsMs !== undefined ? { state: to, ms: tsMs } : { state: to });
    return out;
  }

  /** A snapshot says the instance is in `state` since `sinceMs` (for sampled sources, part of the trace). */
  state(instance: string, state: string, sinceMs: number | undefined): void {
    this.tracker.state(instance, state, sinceMs);
    const before = this.entered.get(instance);
    // The same state again keeps the time it was entered; a new one starts now (or when the snapshot says).
    if (before?.state === state && before.ms !== undefined && sinceMs === undefined) return;
    this.entered.set(instance, sinceMs !== undefined ? { state, ms: sinceMs } : { state });
  }

  /** A break in one instance's trace, or in every instance's when none is named. */
  gap(instance?: string): void {
    this.tracker.gap(instance);
    if (instance === undefined) {
      this.entered.clear();
      this.containers.clear();
    } else {
      this.entered.delete(instance);
      this.containers.delete(instance);
    }
  }

  current(instance: string): string | undefined {
    return this.tracker.current(instance);
  }
}

function msOf(ts: string | undefined): number | undefined {
  return ts !== undefined ? parseIsoMs(ts) : undefined;
}
