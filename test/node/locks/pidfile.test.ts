/**
 * Pid files (iai-mcp's `.locked`) against real processes: alive, dead (stale, with a warning that
 * removal clears), a crash while watching, another host, garbage (a warning naming the file,
 * retried on the next change), and close() leaving nothing behind.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { isProcessRunning, parsePidFile, PidFileSource } from "../../../electron/node/sources/pidfile";
import type { PidFileSource as PidFileSpec } from "../../../shared/profiles/profile";
import type { LockObservation, NewObservation, WarningObservation } from "../../../shared/trace/observation";
import { tempDir, waitFor } from "../../helpers/tmp";
import { exited, killGroup } from "./processes";

type Lock = Omit<LockObservation, "seq">;
type Warning = Omit<WarningObservation, "seq">;

const spec: PidFileSpec = { kind: "pidfile", path: ".locked", pidField: "pid", meaning: "the daemon's pid file" };

function collect(): { items: NewObservation[]; last: () => Lock | undefined; warnings: () => Warning[]; emit: (o: NewObservation[]) => void } {
  const items: NewObservation[] = [];
  return {
    items,
    last: () => items.filter((o): o is Lock => o.kind === "lock").at(-1),
    warnings: () => items.filter((o): o is Warning => o.kind === "warning"),
    emit: (o) => items.push(...o),
  };
}

function pidFile(pid: number, hostname = os.hostname()): string {
  return JSON.stringify({ pid, hostname, started_at: "2026-06-10T10:00:00.123456+00:00", schema_version: 1 });
}

async function deadPid(): Promise<number> {
  const child = spawn("true", [], { stdio: "ignore" });
  const pid = child.pid;
  await exited(child);
  if (pid === undefined) throw new Error("could not start `true`");
  return pid;
}

function sleeper(): { pid: number; kill: () => void } {
  const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
  if (child.pid === undefined) throw new Error("could not start `sleep`");
  const pid = child.pid;
  return { pid, kill: () => killGroup(child) };
}

describe("parsePidFile", () => {
  it("reads the pid and host, a bare number, a numeric string; says what is wrong otherwise", () => {
    expect(parsePidFile(pidFile(42, "box"), "pid")).toEqual({ ok: true, pid: 42, host: "box" });
    expect(parsePidFile("4242\n", "pid")).toEqual({ ok: true, pid: 4242 });
    expect(parsePidFile('{"daemon":{"pid":"77"}}', "daemon.pid")).toEqual({ ok: true, pid: 77 });
    expect(parsePidFile('{"pid": 12', "pid")).toMatchObject({ ok: false, problem: expect.stringMatching(/^is not valid JSON \(/) });
    expect(parsePidFile('{"pid": -3}', "pid")).toEqual({ ok: false, problem: 'has -3 in field "pid" where a process id (a positive whole number) was expected' });
    expect(parsePidFile('{"other": 1}', "pid")).toEqual({ ok: false, problem: 'has nothing in field "pid" where a process id (a positive whole number) was expected' });
    expect(parsePidFile('{"pid": 1.5}', "pid")).toMatchObject({ ok: false });
  });
});

describe("isProcessRunning", () => {
  it("is true for a live child, false once it has exited, false for nonsense pids", async () => {
    const s = sleeper();
    try {
      expect(await isProcessRunning(s.pid)).toBe(true);
    } finally {
      s.kill();
    }
    expect(await isProcessRunning(await deadPid())).toBe(false);
    expect(await isProcessRunning(0)).toBe(false);
    expect(await isProcessRunning(-1)).toBe(false);
  });
});

describe("PidFileSource", () => {
  it("reports a live pid as the holder with its process name", async () => {
    const dir = tempDir("pidfile-");
    const file = path.join(dir, ".locked");
    const s = sleeper();
    fs.writeFileSync(file, pidFile(s.pid));
    const c = collect();
    const src = new PidFileSource(dir, spec, c.emit, Date.now, { recheckMs: 30 });
    try {
      await src.start();
      expect(c.items).toHaveLength(1);
      expect(c.last()).toMatchObject({ kind: "lock", path: file, waiters: [], tsFrom: "observed", source: { file } });
      expect(c.last()?.holders).toEqual([{ pid: s.pid, comm: "sleep", type: "PIDFILE", mode: "exclusive", since: expect.any(String) }]);
      expect(c.last()?.unavailable).toBeUndefined();

      // The daemon crashes; the file stays: the next check finds it stale.
      s.kill();
      const stale = await waitFor(() => (c.last()?.holders[0]?.stale ? c.last() : undefined), "the holder to turn stale");
      expect(stale.holders[0]).toMatchObject({ pid: s.pid, stale: true });
      expect(stale.holders[0]?.comm).toBeUndefined();
      expect(c.warnings()).toEqual([expect.objectContaining({ code: "stale-pidfile", key: `stale-pidfile:${file}` })]);
    } finally {
      s.kill();
      await src.close();
    }
  });

  it("reports a dead pid as stale with a warning, and clears it when the file is removed", async () => {
    const dir = tempDir("pidfile-");
    const file = path.join(dir, ".locked");
    const pid = await deadPid();
    fs.writeFileSync(file, pidFile(pid));
    const c = collect();
    const src = new PidFileSource(dir, spec, c.emit, () => Date.parse("2026-06-10T10:00:00Z"), { recheckMs: 30 });
    try {
      await src.start();
      expect(c.last()?.holders).toEqual([{ pid, type: "PIDFILE", mode: "exclusive", since: "2026-06-10T10:00:00.000Z", stale: true }]);
      const [warning] = c.warnings();
      expect(warning).toEqual({
        kind: "warning",
        code: "stale-pidfile",
        key: `stale-pidfile:${file}`,
        message: `${file} names pid ${pid}, which is not running: the program crashed or was killed; delete the file or restart the program.`,
        ts: "2026-06-10T10:00:00.000Z",
        tsFrom: "observed",
        source: { file },
      });
      // Re-checked many times: still one warning and one observation.
      await new Promise((r) => setTimeout(r, 120));
      expect(c.items).toHaveLength(2);

      fs.unlinkSync(file);
      await waitFor(() => (c.last()?.holders.length === 0 ? true : undefined), "no holder once the file is gone");
      const cleared = c.warnings().at(-1);
      expect(cleared).toMatchObject({ code: "stale-pidfile", key: `stale-pidfile:${file}`, cleared: true });
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await src.close();
    }
  });

  it("does not call a pid on another host stale: it says it cannot tell", async () => {
    const dir = tempDir("pidfile-");
    const file = path.join(dir, ".locked");
    const pid = await deadPid();
    fs.writeFileSync(file, pidFile(pid, "build-server-7"));
    const c = collect();
    const src = new PidFileSource(dir, spec, c.emit, Date.now, { hostname: "my-laptop", recheckMs: 30 });
    try {
      await src.start();
      expect(c.last()?.holders).toEqual([{ pid, type: "PIDFILE", mode: "exclusive", since: expect.any(String), host: "build-server-7" }]);
      expect(c.last()?.unavailable).toBe(`${file} names pid ${pid} on host "build-server-7", not this machine ("my-laptop"): whether that process is running cannot be told from here`);
      expect(c.warnings()).toEqual([]);
    } finally {
      await src.close();
    }
  });

  it("warns about garbage with the file and what is wrong, and reads it again at the next change", async () => {
    const dir = tempDir("pidfile-");
    const file = path.join(dir, ".locked");
    fs.writeFileSync(file, "{not json");
    const c = collect();
    const src = new PidFileSource(dir, spec, c.emit, Date.now, { recheckMs: 30 });
    const s = sleeper();
    try {
      await src.start();
      const [bad] = c.warnings();
      expect(bad).toMatchObject({ code: "bad-line", key: `bad:${file}`, source: { file } });
      expect(bad?.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON \\(.+\\)\\. Fix or delete the file; it is read again at its next change\\.$`));
      expect(c.last()?.holders).toEqual([]);
      expect(c.last()?.unavailable).toContain("which process holds it cannot be told");
      await new Promise((r) => setTimeout(r, 100));
      expect(c.warnings()).toHaveLength(1);

      fs.writeFileSync(file, '{"pid": "soon"}');
      await waitFor(() => (c.warnings().length === 2 ? true : undefined), "the second problem");
      expect(c.warnings()[1]?.message).toContain(`has "soon" in field "pid"`);

      fs.writeFileSync(file, pidFile(s.pid));
      await waitFor(() => (c.last()?.holders[0]?.pid === s.pid ? true : undefined), "the holder once the file is fixed");
      expect(c.warnings().at(-1)).toMatchObject({ key: `bad:${file}`, cleared: true });
      expect(c.last()?.unavailable).toBeUndefined();
    } finally {
      s.kill();
      await src.close();
    }
  });

  it("no pid file is no holder and no warning; one that appears later is picked up", async () => {
    const dir = tempDir("pidfile-");
    const c = collect();
    const src = new PidFileSource(dir, spec, c.emit, Date.now, { recheckMs: 30 });
    const s = sleeper();
    try {
      await src.start();
      expect(c.items).toEqual([expect.objectContaining({ kind: "lock", holders: [], waiters: [] })]);
      fs.writeFileSync(path.join(dir, ".locked"), pidFile(s.pid));
      await waitFor(() => (c.last()?.holders[0]?.pid === s.pid ? true : undefined), "the new pid file");
      expect(c.warnings()).toEqual([]);
    } finally {
      s.kill();
      await src.close();
    }
  });

  it("close() leaves no timer and emits nothing afterwards", async () => {
    const dir = tempDir("pidfile-");
    const c = collect();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const src = new PidFileSource(dir, spec, c.emit, Date.now, { recheckMs: 30 });
      await src.start();
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      await src.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const n = c.items.length;
    fs.writeFileSync(path.join(dir, ".locked"), pidFile(process.pid));
    await new Promise((r) => setTimeout(r, 80));
    expect(c.items).toHaveLength(n);
  });
});
