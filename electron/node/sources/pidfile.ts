/**
 * A pid file written as JSON (iai-mcp's `.locked`: `{pid, hostname, started_at, schema_version}`),
 * or as a bare number. Reported as a lock whose one holder is the named process: alive, or stale
 * (the process is gone but its pid file is still there: it crashed or was killed). A pid file that
 * names another host cannot be checked from here, and says so instead of guessing.
 *
 * Only read: the file is never written, created, deleted or locked. Liveness is checked again at
 * every change of the folder and at each safety-net poll, since a crash changes no file.
 */
import os from "node:os";
import path from "node:path";
import type { Json } from "../../../shared/machine/definition";
import type { PidFileSource as PidFileSpec } from "../../../shared/profiles/profile";
import { getPath, getString } from "../../../shared/trace/fields";
import { KeyedWarnings, type Raised } from "../../../shared/trace/keyed-warnings";
import type { LockHolder, LockObservation, NewObservation } from "../../../shared/trace/observation";
import { readComm, readProcFile } from "./lock-probe";
import { readRegularFile } from "../fs/regular-file";
import { waitToRetry } from "./settle";
import { Coalescer, watchFolder, type FolderWatch } from "./watch-folder";
import { isoNow, type Clock, type Emit, type Source } from "./types";

export interface PidFileOptions {
  /** This machine's name, compared with the file's `hostname` (default: os.hostname()). */
  hostname?: string;
  /** Where /proc/PID/comm and /proc/PID/stat are read. */
  procDir?: string;
  /** How often liveness is checked again when nothing changes. */
  recheckMs?: number;
}

/** Largest pid any system hands out is below 2^22 on Linux; anything at or above 2^31 is not a pid. */
const MAX_PID = 2 ** 31 - 1;
const HOST_FIELDS = ["hostname", "host"];

type Parsed = { ok: true; pid: number; host?: string } | { ok: false; problem: string };

/** The pid (and host) a pid file names, or what is wrong with it. */
export function parsePidFile(text: string, pidField: string): Parsed {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    return { ok: false, problem: `is not valid JSON (${(err as Error).message})` };
  }
  const raw = typeof doc === "number" ? doc : getPath(doc, pidField);
  const pid = typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0 || pid > MAX_PID) {
    const shown = raw === undefined ? "nothing" : JSON.stringify(raw);
    return { ok: false, problem: `has ${shown} in field "${pidField}" where a process id (a positive whole number) was expected` };
  }
  for (const f of HOST_FIELDS) {
    const host = getString(doc, f);
    if (host !== undefined && host.trim() !== "") return { ok: true, pid, host: host.trim() };
  }
  return { ok: true, pid };
}

/**
 * Whether process `pid` is running on this machine: signal 0 (EPERM means it exists but is not
 * ours), and on Linux a zombie (exited, not yet reaped) counts as not running.
 */
export async function isProcessRunning(pid: number, procDir = "/proc"): Promise<boolean> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // EPERM: it exists but belongs to someone else.
    if (code === "ESRCH") return false;
  }
  // No /proc (macOS, Windows) or the process just went away: the signal said it was there.
  const stat = await readProcFile(procDir, pid, "stat");
  const state = stat?.slice(stat.lastIndexOf(")") + 1).trim()[0];
  return state !== "Z" && state !== "X";
}

export class PidFileSource implements Source {
  private readonly file: string;
  private readonly hostname: string;
  private readonly procDir: string;
  private readonly recheckMs: number;
  private watch: FolderWatch | undefined;
  private readonly coalescer: Coalescer;
  private inflight: Promise<void> | undefined;
  private closed = false;
  private lastText: string | undefined;
  private parsed: Parsed | undefined;
  private lastSignature: string | undefined;
  private holderSince: { pid: number; since: string } | undefined;
  /** The stale and bad-file warnings shown. */
  private readonly warnings = new KeyedWarnings();
  /** The pid the stale warning shown names. */
  private stalePid: number | undefined;

  constructor(
    root: string,
    private readonly spec: PidFileSpec,
    private readonly emit: Emit,
    private readonly clock: Clock,
    opts: PidFileOptions = {},
  ) {
    this.file = path.resolve(root, spec.path);
    this.hostname = opts.hostname ?? os.hostname();
    this.procDir = opts.procDir ?? "/proc";
    this.recheckMs = opts.recheckMs ?? 1000;
    this.coalescer = new Coalescer(() => {
      const p = this.read();
      this.inflight = p;
      return p;
    });
  }

  async start(): Promise<void> {
    const base = path.basename(this.file);
    this.watch = watchFolder(
      path.dirname(this.file),
      (name) => {
        if (name === null || name === base) this.coalescer.trigger();
      },
      { pollMs: this.recheckMs },
    );
    // The first read goes through the coalescer like every later one, so they never overlap.
    await this.coalescer.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    void this.coalescer.close();
    this.watch?.close();
    this.watch = undefined;
    await this.inflight;
  }

  private async read(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      let text: string;
      try {
        text = await readRegularFile(this.file, 64 * 1024);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return this.absent();
        this.lastText = undefined;
        this.parsed = undefined;
        return this.bad(`cannot read ${this.file}: ${(err as Error).message}; check its permissions`, "unreadable");
      }
      if (text !== this.lastText) {
        const parsed = parsePidFile(text, this.spec.pidField);
        // The writer may be part-way through rewriting the file in place: give it a moment.
        if (!parsed.ok && (await waitToRetry(attempt))) continue;
        this.lastText = text;
        this.parsed = parsed;
      }
      return this.evaluate();
    }
  }

  private async evaluate(): Promise<void> {
    const parsed = this.parsed;
    if (parsed === undefined) return;
    if (!parsed.ok) {
      this.clearStale();
      this.publish([], `${this.file} ${parsed.problem}: which process holds it cannot be told`);
      return this.bad(`${this.file} ${parsed.problem}. Fix or delete the file; it is read again at its next change.`, "bad-line");
    }
    this.clearBad();
    const { pid, host } = parsed;
    const since = this.sinceFor(pid);
    const holder: LockHolder = { pid, type: "PIDFILE", mode: "exclusive", since };
    if (host !== undefined && host !== this.hostname) {
      holder.host = host;
      this.clearStale();
      this.publish([holder], `${this.file} names pid ${pid} on host "${host}", not this machine ("${this.hostname}"): whether that process is running cannot be told from here`);
      return;
    }
    const running = await isProcessRunning(pid, this.procDir);
    if (running) {
      const comm = await readComm(this.procDir, pid);
      if (comm !== undefined) holder.comm = comm;
      this.clearStale();
      this.publish([holder]);
      return;
    }
    holder.stale = true;
    this.publish([holder]);
    this.warnStale(pid);
  }

  private sinceFor(pid: number): string {
    if (this.holderSince?.pid !== pid) this.holderSince = { pid, since: isoNow(this.clock) };
    return this.holderSince.since;
  }

  private absent(): void {
    this.lastText = undefined;
    this.parsed = undefined;
    this.holderSince = undefined;
    this.clearStale();
    this.clearBad();
    this.publish([]);
  }

  private publish(holders: LockHolder[], unavailable?: string): void {
    if (this.closed) return;
    const signature = JSON.stringify([holders.map((h) => [h.pid, h.comm, h.stale, h.host]), unavailable]);
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    const obs: Omit<LockObservation, "seq"> = { kind: "lock", path: this.file, holders, waiters: [], ts: isoNow(this.clock), tsFrom: "observed", source: { file: this.file } };
    if (unavailable !== undefined) obs.unavailable = unavailable;
    this.emit([obs]);
  }

  private show(w: NewObservation | undefined): void {
    if (w && !this.closed) this.emit([w]);
  }

  private warnStale(pid: number): void {
    if (this.closed) return;
    const message = `${this.file} names pid ${pid}, which is not running: the program crashed or was killed; delete the file or restart the program.`;
    const w = this.warnings.raise(`stale-pidfile:${this.file}`, { code: "stale-pidfile", message, source: { file: this.file } }, isoNow(this.clock));
    if (w) this.stalePid = pid;
    this.show(w);
  }

  private clearStale(): void {
    if (this.closed) return;
    this.show(this.warnings.clear(`stale-pidfile:${this.file}`, `${this.file} no longer names a dead process (pid ${this.stalePid} was stale).`, isoNow(this.clock)));
  }

  private bad(message: string, code: "bad-line" | "unreadable"): void {
    if (this.closed) return;
    this.show(this.warnings.raise(`bad:${this.file}`, { code, message, source: { file: this.file } }, isoNow(this.clock)));
  }

  private clearBad(): void {
    if (this.closed) return;
    const again = (was: Raised): string => (was.code === "unreadable" ? `${this.file} is readable again (or gone).` : `${this.file} is a valid pid file again (or gone).`);
    this.show(this.warnings.clear(`bad:${this.file}`, again, isoNow(this.clock)));
  }
}
