/**
 * Who holds a lock file, and who waits for it, read from Linux's /proc/locks.
 *
 * Polls /proc/locks and matches its lines against the lock file's device and inode (the file is
 * only ever `stat`ed: never opened, created or locked, so watching cannot change what it shows).
 * The file may not exist yet (ecluse creates it on first use): then nobody holds it. An observation
 * is emitted on the first poll and whenever the holders or waiters change. Where /proc/locks does
 * not exist (macOS, Windows) one observation says so and polling stops: the holder is never guessed.
 *
 * btrfs (and some overlay set-ups) give `stat` a different device number than /proc/locks prints.
 * A lock on our inode number under another device is therefore checked through the holder's open
 * files (/proc/PID/fd): when one of them is our file, that device is remembered as ours.
 */
import type { BigIntStats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { LockSource } from "../../../shared/profiles/profile";
import type { LockHolder, LockObservation, NewObservation } from "../../../shared/trace/observation";
import { entryDevice, parseProcLocks, procLocksDevice, type ProcLockEntry } from "../../../shared/trace/proc-locks";
import { isoNow, type Clock, type Emit, type Source } from "./types";

export interface LockProbeOptions {
  /** How often /proc/locks is read. */
  intervalMs?: number;
  procLocksPath?: string;
  /** Where /proc/PID/comm and /proc/PID/fd are read. */
  procDir?: string;
}

export const UNAVAILABLE_ON_PLATFORM = "lock holder unavailable on this platform";

/** How long a "this process has no such file open" verdict is trusted before it is checked again. */
const RECHECK_FOREIGN_MS = 5000;

type HolderType = "FLOCK" | "POSIX" | "OFDLCK";

function isHolderType(t: string): t is HolderType {
  return t === "FLOCK" || t === "POSIX" || t === "OFDLCK";
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** One file of /proc/PID (comm, stat), trimmed; undefined when there is no such process, no /proc, or it is unreadable. */
export async function readProcFile(procDir: string, pid: number, name: "comm" | "stat"): Promise<string | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const text = await fs.readFile(path.join(procDir, String(pid), name), "utf8").then(
    (t) => t.trim(),
    () => "",
  );
  return text === "" ? undefined : text;
}

/** A process's name from /proc/PID/comm; undefined when it is gone or unreadable. */
export function readComm(procDir: string, pid: number): Promise<string | undefined> {
  return readProcFile(procDir, pid, "comm");
}

export class LockProbe implements Source {
  private readonly file: string;
  private readonly intervalMs: number;
  private readonly procLocksPath: string;
  private readonly procDir: string;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private closed = false;
  private stopped = false;
  private lastSignature: string | undefined;
  /** First time we saw each holder / waiter (by `holderKey`). */
  private readonly since = new Map<string, string>();
  /** /proc/locks devices proven to be our file's file system, by our stat device. */
  private readonly aliases = new Map<string, Set<string>>();
  /** `${device}|${pid}` -> when that process was found not to have our file open. */
  private readonly foreign = new Map<string, number>();
  private unverifiedKey: string | undefined;

  constructor(
    root: string,
    private readonly spec: LockSource,
    private readonly emit: Emit,
    private readonly clock: Clock,
    opts: LockProbeOptions = {},
  ) {
    this.file = path.resolve(root, spec.path);
    this.intervalMs = opts.intervalMs ?? 250;
    this.procLocksPath = opts.procLocksPath ?? "/proc/locks";
    this.procDir = opts.procDir ?? "/proc";
  }

  async start(): Promise<void> {
    await this.runPoll();
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight;
  }

  private schedule(): void {
    if (this.closed || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runPoll().then(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private runPoll(): Promise<void> {
    const p = this.poll().catch((err: unknown) => {
      this.publish([], [], `cannot probe ${this.spec.path}: ${(err as Error).message}`);
    });
    this.inflight = p;
    return p;
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    let text: string;
    try {
      text = await fs.readFile(this.procLocksPath, "utf8");
    } catch (err) {
      const code = errCode(err);
      if (code === "ENOENT" || code === "ENOTDIR") {
        this.stopped = true;
        this.publish([], [], UNAVAILABLE_ON_PLATFORM);
        return;
      }
      this.publish([], [], `cannot read ${this.procLocksPath} (${(err as Error).message}), so the holders of ${this.spec.path} are unknown; retrying`);
      return;
    }
    let st: BigIntStats | undefined;
    try {
      st = await fs.stat(this.file, { bigint: true });
    } catch (err) {
      const code = errCode(err);
      if (code !== "ENOENT" && code !== "ENOTDIR") {
        this.publish([], [], `cannot look at ${this.file} (${(err as Error).message}); check the folder's permissions`);
        return;
      }
    }
    if (st === undefined) {
      // No lock file (yet): nobody can hold it. Not an error: programs create it on first use.
      this.setUnverified(undefined);
      this.publish([], []);
      return;
    }
    const matched = await this.match(parseProcLocks(text), st);
    const holders: LockHolder[] = [];
    const waiters: LockHolder[] = [];
    const seenKeys = new Set<string>();
    const occurrences = new Map<string, number>();
    const now = isoNow(this.clock);
    for (const e of matched) {
      if (!isHolderType(e.type) || e.mode === "none") continue;
      const base = `${e.blocked ? "waiter" : "holder"}|${e.pid}|${e.type}|${e.mode}`;
      // One process holding several ranges is one holder; OFD locks (pid -1) cannot be told apart
      // by process, so each of those counts.
      const n = occurrences.get(base) ?? 0;
      occurrences.set(base, n + 1);
      if (e.pid > 0 && n > 0) continue;
      const key = e.pid > 0 ? base : `${base}#${n}`;
      seenKeys.add(key);
      let since = this.since.get(key);
      if (since === undefined) {
        since = now;
        this.since.set(key, since);
      }
      const holder: LockHolder = { pid: e.pid, type: e.type, mode: e.mode, since };
      const comm = await readComm(this.procDir, e.pid);
      if (comm !== undefined) holder.comm = comm;
      if (e.blocked) {
        holder.blocked = true;
        waiters.push(holder);
      } else {
        holders.push(holder);
      }
    }
    for (const key of [...this.since.keys()]) if (!seenKeys.has(key)) this.since.delete(key);
    const order = (a: LockHolder, b: LockHolder): number => a.since.localeCompare(b.since) || a.pid - b.pid || a.type.localeCompare(b.type) || a.mode.localeCompare(b.mode);
    this.publish(holders.sort(order), waiters.sort(order));
  }

  /** The entries about our file: same inode, and our device (or a device proven to be ours). */
  private async match(entries: ProcLockEntry[], st: BigIntStats): Promise<ProcLockEntry[]> {
    const ours = procLocksDevice(st.dev);
    const ino = st.ino.toString();
    let aliases = this.aliases.get(ours);
    const out: ProcLockEntry[] = [];
    const unverified: ProcLockEntry[] = [];
    for (const e of entries) {
      if (e.inode !== ino) continue;
      const dev = entryDevice(e);
      if (dev === ours || aliases?.has(dev)) {
        out.push(e);
        continue;
      }
      if (e.pid <= 0) {
        unverified.push(e);
        continue;
      }
      const verdict = await this.opensOurFile(e.pid, dev, st);
      if (verdict === "yes") {
        if (!aliases) {
          aliases = new Set();
          this.aliases.set(ours, aliases);
        }
        aliases.add(dev);
        out.push(e);
      } else if (verdict === "unknown") {
        unverified.push(e);
      }
    }
    // A device learnt late (from a waiter listed after an OFD lock) also covers earlier lines.
    const late = unverified.filter((e) => aliases?.has(entryDevice(e)));
    out.push(...late);
    const left = unverified.filter((e) => !late.includes(e));
    this.setUnverified(left[0]);
    return out.sort((a, b) => a.id - b.id);
  }

  /** Whether process `pid` has the file `st` open: "unknown" when its open files cannot be read. */
  private async opensOurFile(pid: number, dev: string, st: BigIntStats): Promise<"yes" | "no" | "unknown"> {
    const cacheKey = `${dev}|${pid}`;
    const checked = this.foreign.get(cacheKey);
    const now = this.clock();
    if (checked !== undefined && now - checked < RECHECK_FOREIGN_MS) return "no";
    const fdDir = path.join(this.procDir, String(pid), "fd");
    let names: string[];
    try {
      names = await fs.readdir(fdDir);
    } catch {
      return "unknown";
    }
    for (const name of names) {
      try {
        const s = await fs.stat(path.join(fdDir, name), { bigint: true });
        if (s.dev === st.dev && s.ino === st.ino) return "yes";
      } catch {
        // The descriptor was closed meanwhile, or points at something we may not stat.
      }
    }
    this.foreign.set(cacheKey, now);
    return "no";
  }

  private setUnverified(e: ProcLockEntry | undefined): void {
    const key = `lock-unverified:${this.file}`;
    const ts = isoNow(this.clock);
    if (e === undefined) {
      if (this.unverifiedKey === undefined || this.closed) return;
      this.unverifiedKey = undefined;
      const message = `The lock on ${this.spec.path}'s inode number under another device number is gone (or was checked): nothing about ${this.spec.path} is left unverified.`;
      this.emit([{ kind: "warning", code: "unreadable", key, cleared: true, message, ts, tsFrom: "observed", source: { file: this.file } }]);
      return;
    }
    if (this.unverifiedKey !== undefined || this.closed) return;
    this.unverifiedKey = key;
    const who = e.pid > 0 ? `process ${e.pid}'s open files (${this.procDir}/${e.pid}/fd) cannot be read: run the inspector as that process's user to see it` : "an OFD lock names no process whose open files could be checked";
    this.emit([
      {
        kind: "warning",
        code: "unreadable",
        key,
        message: `${this.procLocksPath} lists a ${e.type} lock on inode ${e.inode ?? "?"} of device ${entryDevice(e)}, the inode number of ${this.file} but not its device number (${this.spec.path} may be on btrfs or overlayfs). It may or may not be this file, and ${who}; it is not shown as a holder.`,
        ts,
        tsFrom: "observed",
        source: { file: this.file },
      },
    ]);
  }

  private publish(holders: LockHolder[], waiters: LockHolder[], unavailable?: string): void {
    if (this.closed) return;
    const signature = JSON.stringify([holders.map((h) => [h.pid, h.comm, h.type, h.mode]), waiters.map((h) => [h.pid, h.comm, h.type, h.mode]), unavailable]);
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    const obs: Omit<LockObservation, "seq"> = { kind: "lock", path: this.file, holders, waiters, ts: isoNow(this.clock), tsFrom: "observed", source: { file: this.file } };
    if (unavailable !== undefined) obs.unavailable = unavailable;
    const items: NewObservation[] = [obs];
    this.emit(items);
  }
}
