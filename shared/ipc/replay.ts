/**
 * What replay sessions send across the contract: indexing progress, the timeline, the model at a
 * position, and pages of the recording. A replay session's "position" counts observations: at
 * position p the first p observations of the recording have happened (0 = before the first).
 */
import type { Observation, Verdict } from "../trace/observation";
import type { SessionModel } from "../trace/session-model";
import type { UserFacingError } from "../errors";

export interface IndexProgress {
  sessionId: string;
  state: "indexing" | "done" | "cancelled" | "failed";
  /** The file being read now (its path), when there is one. */
  file?: string;
  bytesRead: number;
  bytesTotal: number;
  lines: number;
  linesPerSecond: number;
  /** Time left, estimated from the rate so far; null when it cannot be told yet. */
  etaMs: number | null;
  /** Observations indexed so far (the positions that can be visited already). */
  observations: number;
  transitions: number;
  anomalies: number;
  /** Lines reported as bad (malformed, invalid UTF-8, cut short …). */
  badLines: number;
  error?: UserFacingError;
}

/** What makes a position an anomaly worth a marker on the timeline. */
export type AnomalyKind = Exclude<Verdict, "declared"> | "restart" | "bad-line" | "warning";

/** Which observations a list, a histogram or a jump considers. Empty: all. */
export interface ReplayFilter {
  instance?: string;
  /** A transition from or to this state; a state observation of it. */
  state?: string;
  event?: string;
}

export interface TimelineMarker {
  position: number;
  /** Where it is on the timeline's axis. */
  axis: number;
  kind: AnomalyKind;
  instance: string | null;
}

/**
 * The scrubber's picture of the whole recording, on a time axis where long silences are shortened
 * to `silenceCapMs` (logs without timestamps: one step per observation).
 */
export interface Timeline {
  sessionId: string;
  /** Observations indexed when this was computed. */
  total: number;
  /** The axis: its length (ms of shortened time, or observations when `timed` is false). */
  axisLength: number;
  timed: boolean;
  /** Real times (epoch ms) of the first and last observation with a time; null when none has one. */
  firstMs: number | null;
  lastMs: number | null;
  silenceCapMs: number;
  /** Where on the axis a silence was shortened, and how long it really was (the largest ones). */
  silences: { at: number; realMs: number }[];
  /** Transitions per bucket of equal axis length (filtered). */
  transitions: number[];
  /** Anomalies per bucket. */
  anomalies: number[];
  /** Every anomaly (or, when there are more than `markerLimit`, the first of each bucket). */
  markers: TimelineMarker[];
  markersCut: boolean;
  /** Instances, states and events seen, for the filters. */
  names: { instances: string[]; states: string[]; events: string[] };
}

/** Where to go: a position, a point on the timeline's axis, or the next/previous of something. */
export type SeekTarget =
  | { position: number }
  | { axis: number }
  | { step: "next" | "prev"; what: "observation" | "transition" | "anomaly"; from: number; filter?: ReplayFilter };

export interface ReplayFrame {
  sessionId: string;
  position: number;
  total: number;
  /** Where the position is on the timeline's axis. */
  axis: number;
  /** Real time at the position (the last observation's), ISO-8601; null before the first or without times. */
  ts: string | null;
  /**
   * The model after `position` observations: instances and their states, warnings, locks; the
   * latest transitions and other lines up to there. Edges and dwell cover the recording up to the
   * position, or all of it when `scope` is "all".
   */
  model: SessionModel;
  scope: "upto" | "all";
  /** The observation at the position (the one just applied), if any. */
  current: Observation | null;
}

/** One page of the recording's observations (a list that follows the position). */
export interface ReplayPage {
  sessionId: string;
  /** Positions of the items (1-based: item at position p is the p-th observation). */
  positions: number[];
  items: Observation[];
  /** How many observations match the filter in the whole recording indexed so far. */
  matching: number;
}

/** What to leave out of a saved recording. */
export interface RedactOptions {
  /** File paths become their base names (`/home/me/.iai-mcp/logs/x.jsonl` → `x.jsonl`). */
  paths?: boolean;
  /** Host and pod names (in fields named host, hostname, pod, node …, and pid files' hosts) become `host-1`, `host-2` …. */
  hosts?: boolean;
  /** Fields the profile marks as sensitive (`sensitiveFields`: org ids …) become `[redacted]`. */
  sensitive?: boolean;
}

export interface SavedRecording {
  /** Where it was written (the desktop app), or the name offered for download (serve mode). */
  path: string;
  bytes: number;
  observations: number;
}

/** A target opened before, for the start screen. */
export interface RecentTarget {
  kind: "folder" | "log" | "database" | "machine" | "machine-file";
  /** The path, the connection string (password removed) or the profile id. */
  target: string;
  profileId?: string;
  title: string;
  openedAt: string;
}
