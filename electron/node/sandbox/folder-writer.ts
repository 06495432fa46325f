/**
 * "Sandbox files": a sandbox's steps written as they happen into the sandbox's OWN folder, in its
 * profile's format and the way the real program writes, so the app can watch that folder as a
 * real target (electron/node/session/*) and `check` can read it:
 * - iai-mcp: `lifecycle_state.json` replaced atomically and `logs/lifecycle-events-<day>.jsonl`
 *   appended under flock, each dispatch under flock(LOCK_EX|LOCK_NB) of `.lifecycle.lock` — the
 *   demo daemon's writer (iai-files.ts); an activity event rewrites the state file with no log
 *   line, as the daemon does;
 * - jumpstarter: `exporter.log` appended, one write per line (Python logging takes no file lock);
 * - ecluse: `.ecluse/state.json` replaced atomically, one version per hop, under an exclusive
 *   flock of `.ecluse/state.lock` (waiting up to 10 s, as ecluse does);
 * - duckgres: the table has no file of its own; each version of it is a new CSV dump
 *   `snapshot-<n>.csv` (written atomically), `snapshot-1.csv` being the start.
 *
 * Safety: the folder must be new or empty, must not be a link, and must not be, be inside, or
 * contain a folder other sessions watch; every write stays inside it (ConfinedFolder).
 */
import fs from "node:fs";
import path from "node:path";
import { FsmError } from "../../../shared/errors";
import type { Profile } from "../../../shared/profiles/profile";
import { WorkerTable, checkWorkerId, dumpName } from "../../../shared/sandbox/duckgres";
import { ECLUSE_DIR, ECLUSE_LOCK_FILE, ECLUSE_STATE_FILE, EcluseState } from "../../../shared/sandbox/ecluse";
import { singleInstanceId } from "../../../shared/sandbox/export";
import { requireProfile } from "../../../shared/profiles";
import { IAI_LOG_DIR, iaiDispatch, iaiDispatchWrites, iaiTransitionLine, initialIaiRecord, type IaiStateRecord } from "../../../shared/sandbox/iai-mcp";
import { JUMPSTARTER_LOG_FILE, JumpstarterLog } from "../../../shared/sandbox/jumpstarter";
import { StepTracker, checkSingleInstance, sandboxProfileId, type SandboxHop, type SandboxProfileId, type SandboxStep } from "../../../shared/sandbox/run";
import { MicroClock, pythonIsoUs } from "../../../shared/sandbox/virtual-time";
import { LockBusyError } from "../fs/flock";
import { ConfinedFolder, symlinkRefusal } from "./confined-folder";
import { IaiFiles } from "./iai-files";
import { refuseWatched } from "./watched";

export interface SandboxFolderOptions {
  /** Folders other sessions watch (real programs' folders): the sandbox folder may not be, be inside, or contain one. */
  watched: readonly string[];
  /** Each instance's state when the sandbox starts (others start where their first step starts). */
  initial?: Record<string, string>;
  /** The sandbox's virtual time at its start, epoch ms (default: now). */
  startMs?: number;
  /** jumpstarter: start each line with `%(asctime)s` in UTC (default true). */
  timestamps?: boolean;
}

/** How long ecluse waits for its state lock before giving up (LockTimeout). */
const ECLUSE_LOCK_TIMEOUT_MS = 10_000;

/** One profile's way of writing steps. */
interface LiveFormat {
  /** The folder the app watches (the profile's data folder inside the sandbox folder). */
  readonly dataFolder: string;
  /** Writes what is there before the first step. */
  start(): Promise<void>;
  /** Refuses a step this format cannot write (before anything is written). */
  check?(step: SandboxStep, index: number): void;
  /**
   * Writes one step, whose hops are checked already. Throws LockBusyError, or an FsmError
   * `sandbox-unwritable`, only when nothing of the step was written.
   */
  step(step: SandboxStep, hops: SandboxHop[]): Promise<void>;
}

class IaiLive implements LiveFormat {
  private readonly files: IaiFiles;
  private record: IaiStateRecord;
  readonly dataFolder: string;

  constructor(
    folder: ConfinedFolder,
    private readonly daemon: string,
    initial: string,
    startMs: number,
    private readonly clock: MicroClock,
  ) {
    this.files = new IaiFiles(folder);
    this.dataFolder = folder.root;
    this.record = initialIaiRecord(initial, pythonIsoUs(clock.at(startMs)));
  }

  async start(): Promise<void> {
    this.files.folder.mkdir(IAI_LOG_DIR);
    this.files.withLifecycleLock(() => this.files.writeState(this.record));
  }

  check(step: SandboxStep, index: number): void {
    checkSingleInstance(this.daemon, step, index);
  }

  async step(step: SandboxStep): Promise<void> {
    const d = { event: step.event, outcome: step.outcome, path: step.path };
    if (!iaiDispatchWrites(d)) return;
    this.files.withLifecycleLock(() => {
      const written = iaiDispatch(this.record, d, pythonIsoUs(this.clock.at(step.tsMs)));
      if (written.record) {
        this.files.writeState(written.record);
        this.record = written.record;
      }
      for (const [from, to] of written.hops) this.files.appendLog(iaiTransitionLine(pythonIsoUs(this.clock.at(step.tsMs)), from, to, step.event));
    });
  }
}

class JumpstarterLive implements LiveFormat {
  private readonly log: JumpstarterLog;
  readonly dataFolder: string;

  constructor(
    private readonly folder: ConfinedFolder,
    profile: Profile,
    private readonly clock: MicroClock,
    timestamps: boolean,
  ) {
    this.log = new JumpstarterLog(profile, { timestamps });
    this.dataFolder = folder.root;
  }

  async start(): Promise<void> {
    // The exporter's log appears with its first line.
  }

  async step(step: SandboxStep): Promise<void> {
    // Every line is made (and read back) before the first is written.
    const lines = this.log.step(step, this.clock);
    for (const line of lines) this.folder.append(JUMPSTARTER_LOG_FILE, line, { mode: 0o644 });
  }
}

/** A format of many instances (sessions, workers), started from each one's state. */
abstract class KeyedLive implements LiveFormat {
  abstract readonly dataFolder: string;

  constructor(
    protected readonly folder: ConfinedFolder,
    protected readonly profile: Profile,
    protected readonly start0: ReadonlyMap<string, string>,
    protected readonly startMs: number,
    protected readonly clock: MicroClock,
  ) {}

  abstract start(): Promise<void>;
  abstract step(step: SandboxStep, hops: SandboxHop[]): Promise<void>;
}

class EcluseLive extends KeyedLive {
  private readonly state = new EcluseState(this.profile, this.start0, this.clock.at(this.startMs));
  readonly dataFolder = path.join(this.folder.root, ECLUSE_DIR);

  /** Under the exclusive state lock (waiting for it as ecluse does): change the sessions, then replace the file. */
  private async save(change: () => void): Promise<void> {
    await this.folder.withLockWaiting(`${ECLUSE_DIR}/${ECLUSE_LOCK_FILE}`, ECLUSE_LOCK_TIMEOUT_MS, () => {
      change();
      this.folder.replace(`${ECLUSE_DIR}/${ECLUSE_STATE_FILE}`, this.state.text(), { mode: 0o644, tmpPrefix: `${ECLUSE_STATE_FILE}.` });
    });
  }

  async start(): Promise<void> {
    this.folder.mkdir(ECLUSE_DIR);
    await this.save(() => undefined);
  }

  async step(_step: SandboxStep, hops: SandboxHop[]): Promise<void> {
    for (const [k, h] of hops.entries()) {
      try {
        await this.save(() => this.state.hop(h.instance, h.to, this.clock.at(h.tsMs), h.payload));
      } catch (err) {
        // A hop already written: the step is half done, which is no longer a lock that was busy.
        if (k > 0 && err instanceof LockBusyError) throw new Error(`${err.message} (after ${k} of the step's ${hops.length} hops were written)`, { cause: err });
        throw err;
      }
    }
  }
}

class DuckgresLive extends KeyedLive {
  private readonly table = new WorkerTable(this.start0, this.clock.at(this.startMs), this.profile.machine.initial);
  private dumps = 0;
  readonly dataFolder = this.folder.root;

  check(step: SandboxStep): void {
    checkWorkerId(step.instance);
  }

  private dump(): void {
    this.dumps += 1;
    this.folder.replace(dumpName(this.dumps), this.table.csv(), { mode: 0o644 });
  }

  async start(): Promise<void> {
    this.dump();
  }

  async step(_step: SandboxStep, hops: SandboxHop[]): Promise<void> {
    for (const h of hops) {
      this.table.hop(h.instance, h.to, this.clock.at(h.tsMs), h.payload);
      this.dump();
    }
  }
}

/** A new or empty folder that is not a link; anything else is refused before a byte is written. */
function prepareFolder(abs: string): ConfinedFolder {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (st?.isSymbolicLink()) throw symlinkRefusal(abs);
  if (st && !st.isDirectory()) throw new FsmError({ code: "sandbox-not-folder", message: `${abs} is a file, not a folder for the sandbox's files.`, file: abs, hint: "Choose a new (or empty) folder." });
  if (st && fs.readdirSync(abs).length > 0) {
    throw new FsmError({
      code: "sandbox-not-empty",
      message: `${abs} is not empty: the sandbox writes only into a folder of its own, never among other files (a real program's?).`,
      file: abs,
      hint: "Choose a new (or empty) folder.",
    });
  }
  return ConfinedFolder.open(abs, { create: true });
}

export class SandboxFolderWriter {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private failed: FsmError | undefined;

  private constructor(
    /** The sandbox's folder (its real path). */
    readonly folder: string,
    readonly profileId: SandboxProfileId,
    private readonly format: LiveFormat,
    private readonly tracker: StepTracker,
  ) {}

  /** The folder to watch as a live target: the profile's data folder inside the sandbox folder (ecluse: `<folder>/.ecluse`). */
  get dataFolder(): string {
    return this.format.dataFolder;
  }

  /**
   * Starts writing a sandbox's files into `folder` (created when missing; it must be empty),
   * with what is there before the first step (iai-mcp: the state file; ecluse: state.json;
   * duckgres: the first dump). Refuses (FsmError) an unknown profile, a folder that is, is inside
   * or contains a watched one, a folder that is a link or holds files already.
   */
  static async create(folder: string, profileId: string, opts: SandboxFolderOptions): Promise<SandboxFolderWriter> {
    const id = sandboxProfileId(profileId);
    const profile = requireProfile(id);
    const abs = path.resolve(folder);
    if (!Array.isArray(opts?.watched)) {
      throw new FsmError({ code: "sandbox-no-watched", message: "the sandbox needs the list of watched folders, to keep clear of them.", hint: "Pass the folders other sessions watch (an empty list when there are none)." });
    }
    refuseWatched(abs, opts.watched);
    const tracker = new StepTracker(opts.initial ?? {});
    const start = new Map(tracker.current);
    const startMs = opts.startMs ?? Date.now();
    const clock = new MicroClock();
    if (id === "duckgres") for (const worker of start.keys()) checkWorkerId(worker);
    const dir = prepareFolder(abs);
    let format: LiveFormat;
    switch (id) {
      case "iai-mcp": {
        const daemon = singleInstanceId(profile);
        format = new IaiLive(dir, daemon, start.get(daemon) ?? profile.machine.initial, startMs, clock);
        break;
      }
      case "jumpstarter":
        format = new JumpstarterLive(dir, profile, clock, opts.timestamps !== false);
        break;
      case "ecluse":
        format = new EcluseLive(dir, profile, start, startMs, clock);
        break;
      case "duckgres":
        format = new DuckgresLive(dir, profile, start, startMs, clock);
        break;
    }
    const writer = new SandboxFolderWriter(dir.root, id, format, tracker);
    await writer.guard(() => format.start());
    return writer;
  }

  /**
   * Writes one step as the program would have: nothing for a step that took no transition (but
   * iai-mcp's activity events rewrite its state file); one transition per hop otherwise. Steps are
   * written in the order of the calls. Refuses a step that does not follow the last one.
   */
  write(step: SandboxStep): Promise<void> {
    if (this.closed) return Promise.reject(new FsmError({ code: "sandbox-closed", message: "the sandbox's files are closed; nothing more is written.", file: this.folder }));
    const run = this.queue.then(async () => {
      if (this.failed) throw new FsmError({ code: "sandbox-write-failed", message: `an earlier write into ${this.folder} failed (${this.failed.message}); the files may be incomplete, so nothing more is written.`, file: this.folder, hint: "Start the sandbox's files again in a new folder." });
      const hops = this.tracker.plan(step);
      this.format.check?.(step, this.tracker.steps);
      await this.guard(() => this.format.step(step, hops));
      this.tracker.commit(step);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for the writes already asked for; later writes are refused. Nothing stays open between writes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  /** Runs a write; a failure is turned into a user-facing error and stops later writes. */
  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const e =
        err instanceof FsmError
          ? err
          : err instanceof LockBusyError
            ? new FsmError({ code: "sandbox-locked", message: `${err.message}: another process is writing the sandbox's files.`, file: this.folder, hint: "Only the sandbox should write into its folder." })
            : new FsmError({ code: "sandbox-write-failed", message: `writing into ${this.folder} failed: ${(err as Error).message}.`, file: this.folder });
      // A busy lock, or a step the format cannot hold, stopped the write before anything was written: the next write may go through.
      if (!(err instanceof LockBusyError) && e.code !== "sandbox-unwritable") this.failed = e;
      throw e;
    }
  }
}
