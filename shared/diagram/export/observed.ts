/**
 * What was observed, for the "observed machine" variant of an export: how often each from→to was
 * seen and how it was judged, the time spent in each state, which states were seen. Built from a
 * check report (the command line) or a session model (the app). Pure.
 */
import type { Verdict } from "../../trace/observation";

export interface ObservedEdgeStats {
  from: string;
  to: string;
  count: number;
  verdict: Verdict | undefined;
}

export interface ObservedMachine {
  /** By `from\0to`. */
  edges: Map<string, ObservedEdgeStats>;
  /** Dwell percentiles per state (ms). */
  dwell: Map<string, { p50: number; p95: number; count: number }>;
  /** States some instance was seen in. */
  seen: Set<string>;
  /** Where it was read from (shown only when asked: paths and hosts stay out by default). */
  sources: string[];
}

export const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export function emptyObserved(): ObservedMachine {
  return { edges: new Map(), dwell: new Map(), seen: new Set(), sources: [] };
}

/** Adds `count` sightings of from→to with the verdict last seen. */
export function addObservedEdge(o: ObservedMachine, from: string, to: string, count: number, verdict: Verdict | undefined): void {
  const k = pairKey(from, to);
  const prev = o.edges.get(k);
  o.edges.set(k, { from, to, count: (prev?.count ?? 0) + count, verdict: verdict ?? prev?.verdict });
  o.seen.add(from);
  o.seen.add(to);
}

/** A compact duration: 850 ms, 12 s, 4.2 min, 3.1 h. */
export function shortDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
