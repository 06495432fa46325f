/**
 * The lock probe against real lock holders (util-linux flock, Python fcntl.lockf) and the real
 * /proc/locks: holders, waiters, shared holders, release, a re-created lock file, a platform
 * without /proc/locks, a device number that differs from stat's (btrfs), and proof that the probe
 * itself never locks, opens or changes the file.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { LockProbe, UNAVAILABLE_ON_PLATFORM } from "../../../electron/node/sources/lock-probe";
import type { LockSource } from "../../../shared/profiles/profile";
import type { LockObservation, NewObservation } from "../../../shared/trace/observation";
import { parseProcLocks, procLocksDevice } from "../../../shared/trace/proc-locks";
import { tempDir, waitFor } from "../../helpers/tmp";
import { flockHolder, killGroup, ofdHolder, openHolder, posixHolder, processTree, procLocksFor, waitForProcLocks } from "./processes";

type Lock = Omit<LockObservation, "seq">;

const HAVE_PROC_LOCKS = fs.existsSync("/proc/locks");
const spec: LockSource = { kind: "lock", path: ".lifecycle.lock", lockType: "flock" };

function collect(): { items: NewObservation[]; locks: () => Lock[]; last: () => Lock | undefined; emit: (o: NewObservation[]) => void } {
  const items: NewObservation[] = [];
  const locks = (): Lock[] => items.filter((o): o is Lock => o.kind === "lock");
  return { items, locks, last: () => locks().at(-1), emit: (o) => items.push(...o) };
}

function setup(): { dir: string; file: string } {
  const dir = tempDir("lock-probe-");
  const file = path.join(dir, spec.path);
  fs.writeFileSync(file, "");
  return { dir, file };
}

function commOf(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
}

describe.runIf(HAVE_PROC_LOCKS)("LockProbe on Linux", () => {
  it("reports a flock holder (pid, comm, FLOCK, exclusive) and a blocked second flock as a waiter", async () => {
    const { dir, file } = setup();
    const c = collect();
    const probe = new LockProbe(dir, spec, c.emit, Date.now, { intervalMs: 20 });
    await probe.start();
    try {
      expect(c.locks()).toHaveLength(1);
      expect(c.last()).toMatchObject({ kind: "lock", path: file, holders: [], waiters: [], tsFrom: "observed", source: { file } });
      expect(c.last()?.unavailable).toBeUndefined();

      const holder = flockHolder(file, "-x");
      const [held] = await waitForProcLocks(file, 1);
      if (!held || holder.pid === undefined) throw new Error("no holder");
      // The lock belongs to the flock process (or the sleep it started, which shares the open file).
      expect(processTree(holder.pid)).toContain(held.pid);
      const seen = await waitFor(() => (c.last()?.holders.length === 1 ? c.last() : undefined), "the holder to be reported");
      const h = seen.holders[0];
      expect(h).toMatchObject({ pid: held.pid, comm: commOf(held.pid), type: "FLOCK", mode: "exclusive" });
      expect(h?.blocked).toBeUndefined();
      expect(Date.parse(h?.since ?? "")).toBeGreaterThan(Date.now() - 10_000);
      expect(seen.waiters).toEqual([]);

      const waiter = flockHolder(file, "-x");
      const [blocked] = await waitForProcLocks(file, 1, true);
      if (!blocked || waiter.pid === undefined) throw new Error("no waiter");
      expect(processTree(waiter.pid)).toContain(blocked.pid);
      const withWaiter = await waitFor(() => (c.last()?.waiters.length === 1 ? c.last() : undefined), "the waiter to be reported");
      expect(withWaiter.waiters[0]).toMatchObject({ pid: blocked.pid, comm: "flock", type: "FLOCK", mode: "exclusive", blocked: true });
      // The holder is the same holder, since the same time.
      expect(withWaiter.holders).toEqual(seen.holders);

      // Only changes are emitted: a few quiet polls add nothing.
      const count = c.locks().length;
      await new Promise((r) => setTimeout(r, 150));
      expect(c.locks()).toHaveLength(count);

      // The holder dies: the waiter gets the lock and becomes the holder.
      killGroup(holder);
      const after = await waitFor(() => (c.last()?.holders[0]?.pid === blocked.pid && c.last()?.waiters.length === 0 ? c.last() : undefined), "the waiter to become the holder");
      expect(after.holders).toHaveLength(1);

      killGroup(waiter);
      const free = await waitFor(() => (c.last()?.holders.length === 0 ? c.last() : undefined), "the lock to be free");
      expect(free.waiters).toEqual([]);
    } finally {
      await probe.close();
    }
  });

  it("reports two shared flock holders", async () => {
    const { dir, file } = setup();
    const c = collect();
    const probe = new LockProbe(dir, { ...spec, meaning: "readers" }, c.emit, Date.now, { intervalMs: 20 });
    await probe.start();
    try {
      flockHolder(file, "-s");
      flockHolder(file, "-s");
      const held = await waitForProcLocks(file, 2);
      const seen = await waitFor(() => (c.last()?.holders.length === 2 ? c.last() : undefined), "two shared holders");
      expect(seen.holders.map((h) => h.mode)).toEqual(["shared", "shared"]);
      expect(seen.holders.map((h) => h.type)).toEqual(["FLOCK", "FLOCK"]);
      expect(seen.holders.map((h) => h.pid).sort()).toEqual(held.map((e) => e.pid).sort());
    } finally {
      await probe.close();
    }
  });

  it("reports a POSIX (fcntl) exclusive lock, and no holder once its process is killed", async () => {
    const { dir, file } = setup();
    const c = collect();
    const probe = new LockProbe(dir, { ...spec, lockType: "posix" }, c.emit, Date.now, { intervalMs: 20 });
    await probe.start();
    try {
      const py = await posixHolder(file);
      const seen = await waitFor(() => (c.last()?.holders.length === 1 ? c.last() : undefined), "the POSIX holder");
      expect(seen.holders[0]).toMatchObject({ pid: py.pid, type: "POSIX", mode: "exclusive" });
      expect(seen.holders[0]?.comm).toMatch(/^python/);
      killGroup(py);
      await waitFor(() => (c.last()?.holders.length === 0 ? true : undefined), "no holder after the kill");
      expect(procLocksFor(file)).toEqual([]);
    } finally {
      await probe.close();
    }
  });

  it("reports OFD locks (no owning process: pid -1), each one as a holder", async () => {
    const { dir, file } = setup();
    const c = collect();
    const probe = new LockProbe(dir, { ...spec, lockType: "posix" }, c.emit, Date.now, { intervalMs: 20 });
    await probe.start();
    try {
      await ofdHolder(file, "shared");
      await ofdHolder(file, "shared");
      await waitForProcLocks(file, 2);
      const seen = await waitFor(() => (c.last()?.holders.length === 2 ? c.last() : undefined), "two OFD holders");
      for (const h of seen.holders) {
        expect(h).toMatchObject({ pid: -1, type: "OFDLCK", mode: "shared" });
        expect(h.comm).toBeUndefined();
      }
    } finally {
      await probe.close();
    }
  });

  it("says so when /proc/locks cannot be read, keeps trying, and recovers", async () => {
    const { dir, file } = setup();
    const fakeLocks = path.join(dir, "locks");
    fs.mkdirSync(fakeLocks);
    const c = collect();
    const probe = new LockProbe(dir, spec, c.emit, Date.now, { intervalMs: 10, procLocksPath: fakeLocks });
    await probe.start();
    try {
      expect(c.last()?.unavailable).toMatch(new RegExp(`^cannot read ${fakeLocks} \\(.*EISDIR.*\\), so the holders of \\.lifecycle\\.lock are unknown; retrying$`));
      const st = fs.statSync(file);
      fs.rmdirSync(fakeLocks);
      fs.writeFileSync(fakeLocks, `1: FLOCK  ADVISORY  WRITE ${process.pid} ${procLocksDevice(st.dev)}:${st.ino} 0 EOF\n`);
      const seen = await waitFor(() => (c.last()?.holders.length === 1 ? c.last() : undefined), "the holder once /proc/locks is readable");
      expect(seen.unavailable).toBeUndefined();
      expect(seen.holders[0]).toMatchObject({ pid: process.pid, comm: commOf(process.pid), type: "FLOCK" });
    } finally {
      await probe.close();
    }
  });

  it("matches a lock file deleted and re-created by its new inode; a missing file is no error", async () => {
    const dir = tempDir("lock-probe-");
    const file = path.join(dir, spec.path);
    const c = collect();
    const probe = new LockProbe(dir, spec, c.emit, Date.now, { intervalMs: 20 });
    await probe.start();
    try {
      // No file yet: no holders, nothing else (and the probe did not create it).
      expect(c.items).toEqual([expect.objectContaining({ kind: "lock", holders: [], waiters: [] })]);
      expect(fs.existsSync(file)).toBe(false);

      fs.writeFileSync(file, "");
      const first = flockHolder(file, "-x");
      await waitFor(() => (c.last()?.holders.length === 1 ? true : undefined), "the first holder");
      const firstPid = c.last()?.holders[0]?.pid;

      // Deleted while still locked: the lock is on an inode no longer at that path.
      fs.unlinkSync(file);
      await waitFor(() => (c.last()?.holders.length === 0 ? true : undefined), "no holder once the file is gone");

      fs.writeFileSync(file, "");
      const second = flockHolder(file, "-x");
      const [held] = await waitForProcLocks(file, 1);
      const seen = await waitFor(() => (c.last()?.holders.length === 1 ? c.last() : undefined), "the holder of the new file");
      expect(seen.holders[0]?.pid).toBe(held?.pid);
      expect(seen.holders[0]?.pid).not.toBe(firstPid);
      // The first holder still holds its (deleted) inode: it is not reported.
      expect(processTree(first.pid ?? 0)).toContain(firstPid);
      expect(processTree(second.pid ?? 0)).toContain(held?.pid);
      expect(c.items.every((o) => o.kind === "lock")).toBe(true);
    } finally {
      await probe.close();
    }
  });

  it("never takes a lock, never opens, creates or changes the file", async () => {
    const { dir, file } = setup();
    fs.chmodSync(file, 0o640);
    const before = fs.statSync(file, { bigint: true });
    const missing = path.join(dir, "never-created.lock");
    const c = collect();
    const probe = new LockProbe(dir, spec, c.emit, Date.now, { intervalMs: 5 });
    const probe2 = new LockProbe(dir, { ...spec, path: "never-created.lock" }, c.emit, Date.now, { intervalMs: 5 });
    const holder = flockHolder(file, "-x");
    await probe.start();
    await probe2.start();
    const ours: string[] = [];
    const openedByUs: string[] = [];
    try {
      const end = Date.now() + 800;
      while (Date.now() < end) {
        for (const e of parseProcLocks(fs.readFileSync("/proc/locks", "utf8"))) if (e.pid === process.pid) ours.push(`${e.type} on inode ${e.inode ?? "?"}`);
        for (const fd of fs.readdirSync("/proc/self/fd")) {
          try {
            const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
            if (target === file || target.startsWith(`${file} `) || target === missing) openedByUs.push(target);
          } catch {
            // closed meanwhile
          }
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await waitFor(() => (c.locks().some((o) => o.holders.length === 1) ? true : undefined), "the holder");
    } finally {
      await probe.close();
      await probe2.close();
      killGroup(holder);
    }
    expect(ours).toEqual([]);
    expect(openedByUs).toEqual([]);
    const after = fs.statSync(file, { bigint: true });
    expect([after.ino, after.mode, after.size, after.mtimeNs, after.ctimeNs]).toEqual([before.ino, before.mode, before.size, before.mtimeNs, before.ctimeNs]);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("accepts a device number that differs from stat's (btrfs) only when the holder has this very file open", async () => {
    const { dir, file } = setup();
    const st = fs.statSync(file, { bigint: true });
    const other = path.join(dir, "other");
    fs.writeFileSync(other, "");
    const withFile = openHolder(file);
    const withOther = openHolder(other);
    await waitFor(() => (fs.readdirSync(`/proc/${withFile.pid}/fd`).length > 0 && fs.readdirSync(`/proc/${withOther.pid}/fd`).length > 0 ? true : undefined), "the two processes to start");
    const real = procLocksDevice(st.dev);
    const fake = real === "99:99" ? "98:98" : "99:99";
    const fakeLocks = path.join(dir, "locks");
    // A process without the file open, claiming our inode under another device: not ours.
    fs.writeFileSync(fakeLocks, `1: FLOCK  ADVISORY  WRITE ${withOther.pid} ${fake}:${st.ino} 0 EOF\n`);
    const c = collect();
    const probe = new LockProbe(dir, spec, c.emit, Date.now, { intervalMs: 10, procLocksPath: fakeLocks });
    await probe.start();
    try {
      expect(c.last()?.holders).toEqual([]);
      // A pid that does not exist: its open files cannot be checked, which is said, not guessed.
      fs.writeFileSync(fakeLocks, `1: FLOCK  ADVISORY  WRITE 4194999 ${fake}:${st.ino} 0 EOF\n`);
      const warning = await waitFor(() => c.items.find((o) => o.kind === "warning" && !o.cleared), "the unverified-lock warning");
      expect(warning).toMatchObject({ kind: "warning", code: "unreadable", source: { file } });
      expect(warning.kind === "warning" && warning.message).toContain(`inode ${st.ino}`);
      expect(c.last()?.holders).toEqual([]);
      // The process that has the file open: the device is ours after all.
      fs.writeFileSync(fakeLocks, `1: FLOCK  ADVISORY  WRITE ${withFile.pid} ${fake}:${st.ino} 0 EOF\n1: -> FLOCK  ADVISORY  READ 4194999 ${fake}:${st.ino} 0 EOF\n`);
      const seen = await waitFor(() => (c.last()?.holders.length === 1 ? c.last() : undefined), "the verified holder");
      expect(seen.holders[0]).toMatchObject({ pid: withFile.pid, comm: "sleep", type: "FLOCK", mode: "exclusive" });
      // Once proven, the device covers the waiter too, and the warning is cleared.
      expect(seen.waiters).toEqual([expect.objectContaining({ pid: 4194999, blocked: true, mode: "shared" })]);
      expect(seen.waiters[0]?.comm).toBeUndefined();
      expect(c.items.some((o) => o.kind === "warning" && o.cleared)).toBe(true);
    } finally {
      await probe.close();
    }
  });

  it("close() stops polling: no timer is left and nothing is emitted afterwards", async () => {
    const { dir, file } = setup();
    const c = collect();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const probe = new LockProbe(dir, spec, c.emit, Date.now, { intervalMs: 5 });
      await probe.start();
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(20);
      await probe.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const n = c.items.length;
    flockHolder(file, "-x");
    await waitForProcLocks(file, 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.items).toHaveLength(n);
  });
});

describe("LockProbe without /proc/locks", () => {
  it("says the holder is unavailable on this platform, once, and stops polling", async () => {
    const dir = tempDir("lock-probe-");
    fs.writeFileSync(path.join(dir, spec.path), "");
    const c = collect();
    const clock = (): number => Date.parse("2026-06-10T10:00:00Z");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const probe = new LockProbe(dir, spec, c.emit, clock, { intervalMs: 5, procLocksPath: path.join(dir, "no-such", "locks") });
      await probe.start();
      // Stopped: no poll is scheduled.
      expect(vi.getTimerCount()).toBe(0);
      await probe.close();
    } finally {
      vi.useRealTimers();
    }
    expect(c.items).toEqual([
      {
        kind: "lock",
        path: path.join(dir, spec.path),
        holders: [],
        waiters: [],
        unavailable: UNAVAILABLE_ON_PLATFORM,
        ts: "2026-06-10T10:00:00.000Z",
        tsFrom: "observed",
        source: { file: path.join(dir, spec.path) },
      },
    ]);
    expect(UNAVAILABLE_ON_PLATFORM).toBe("lock holder unavailable on this platform");
  });
});
