/**
 * The result of `fsm-inspector check`, as printed with --json (documented in the README; keep it
 * stable: add fields, never rename).
 */
import type { DwellStats } from "../../../shared/trace/stats";

export interface CheckTransition {
  index: number;
  file: string;
  line: number | null;
  ts: string | null;
  from: string;
  to: string;
  event: string | null;
  /** "log" when the artifact named the event, "machine" when the only declared event for from→to was assumed. */
  eventFrom: "log" | "machine" | null;
  verdict: "declared" | "undeclared" | "from-mismatch" | "unknown-state" | "gap";
}

export interface CheckEvent {
  file: string;
  line: number | null;
  ts: string | null;
  name: string;
}

export interface CheckCounts {
  declared: number;
  undeclared: number;
  fromMismatch: number;
  unknownState: number;
  gap: number;
}

export interface CheckInstance {
  id: string;
  finalState: string | null;
  transitions: CheckTransition[];
  counts: CheckCounts;
  dwell: Record<string, DwellStats>;
  edges: Record<string, number>;
  eventCounts: Record<string, number>;
  events: CheckEvent[];
  notes: string[];
}

export interface CheckProblem {
  file: string;
  line: number | null;
  message: string;
}

export interface CheckReport {
  profile: string;
  target: string;
  files: { file: string; kind: string; lines: number; bytes: number }[];
  instances: CheckInstance[];
  /** Where a trace is broken: rotation across missing days, truncation, a program restart. */
  gaps: (CheckProblem & { instance: string | null })[];
  errors: CheckProblem[];
  /**
   * Lines that were read but look odd — a line repeated, a time going backwards, a file that changed
   * while it was read: worth a look, never a reason not to conform.
   */
  warnings: CheckProblem[];
  /** Notes on the whole run (sources that disagree, dwell times unavailable). */
  notes: string[];
  conforms: boolean;
}

export function emptyCounts(): CheckCounts {
  return { declared: 0, undeclared: 0, fromMismatch: 0, unknownState: 0, gap: 0 };
}

export const COUNT_KEY: Record<CheckTransition["verdict"], keyof CheckCounts> = {
  declared: "declared",
  undeclared: "undeclared",
  "from-mismatch": "fromMismatch",
  "unknown-state": "unknownState",
  gap: "gap",
};

/** Everything conforms when every transition is declared (gaps are breaks in the record, not faults) and no line was bad. */
export function conforms(r: Pick<CheckReport, "instances" | "errors">): boolean {
  return r.errors.length === 0 && r.instances.every((i) => i.counts.undeclared + i.counts.fromMismatch + i.counts.unknownState === 0);
}
