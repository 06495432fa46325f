/**
 * iai-mcp's file formats (../shared/reference/SYSTEMS.md §2) and what one dispatch writes, for
 * the demo daemon and the sandbox alike: `lifecycle_state.json` pretty-printed (indent 2, no
 * trailing newline, fields in the daemon's order), one compact JSONL line per transition (`ts`
 * first) in `logs/lifecycle-events-YYYY-MM-DD.jsonl` (the UTC day of the line). Pure: the caller
 * does the writing, under the daemon's locks.
 */
import type { Json } from "../machine/definition";
import { hopsOf } from "./run";

export interface IaiStateRecord {
  current_state: string;
  since_ts: string;
  last_activity_ts: string;
  wrapper_event_seq: number;
  sleep_cycle_progress: null | { last_completed_step: number; attempt: number; last_error: string | null; started_at: string };
  quarantine: null | { until_ts: string; reason: string; since_ts: string };
  shadow_run: boolean;
}

/** One line of the lifecycle log: `ts` and `event` first, then the line kind's own fields. */
export type IaiLogLine = { ts: string; event: string } & Record<string, Json>;

export const IAI_STATE_FILE = "lifecycle_state.json";
export const IAI_LOCK_FILE = ".lifecycle.lock";
export const IAI_LOG_DIR = "logs";
/** The temp file a state write goes through: `.lifecycle_state.<random>.tmp` in the same folder. */
export const IAI_STATE_TMP_PREFIX = ".lifecycle_state.";

/** Events that bump `last_activity_ts` and `wrapper_event_seq` even when nothing else changes (a rewrite, no log line). */
export const IAI_ACTIVITY_EVENTS: ReadonlySet<string> = new Set(["heartbeat_refresh", "request_arrived", "wake_signal"]);

/** The daily log a line with this `ts` goes to: `lifecycle-events-2026-06-10.jsonl` (its UTC day). */
export function iaiLogName(ts: string): string {
  return `lifecycle-events-${ts.slice(0, 10)}.jsonl`;
}

/** The state file's text, as `json.dumps(record, indent=2)` writes it: no trailing newline. */
export function formatIaiState(record: IaiStateRecord): string {
  return JSON.stringify(record, null, 2);
}

/** One log line, compact (`separators=(",", ":")`), `ts` first, with its newline. */
export function formatIaiLogLine(line: IaiLogLine): string {
  const { ts, event, ...rest } = line;
  return `${JSON.stringify({ ts, event, ...rest })}\n`;
}

/** A fresh install's state: `state` since `ts`, nothing in progress. */
export function initialIaiRecord(state: string, ts: string): IaiStateRecord {
  return { current_state: state, since_ts: ts, last_activity_ts: ts, wrapper_event_seq: 0, sleep_cycle_progress: null, quarantine: null, shadow_run: false };
}

/** A logged transition. */
export function iaiTransitionLine(ts: string, from: string, to: string, trigger: string): IaiLogLine {
  return { ts, event: "state_transition", from, to, trigger };
}

export interface IaiDispatch {
  /** The new state file, or undefined when the dispatch writes nothing (a no-op event). */
  record: IaiStateRecord | undefined;
  /** The transitions to log after it, one line per hop. */
  hops: [string, string][];
}

type DispatchInput = { event: string; outcome: "taken" | "ignored" | "guard-blocked"; path: readonly string[] };

/** Whether a dispatch writes anything: a transition, or an activity event's bump. */
export function iaiDispatchWrites(d: DispatchInput): boolean {
  return IAI_ACTIVITY_EVENTS.has(d.event) || hopsOf({ outcome: d.outcome, path: [...d.path] }).length > 0;
}

/**
 * What one dispatch of `event` does to the state file: a taken transition moves `current_state`
 * and `since_ts`; an activity event bumps `last_activity_ts` and `wrapper_event_seq` even when it
 * changes nothing else; any other event that is not taken writes nothing at all. `ts` is the
 * time of the state write (the log lines are stamped after it, by the caller).
 */
export function iaiDispatch(record: IaiStateRecord, d: DispatchInput, ts: string): IaiDispatch {
  const bump = IAI_ACTIVITY_EVENTS.has(d.event);
  const hops = hopsOf({ outcome: d.outcome, path: [...d.path] });
  if (hops.length === 0 && !bump) return { record: undefined, hops };
  const next: IaiStateRecord = { ...record };
  if (bump) {
    next.last_activity_ts = ts;
    next.wrapper_event_seq += 1;
  }
  const last = hops[hops.length - 1];
  if (last) {
    next.current_state = last[1];
    next.since_ts = ts;
  }
  return { record: next, hops };
}
