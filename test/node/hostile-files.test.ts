/**
 * What a hostile or careless file cannot do to the command line: write escape sequences to the
 * terminal, hide an event named __proto__ or miscount one named constructor, block on a FIFO or a
 * kernel file, or stop a whole check with one looping symlink.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, json } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";
import type { CheckReport } from "../../electron/node/check/report";
import { TraceSession } from "../../electron/node/session/trace-session";
import { resolveWatchTarget } from "../../electron/node/session/watch-target";
import { findProfile } from "../../shared/profiles";
import { createBackend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";

const ESC = "\x1b";
const line = (o: Record<string, unknown>): string => JSON.stringify(o);

function hostileLog(dir: string): string {
  const logs = path.join(dir, "logs");
  fs.mkdirSync(logs, { recursive: true });
  const file = path.join(logs, "lifecycle-events-2026-06-10.jsonl");
  fs.writeFileSync(
    file,
    [
      line({ ts: "2026-06-10T00:00:00+00:00", event: "state_transition", from: "WAKE", to: "DROWSY", trigger: "idle_5min" }),
      // A state name that clears the screen and sets the window title, a bidi override, a C1 CSI.
      line({ ts: "2026-06-10T00:00:01+00:00", event: "state_transition", from: "DROWSY", to: `${ESC}[2J${ESC}]0;pwned\x07SLEEP\u202e\u009b31m`, trigger: "x" }),
      line({ ts: "2026-06-10T00:00:02+00:00", event: "constructor" }),
      line({ ts: "2026-06-10T00:00:03+00:00", event: "constructor" }),
      line({ ts: "2026-06-10T00:00:04+00:00", event: "__proto__" }),
      line({ ts: "2026-06-10T00:00:05+00:00", event: `${ESC}[1A${ESC}[2KEverything conforms to the machine.` }),
    ].join("\n") + "\n",
  );
  return file;
}

describe("hostile files and the command line", () => {
  it("check prints no escape sequence from a log, and counts events named constructor and __proto__", async () => {
    const dir = tempDir();
    const file = hostileLog(dir);
    const human = await cli(["check", file]);
    expect(human.code).toBe(1); // an unknown state
    expect(human.stdout + human.stderr).not.toContain(ESC);
    expect(human.stdout).not.toContain("\u202e");
    expect(human.stdout).not.toContain("\u009b");
    expect(human.stdout).toContain("\\x1b[2J");
    expect(human.stdout).toContain("constructor ×2");
    expect(human.stdout).toContain("__proto__ ×1");
    const report = json<CheckReport>(await cli(["check", file, "--json"]));
    expect(Object.entries(report.instances[0]?.eventCounts ?? {})).toEqual([
      ["constructor", 2],
      ["__proto__", 1],
      [`${ESC}[1A${ESC}[2KEverything conforms to the machine.`, 1],
    ]);
    const raw = (await cli(["check", file, "--json"])).stdout;
    expect(raw).not.toContain(ESC);
    expect(raw).not.toContain("\u009b");
  });

  it("refuses a FIFO, a device and /proc at once, naming what they are", async () => {
    const dir = tempDir();
    const fifo = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    execFileSync("mkfifo", [fifo]);
    for (const [args, what] of [
      [["check", fifo], "FIFO"],
      [["check", fifo, "--profile", "iai-mcp"], "FIFO"],
      [["check", "/dev/null"], "character device"],
      [["check", "/proc"], "proc file system"],
      [["check", "/proc/kmsg", "--profile", "iai-mcp"], "proc file system"],
    ] as const) {
      const r = await cli([...args], { timeoutMs: 30_000 });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(what);
    }
  });

  it("reports symlink loops in a folder of logs (before the logs, and among them), and reads the rest", async () => {
    const dir = tempDir();
    const file = hostileLog(dir);
    const logs = path.dirname(file);
    fs.symlinkSync("b-loop.jsonl", path.join(logs, "a-loop.jsonl"));
    fs.symlinkSync("a-loop.jsonl", path.join(logs, "b-loop.jsonl"));
    fs.symlinkSync("lifecycle-events-2026-06-11.jsonl", path.join(logs, "lifecycle-events-2026-06-11.jsonl"));
    const r = await cli(["check", logs, "--json"], { timeoutMs: 30_000 });
    const report = json<CheckReport>(r);
    expect(report.instances[0]?.counts.declared, r.stdout).toBe(1);
    const messages = report.errors.map((e) => `${path.basename(e.file)}: ${e.message}`);
    expect(messages.some((m) => m.includes("a-loop.jsonl") && m.includes("loops back on itself")), messages.join("\n")).toBe(true);
    expect(messages.some((m) => m.includes("lifecycle-events-2026-06-11.jsonl") && m.includes("loops back on itself"))).toBe(true);
  });

  it("watch: a FIFO as the newest log is reported and skipped, and the other sources go on", async () => {
    const dir = tempDir();
    hostileLog(dir);
    execFileSync("mkfifo", [path.join(dir, "logs", "lifecycle-events-2026-06-11.jsonl")]);
    fs.writeFileSync(path.join(dir, "lifecycle_state.json"), JSON.stringify({ current_state: "DROWSY", since_ts: "2026-06-10T00:00:00+00:00" }));
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("no iai-mcp profile");
    const target = await resolveWatchTarget(dir);
    const session = new TraceSession({ id: "w", title: "w", kind: "live", profile: target.profile, root: target.root, clock: Date.now, historyBytes: 4096 });
    try {
      await session.start();
      const model = session.snapshot().model;
      expect(model.instances["daemon"]?.state).toBe("DROWSY");
      const warnings = Object.values(model.warnings).map((w) => w.message);
      expect(warnings.some((m) => m.includes("lifecycle-events-2026-06-11.jsonl") && m.includes("FIFO"))).toBe(true);
    } finally {
      await session.close();
    }
  });

  it("watch refuses /proc, /dev and a FIFO before reading anything", async () => {
    const dir = tempDir();
    const fifo = path.join(dir, "x.jsonl");
    execFileSync("mkfifo", [fifo]);
    const iai = findProfile("iai-mcp");
    for (const [target, given] of [["/proc", undefined], ["/proc", iai], ["/sys", iai], [fifo, iai], [fifo, undefined]] as const) {
      await expect(resolveWatchTarget(target, given), target).rejects.toThrow(/FIFO|file system/);
    }
  });

  it("openFolder on FIFOs, /dev and /proc: each refused at once, and the thread pool stays free", async () => {
    const dir = tempDir();
    const fifos = Array.from({ length: 6 }, (_, i) => path.join(dir, `lifecycle-events-2026-06-1${i}.jsonl`));
    for (const f of fifos) execFileSync("mkfifo", [f]);
    const backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: tempDir() });
    try {
      const targets = [...fifos.map((f) => ({ path: f })), ...fifos.map((f) => ({ path: f, profileId: "iai-mcp" })), { path: "/proc" }, { path: "/proc", profileId: "iai-mcp" }, { path: "/dev", profileId: "iai-mcp" }, { path: "/sys/kernel" }];
      const results = await Promise.allSettled(targets.map((t) => backend.handlers.openFolder(t)));
      // /dev with a profile is a folder of devices: watched, but every device in it is refused, never opened.
      const refused = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
      expect(refused.length).toBeGreaterThanOrEqual(targets.length - 1);
      for (const why of refused) expect(why).toMatch(/FIFO|file system|character device/);
      // The four libuv pool threads are free: file reads still complete.
      const reads = await Promise.all(Array.from({ length: 8 }, () => fs.promises.readFile(__filename, "utf8")));
      expect(reads.every((r) => r.length > 0)).toBe(true);
    } finally {
      await backend.dispose();
    }
  });
});
