/**
 * Count-based comparisons for the fault-injection suite: what a reader reported against what a
 * writer wrote (every line exactly once, in order), and `watch --json` against `check --json`
 * line for line. Results are small summaries (counts and the first few offenders), so a failure
 * on 80,000 lines prints something readable instead of a giant array diff.
 */
import path from "node:path";
import type { CheckJson, WatchJsonLine } from "./watch-cli";

export interface OnceSummary {
  seen: number;
  /** Numbers reported more than once (first 10), with how often. */
  duplicates: string[];
  /** Expected numbers never reported (first 10, and how many in all). */
  missing: string[];
  missingCount: number;
  /** Numbers reported that were not expected (first 10). */
  unexpected: number[];
  /** Places where a number came before a smaller one (first 10). */
  outOfOrder: string[];
}

/** Compare the numbers of what was reported (in report order) with the expected numbers (ascending). */
export function exactlyOnce(reported: readonly number[], expected: readonly number[]): OnceSummary {
  const want = new Set(expected);
  const count = new Map<number, number>();
  const outOfOrder: string[] = [];
  let prev = -Infinity;
  for (const [i, n] of reported.entries()) {
    count.set(n, (count.get(n) ?? 0) + 1);
    if (n <= prev && outOfOrder.length < 10) outOfOrder.push(`#${i}: ${n} after ${prev}`);
    prev = Math.max(prev, n);
  }
  const duplicates = [...count].filter(([, c]) => c > 1).slice(0, 10).map(([n, c]) => `${n} ×${c}`);
  const missingAll = expected.filter((n) => !count.has(n));
  const missing = missingAll.slice(0, 10).map(String);
  if (missingAll.length > 10) missing.push(`… ${missingAll.length} in all`);
  const unexpected = [...count.keys()].filter((n) => !want.has(n)).slice(0, 10);
  return { seen: reported.length, duplicates, missing, missingCount: missingAll.length, unexpected, outOfOrder };
}

/** What exactlyOnce returns when everything is right. */
export function perfect(expectedCount: number): OnceSummary {
  return { seen: expectedCount, duplicates: [], missing: [], missingCount: 0, unexpected: [], outOfOrder: [] };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** One transition as both commands print it: [file name, line, ts, from, to, event]. */
export type TraceRow = [string, number | null, string | null, string, string, string | null];

export function watchRows(lines: readonly WatchJsonLine[]): TraceRow[] {
  return lines.filter((l) => l.kind === "transition").map((l) => [path.basename(l.file ?? ""), l.line, l.ts, l.from ?? "", l.to ?? "", l.event ?? null]);
}

export function checkRows(report: CheckJson): TraceRow[] {
  return report.instances.flatMap((i) => i.transitions.map((t): TraceRow => [path.basename(t.file), t.line, t.ts, t.from, t.to, t.event]));
}

/** The first difference between two traces (undefined when equal), for a readable failure. */
export function firstDifference(a: readonly TraceRow[], b: readonly TraceRow[]): string | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(a[i] ?? null);
    const y = JSON.stringify(b[i] ?? null);
    if (x !== y) return `row ${i} of ${a.length} vs ${b.length}: ${x} vs ${y}`;
  }
  return undefined;
}

/** A short description of the bad-line / gap / other warnings a watch printed, for failure messages. */
export function describeWarnings(lines: readonly WatchJsonLine[], max = 8): string {
  const w = lines.filter((l) => l.kind === "warning");
  return w
    .slice(0, max)
    .map((l) => `${l.code}${l.cleared ? " (cleared)" : ""} ${path.basename(l.file ?? "")}:${l.line ?? ""} ${l.message ?? ""}`)
    .join("\n") + (w.length > max ? `\n… ${w.length} warnings in all` : "");
}
