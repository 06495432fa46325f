/**
 * The demo writes iai-mcp artifacts the way the real daemon does (SYSTEMS.md §2), and the demo
 * child process holds .lifecycle.lock with flock while it writes, and cleans up when stopped.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IaiDemoDaemon } from "../../electron/node/demo/iai-daemon";
import { startDemo } from "../../electron/node/demo/launcher";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import { LockBusyError } from "../../electron/node/fs/flock";
import { findProfile } from "../../shared/profiles";
import { normalize, declaresTransition } from "../../shared/machine/normalize";
import { seeded, tempDir, waitFor } from "../helpers/tmp";

const machine = normalize(findProfile("iai-mcp")?.machine ?? (() => { throw new Error("no iai-mcp profile"); })());

function readLog(dir: string): Record<string, unknown>[] {
  const logs = path.join(dir, "logs");
  return fs
    .readdirSync(logs)
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(logs, f), "utf8").split("\n").filter(Boolean))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("simulated iai-mcp daemon", () => {
  it("writes the state file and the log in the real formats, and every transition is declared", () => {
    const dir = tempDir();
    let t = Date.parse("2026-06-10T23:59:00Z");
    const daemon = new IaiDemoDaemon(dir, seeded(7), { now: () => (t += 1500) });
    daemon.init();
    const file = path.join(dir, "lifecycle_state.json");
    let rewrites = 0;
    let inPlace = 0;
    for (let i = 0; i < 200; i++) {
      const before = { ino: fs.statSync(file).ino, text: fs.readFileSync(file, "utf8") };
      // Hold the old file open, as a reader would: a replace gives the new content a new inode.
      const fd = fs.openSync(file, "r");
      daemon.tick();
      const after = { ino: fs.statSync(file).ino, text: fs.readFileSync(file, "utf8") };
      fs.closeSync(fd);
      if (after.text !== before.text) {
        rewrites += 1;
        if (after.ino === before.ino) inPlace += 1;
      }
    }
    const stateText = fs.readFileSync(file, "utf8");
    expect(stateText.endsWith("}")).toBe(true); // no trailing newline
    expect(stateText.split("\n")[1]).toMatch(/^ {2}"current_state": "/); // indent 2, field order
    const state = JSON.parse(stateText) as Record<string, unknown>;
    expect(Object.keys(state)).toEqual(["current_state", "since_ts", "last_activity_ts", "wrapper_event_seq", "sleep_cycle_progress", "quarantine", "shadow_run"]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(rewrites).toBeGreaterThan(50);
    expect(inPlace).toBe(0); // replaced (new inode), never rewritten in place
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // Daily files: the run crosses midnight UTC.
    expect(fs.readdirSync(path.join(dir, "logs")).sort()).toEqual(["lifecycle-events-2026-06-10.jsonl", "lifecycle-events-2026-06-11.jsonl"]);
    const raw = fs.readFileSync(path.join(dir, "logs", "lifecycle-events-2026-06-11.jsonl"), "utf8").split("\n")[0] ?? "";
    expect(raw.startsWith('{"ts":"2026-06-11T')).toBe(true); // compact, ts first
    expect(raw).not.toContain(": ");

    const lines = readLog(dir);
    const transitions = lines.filter((l) => l["event"] === "state_transition");
    expect(transitions.length).toBeGreaterThan(60);
    let prev = "WAKE";
    for (const tr of transitions) {
      expect(tr["from"]).toBe(prev);
      expect(declaresTransition(machine, String(tr["from"]), String(tr["to"]))).toBe(true);
      expect(String(tr["ts"])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
      prev = String(tr["to"]);
    }
    expect(state["current_state"]).toBe(prev);
    expect(transitions.some((tr) => tr["from"] === "WAKE" && tr["to"] === "WAKE")).toBe(true);
    expect(lines.some((l) => l["event"] === "sleep_step_completed")).toBe(true);
  });

  it("refuses to dispatch while another process holds .lifecycle.lock (\"state locked\")", async () => {
    const dir = tempDir();
    const daemon = new IaiDemoDaemon(dir, seeded(1));
    daemon.init();
    const holder = spawn("flock", ["-x", path.join(dir, ".lifecycle.lock"), "sleep", "30"], { stdio: "ignore", detached: true });
    try {
      const lockLine = await waitFor(() => fs.readFileSync("/proc/locks", "utf8").split("\n").find((l) => l.includes(`:${fs.statSync(path.join(dir, ".lifecycle.lock")).ino} `)), "the holder's flock");
      expect(lockLine).toMatch(/FLOCK\s+ADVISORY\s+WRITE/);
      expect(() => daemon.dispatch("idle_5min")).toThrow(LockBusyError);
      expect(daemon.state).toBe("WAKE");
    } finally {
      process.kill(-(holder.pid ?? 0), "SIGKILL"); // flock and its sleep, which inherited the lock
    }
    await waitFor(() => !fs.readFileSync("/proc/locks", "utf8").includes(`:${fs.statSync(path.join(dir, ".lifecycle.lock")).ino} `), "the lock to be released");
    expect(daemon.dispatch("idle_5min").to).toBe("DROWSY");
  });

  it("runs as a child process that flocks .lifecycle.lock while writing, and cleans up when stopped", async () => {
    const demo = await startDemo({ launcher: sourceDemoLauncher(), minMs: 50, maxMs: 80 });
    const root = path.dirname(demo.dir);
    try {
      expect(path.basename(demo.dir)).toBe(".iai-mcp");
      const ino = fs.statSync(path.join(demo.dir, ".lifecycle.lock")).ino;
      const pidFile = JSON.parse(fs.readFileSync(path.join(demo.dir, ".locked"), "utf8")) as { pid: number };
      expect(pidFile.pid).toBe(demo.pid);
      // Sample /proc/locks until we catch the child holding the lifecycle lock mid-dispatch.
      const seen = await waitFor(
        () => fs.readFileSync("/proc/locks", "utf8").split("\n").find((l) => l.includes(`:${ino} `) && l.includes(` ${demo.pid} `)),
        "the demo child holding .lifecycle.lock",
        10_000,
        1,
      );
      expect(seen).toMatch(/FLOCK\s+ADVISORY\s+WRITE/);
    } finally {
      await demo.stop();
    }
    expect(fs.existsSync(root)).toBe(false);
    expect(() => process.kill(demo.pid, 0)).toThrow();
  });
});
