import type { Json } from "../machine/definition";

/** Where an observation came from: a file (and line, for logs), a table, a process. */
export interface SourceRef {
  file?: string;
  line?: number;
  table?: string;
}

export type Verdict = "declared" | "undeclared" | "from-mismatch" | "unknown-state" | "gap";

interface Base {
  /** Per-session sequence number, assigned by the session (0 before). */
  seq: number;
  /**
   * When it happened according to the artifact (ISO-8601), or when we saw it (live) when the
   * artifact has no time; absent when neither is known (a log without timestamps, read offline).
   */
  ts?: string;
  /** Whether `ts` came from the artifact ("artifact") or from our clock ("observed"). */
  tsFrom: "artifact" | "observed";
  source: SourceRef;
}

/** The current state read from a state file or table row. */
export interface StateObservation extends Base {
  kind: "state";
  instance: string;
  state: string;
  /** Since when the instance is in this state, when the artifact says (ISO-8601). */
  since?: string;
  fields?: Record<string, Json>;
}

/** A transition written to a log, or derived from two snapshots. */
export interface TransitionObservation extends Base {
  kind: "transition";
  instance: string;
  from: string;
  to: string;
  event?: string;
  verdict?: Verdict;
  /** Time spent in `from` before this transition, when the trace shows it (set with the verdict). */
  dwellMs?: number;
  /** Statecharts: time spent in each container (compound or parallel state) this transition leaves. */
  containerDwell?: Record<string, number>;
  fields?: Record<string, Json>;
}

export interface LockHolder {
  pid: number;
  comm?: string;
  type: "FLOCK" | "POSIX" | "OFDLCK" | "PIDFILE";
  mode: "exclusive" | "shared";
  /** First time we saw this holder (ISO-8601). */
  since: string;
  blocked?: boolean;
  stale?: boolean;
  /**
   * Pid files only: the host the file names when it is not this machine. Whether that process
   * runs cannot be checked from here, so such a holder is never called stale.
   */
  host?: string;
}

/** Who holds a lock file now (empty holders = free). */
export interface LockObservation extends Base {
  kind: "lock";
  path: string;
  holders: LockHolder[];
  waiters: LockHolder[];
  /**
   * Set when we cannot tell, and why: the platform has no /proc/locks, /proc/locks or the lock
   * file cannot be read, or a pid file is malformed or names another host.
   */
  unavailable?: string;
}

/** A signal or heartbeat file (iai-mcp wake.signal, wrapper heartbeats). */
export interface SignalObservation extends Base {
  kind: "signal";
  path: string;
  present: boolean;
  ageMs?: number;
  /** What `ageMs` is measured from: the JSON field holding the file's time, or "mtime". */
  ageFrom?: string;
  stale?: boolean;
  fields?: Record<string, Json>;
}

export type WarningCode =
  | "sources-disagree"
  | "pending-too-long"
  | "missing-file"
  | "bad-line"
  | "unreadable"
  | "gap"
  | "stale-pidfile"
  | "stale-heartbeat"
  | "source-error"
  /** An instance in its state for longer than the state's limit (the profile's, the state's own maxDwellMs, or 3 × its observed p99). */
  | "stuck"
  /** Read, but odd: a line repeated, a time going backwards, a file changing while it was read. Never a conformance error. */
  | "suspicious"
  /** A note on the machine itself: a warning from checking its file (with the line and what to do). */
  | "machine";

/** Something the user should know: specific, with the file and line when there is one. */
export interface WarningObservation extends Base {
  kind: "warning";
  code: WarningCode;
  message: string;
  instance?: string;
  /** Set when the warning is over (the sources agree again, the session left pending). */
  cleared?: boolean;
  /** Identifies the warning so a later observation can clear it. */
  key?: string;
}

/** Any other line of a log: kept and shown, never dropped (sleep steps, quarantine, hook output). */
export interface EventObservation extends Base {
  kind: "event";
  instance: string;
  name: string;
  fields?: Record<string, Json>;
}

export type Observation =
  | StateObservation
  | TransitionObservation
  | LockObservation
  | SignalObservation
  | WarningObservation
  | EventObservation;

export type ObservationKind = Observation["kind"];

/** An observation before the session numbered it. */
export type NewObservation = Observation extends infer O ? (O extends Observation ? Omit<O, "seq"> : never) : never;
