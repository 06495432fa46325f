/**
 * What was observed, for the "observed machine" variant of an export: how often each from→to was
 * seen and how it was judged, the time spent in each state, which states were seen. Built from a
 * check report (the command line) or a session model (the app). Pure.
 */
import type { Verdict } from "../../trace/observation";
import { summarize } from "../../trace/stats";

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

/** A state's dwell from its observed stays (ms): the same p50/p95 as the app and `check` show. */
export function setDwell(o: ObservedMachine, state: string, stays: readonly number[]): void {
  const s = summarize(stays);
  o.dwell.set(state, { p50: s.p50Ms, p95: s.p95Ms, count: s.count });
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
