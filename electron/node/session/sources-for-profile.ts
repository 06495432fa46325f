import { defaultInstance, type Profile } from "../../../shared/profiles/profile";
import { LogTail } from "../sources/log-tail";
import { lineParserFor } from "../sources/line-parsers";
import { LockProbe } from "../sources/lock-probe";
import { PidFileSource } from "../sources/pidfile";
import { SignalFilesSource } from "../sources/signal-files";
import { PostgresTableSource } from "../sources/postgres/source";
import { StateFileWatcher } from "../sources/state-file";
import { StreamLogSource } from "../sources/stream-log";
import type { Clock, Emit, Source } from "../sources/types";

export interface SourceOptions {
  /** How much of an existing log to read when watching starts (bytes from the end of the newest file). */
  historyBytes?: number;
  /** Connection string of the database a table source polls, and how often. */
  connection?: string;
  pollMs?: number;
  /** Read the profile's log from this stream (standard input) instead of its files. */
  stream?: { input: NodeJS.ReadableStream; name: string; onEnd(): void };
}

/** The sources a profile asks for, on the data folder `root`. */
export function sourcesForProfile(profile: Profile, root: string, emit: Emit, clock: Clock, opts: SourceOptions = {}): Source[] {
  const instance = defaultInstance(profile);
  const single = profile.instances.kind === "single";
  const history = opts.historyBytes !== undefined ? { historyBytes: opts.historyBytes } : {};
  const out: Source[] = [];
  if (opts.stream) {
    const log = profile.sources.find((s) => s.kind === "jsonl-log" || s.kind === "text-log");
    if (log && (log.kind === "jsonl-log" || log.kind === "text-log")) {
      const { input, name, onEnd } = opts.stream;
      out.push(new StreamLogSource(input, name, () => lineParserFor(log, profile, instance), emit, clock, onEnd));
    }
    return out;
  }
  for (const spec of profile.sources) {
    switch (spec.kind) {
      case "state-file":
        out.push(new StateFileWatcher(root, spec, spec.records ? { initial: profile.machine.initial } : { instance }, emit, clock));
        break;
      case "jsonl-log":
      case "text-log":
        out.push(new LogTail(root, spec.glob, () => lineParserFor(spec, profile, instance), emit, clock, { gzip: spec.kind === "jsonl-log", ...history, ...(single ? { instance } : {}) }));
        break;
      case "lock":
        out.push(new LockProbe(root, spec, emit, clock));
        break;
      case "pidfile":
        out.push(new PidFileSource(root, spec, emit, clock));
        break;
      case "signal":
        out.push(new SignalFilesSource(root, spec, emit, clock));
        break;
      case "table":
        // Polled only when a database connection is given (openDatabase / watch --connection).
        if (opts.connection !== undefined) {
          const pg: ConstructorParameters<typeof PostgresTableSource>[0] = { connectionString: opts.connection, spec, profileInitial: profile.machine.initial, emit, clock };
          if (opts.pollMs !== undefined) pg.intervalMs = opts.pollMs;
          out.push(new PostgresTableSource(pg));
        }
        break;
    }
  }
  return out;
}
