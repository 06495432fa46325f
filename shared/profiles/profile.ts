import type { MachineDefinition } from "../machine/definition";

/**
 * A profile: a machine plus how a program's artifacts map onto it. Profiles are data (JSON or
 * YAML a user can write); the four built-ins ship as the same data.
 * Paths and globs are relative to the profile's data folder (see `detect`).
 */
export interface Profile {
  id: string;
  title: string;
  description: string;
  machine: MachineDefinition;
  detect: DetectSpec;
  instances: InstanceSpec;
  sources: SourceSpec[];
  /** Warnings the session raises on its own. */
  /**
   * Warnings the profile's program deserves: an instance `pendingState` for longer than
   * `pendingAfterMs` is reported, with `pendingHint` (what to do; `{instance}` is replaced by its name).
   */
  warnings?: { pendingState?: string; pendingAfterMs?: number; pendingHint?: string; disagreeGraceMs?: number };
  /** A time jump longer than this between two lines of a trace breaks its continuity (a gap). */
  gapAfterMs?: number;
  /**
   * The IANA time zone (`Europe/Paris`) of timestamps written without one — Rich's
   * `[11/25/26 10:00:00]`, syslog's `Nov 25 10:00:00`, ISO-8601 without an offset. Default: UTC;
   * the user can choose another when opening a log.
   */
  timeZone?: string;
  /**
   * Fields whose values identify a person or a customer (dotted paths into an observation's
   * fields, e.g. duckgres' `org_id`): replaced by "[redacted]" when a recording is saved with
   * "sensitive" redaction.
   */
  sensitiveFields?: FieldPath[];
}

export interface DetectSpec {
  /** Sub-folders tried as the data folder, in order ("." = the opened folder itself). */
  roots: string[];
  /** The data folder is this profile's when any of these paths or globs exists in it. */
  anyOf: string[];
}

export type InstanceSpec =
  /** One machine: the daemon. */
  | { kind: "single"; id: string }
  /** One machine per value of a key (ecluse `slug`, duckgres `worker_id`); sources say where the key is. */
  | { kind: "keyed"; label: string }
  /** One machine per run (a lease): a text log starts a new one at each `instanceStartRegex` line. */
  | { kind: "per-run"; label: string; fallbackId: string };

/** A dotted path into a JSON object: "current_state", "pending_op.since". */
export type FieldPath = string;

export type SourceSpec =
  | StateFileSource
  | JsonlLogSource
  | TextLogSource
  | LockSource
  | PidFileSource
  | SignalSource
  | TableSource;

/** A JSON file rewritten with the current state (or a folder of its successive snapshots). */
export interface StateFileSource {
  kind: "state-file";
  path: string;
  /** For `check`: file names of saved snapshots of this file, read in name order. */
  snapshotGlob?: string;
  /** Single-instance file: the state field and its since field. */
  state?: FieldPath;
  since?: FieldPath;
  /** Multi-instance file: an array of records keyed by `key`. */
  records?: {
    array: FieldPath;
    key: FieldPath;
    /** Field holding the status; when absent from a record, `whenMissing` applies. */
    state: FieldPath;
    whenMissing: string;
    /** State of a key that is not in the file at all (ecluse: "absent"). */
    absent: string;
    since?: FieldPath;
  };
  /** Other fields shown beside the state. */
  show?: FieldPath[];
}

/** A JSON-lines log (one file, or daily files matched by a glob; `.gz` read too). */
export interface JsonlLogSource {
  kind: "jsonl-log";
  glob: string;
  /** A line is a transition when `kindField` equals `transitionKind`. */
  kindField: FieldPath;
  transitionKind: string;
  from: FieldPath;
  to: FieldPath;
  event?: FieldPath;
  ts: FieldPath;
  instance?: FieldPath;
}

/** A text log read with regular expressions (named groups); the user can adjust each one. */
export interface TextLogSource {
  kind: "text-log";
  glob: string;
  /** Named groups `from` and `to` (and optionally `event`, `ts`). */
  transitionRegex: string;
  /** A line that starts a new instance (a lease): named group `id`. */
  instanceStartRegex?: string;
  /** A line that means the program restarted: the trace is broken there (a gap). */
  restartRegex?: string;
  /**
   * Timestamps at the start of a line, tried in order; named group `ts`. Lines without one keep the
   * previous line's time (Rich blanks repeated times); with none at all, order is by line.
   */
  tsPatterns?: { regex: string; format: "iso" | "rich" | "syslog" }[];
  /** A line's parts, for display (named groups `level`, `logger`, `message`). */
  lineRegex?: string;
}

/** A lock file probed in /proc/locks; never locked by us. */
export interface LockSource {
  kind: "lock";
  path: string;
  /** What the program uses: flock(2) or POSIX fcntl locks. */
  lockType: "flock" | "posix";
  /** What holding it means, for the lock panel. */
  meaning?: string;
}

/** A pid file written as JSON (`{pid, ...}`); stale when the pid is gone. */
export interface PidFileSource {
  kind: "pidfile";
  path: string;
  pidField: FieldPath;
  meaning?: string;
}

/** Signal or heartbeat files: their presence and age are events. */
export interface SignalSource {
  kind: "signal";
  glob: string;
  /** Older than this and the signal is stale. */
  staleAfterMs?: number;
  meaning?: string;
}

/** A database table polled (or CSV dumps of it), rows diffed by key into transitions. */
export interface TableSource {
  kind: "table";
  /** Schema-qualified table name. */
  table: string;
  key: string;
  state: string;
  owner?: string;
  /** Columns shown beside the state (CAS-relevant ones first). */
  show?: string[];
  /** Column whose change without a state change is not a transition (duckgres owner_epoch). */
  epoch?: string;
  updatedAt?: string;
  /** Dumps of the table: CSV files with a header. */
  dumpGlob?: string;
  /**
   * The schema follows the connection's current_schema(), as duckgres resolves its runtime schema:
   * the one `table` names while current_schema() is public (or none), else current_schema()
   * followed by this suffix (duckgres: "_runtime", so a control plane on schema acme writes
   * acme_runtime.worker_records). `table` must name its schema.
   */
  runtimeSchemaSuffix?: string;
  /** Which database the connection string should name, said when it does not exist (duckgres: its control plane's config-store database). */
  databaseHint?: string;
  /** What to check when the table is not there (duckgres: the right database? the control plane creates it on start). */
  missingTableHint?: string;
}

export function isMultiInstance(p: Profile): boolean {
  return p.instances.kind !== "single";
}

/** The instance a single-instance profile's artifacts belong to (logs of per-run profiles start with the fallback). */
export function defaultInstance(profile: Profile): string {
  const i = profile.instances;
  return i.kind === "single" ? i.id : i.kind === "per-run" ? i.fallbackId : i.label;
}
