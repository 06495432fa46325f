/**
 * Per-instance statistics of a trace: how long each state lasted (dwell: count, p50, p95, max)
 * and how often each transition was taken. Durations only count where the trace is continuous
 * and both ends have a time.
 */
import { dict, type Dict } from "../dict";

export interface DwellStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

export function summarize(durations: readonly number[]): DwellStats {
  // A typed array sorts numbers as numbers, without a comparison function.
  const sorted = Float64Array.from(durations).sort();
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** `%` and `>` in a name, escaped: "->" then only ever separates the two names of a key. */
const escapeName = (name: string): string => (name.includes("%") || name.includes(">") ? name.replace(/%/g, "%25").replace(/>/g, "%3E") : name);
const unescapeName = (name: string): string => name.replace(/%3E/g, ">").replace(/%25/g, "%");

/**
 * The one key of a from→to pair: `WAKE->DROWSY` (names with `%` or `>` escaped, so a state named
 * "a->b" cannot be read as two). The diagram's edge ids and the `data-edge` attribute use it.
 */
export function edgeKey(from: string, to: string): string {
  return `${escapeName(from)}->${escapeName(to)}`;
}

/** The pair an edgeKey was made of. */
export function parseEdgeKey(key: string): { from: string; to: string } {
  const at = key.indexOf("->");
  return { from: unescapeName(key.slice(0, at)), to: unescapeName(key.slice(at + 2)) };
}

interface Acc {
  dwell: Map<string, number[]>;
  edges: Map<string, number>;
}

/** Per-instance totals of a judged trace (TraceAccumulator gives each transition's dwell). */
export class TraceStats {
  private readonly acc = new Map<string, Acc>();

  private get(instance: string): Acc {
    let a = this.acc.get(instance);
    if (!a) {
      a = { dwell: new Map(), edges: new Map() };
      this.acc.set(instance, a);
    }
    return a;
  }

  /** Record a transition, and the time spent in `from` (and, in a statechart, in each container it leaves) when the trace shows it. */
  transition(instance: string, from: string, to: string, dwellMs: number | undefined, containerDwell?: Readonly<Record<string, number>>): void {
    const a = this.get(instance);
    const key = edgeKey(from, to);
    a.edges.set(key, (a.edges.get(key) ?? 0) + 1);
    const add = (state: string, ms: number): void => {
      const list = a.dwell.get(state);
      if (list) list.push(ms);
      else a.dwell.set(state, [ms]);
    };
    if (dwellMs !== undefined) add(from, dwellMs);
    if (containerDwell) for (const [state, ms] of Object.entries(containerDwell)) add(state, ms);
  }

  dwell(instance: string): Dict<DwellStats> {
    return dict([...(this.acc.get(instance)?.dwell ?? [])].map(([state, list]) => [state, summarize(list)] as const));
  }

  edges(instance: string): Dict<number> {
    return dict(this.acc.get(instance)?.edges ?? []);
  }
}
