/**
 * Per-instance statistics of a trace: how long each state lasted (dwell: count, p50, p95, max)
 * and how often each transition was taken. Durations only count where the trace is continuous
 * and both ends have a time.
 */
export interface DwellStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

export function summarize(durations: readonly number[]): DwellStats {
  const sorted = [...durations].sort((a, b) => a - b);
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

export function edgeKey(from: string, to: string): string {
  return `${from}->${to}`;
}

interface Acc {
  enteredMs?: number;
  dwell: Map<string, number[]>;
  edges: Map<string, number>;
}

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

  /** Record a transition. `continuous`: the trace had no gap since the instance entered `from`. */
  transition(instance: string, from: string, to: string, tsMs: number | undefined, continuous: boolean): void {
    const a = this.get(instance);
    const key = edgeKey(from, to);
    a.edges.set(key, (a.edges.get(key) ?? 0) + 1);
    if (continuous && tsMs !== undefined && a.enteredMs !== undefined && tsMs >= a.enteredMs) {
      const list = a.dwell.get(from) ?? [];
      list.push(tsMs - a.enteredMs);
      a.dwell.set(from, list);
    }
    if (tsMs !== undefined) a.enteredMs = tsMs;
    else delete a.enteredMs;
  }

  /** The instance is (now) in some state since `tsMs` (a state file, a first row). */
  entered(instance: string, tsMs: number | undefined): void {
    const a = this.get(instance);
    if (tsMs !== undefined) a.enteredMs = tsMs;
    else delete a.enteredMs;
  }

  dwell(instance: string): Record<string, DwellStats> {
    const out: Record<string, DwellStats> = {};
    for (const [state, list] of this.acc.get(instance)?.dwell ?? []) out[state] = summarize(list);
    return out;
  }

  edges(instance: string): Record<string, number> {
    return Object.fromEntries(this.acc.get(instance)?.edges ?? []);
  }
}
