/**
 * "Sandbox files": steps written one by one into the sandbox's own folder the way the real
 * programs write, read by `fsm-inspector check` on the folder and watched live by a TraceSession,
 * as the app watches a real program's folder.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../../electron/node/check/report";
import { SandboxFolderWriter } from "../../../electron/node/sandbox/folder-writer";
import { TraceSession } from "../../../electron/node/session/trace-session";
import { FsmError } from "../../../shared/errors";
import { findProfile } from "../../../shared/profiles";
import { hopsOf, type SandboxStep } from "../../../shared/sandbox/run";
import { pythonIso } from "../../../shared/trace/time";
import type { Observation } from "../../../shared/trace/observation";
import { cli, json } from "../../helpers/cli";
import { tempDir, waitFor } from "../../helpers/tmp";
import { RUNS, RunBuilder, T0, hopTriples, readBack } from "./runs";

type Id = keyof typeof RUNS;

async function check(target: string): Promise<{ code: number | null; report: CheckReport }> {
  const r = await cli(["check", target, "--json"]);
  return { code: r.code, report: json<CheckReport>(r) };
}

function logLines(dir: string): Record<string, string>[] {
  const logs = path.join(dir, "logs");
  return fs
    .readdirSync(logs)
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(logs, f), "utf8").split("\n").filter(Boolean))
    .map((l) => JSON.parse(l) as Record<string, string>);
}

describe.each(Object.keys(RUNS) as Id[])("sandbox files of a %s sandbox", (id) => {
  it("written step by step, are read by check on the folder: profile detected, all declared", async () => {
    const b = RUNS[id]();
    const dir = path.join(tempDir(), "sandbox");
    const writer = await SandboxFolderWriter.create(dir, id, { watched: [], initial: b.initial, startMs: T0 });
    for (const s of b.steps) await writer.write(s);
    await writer.close();
    const hops = hopTriples(b.steps);
    const { code, report } = await check(dir);
    expect(report.errors).toEqual([]);
    expect(code).toBe(0);
    expect(report.profile).toBe(id);
    expect(report.notes.filter((n) => /disagree/.test(n))).toEqual([]);
    const transitions = report.instances.flatMap((i) => i.transitions);
    // ecluse's folder holds only the current state.json (as a real repo does): its check shows where each session is.
    if (id === "ecluse") {
      expect(transitions).toEqual([]);
      expect(Object.fromEntries(report.instances.map((i) => [i.id, i.finalState]))).toEqual({ "fix-cache": "active", "docs-site": "active" });
    } else {
      expect(transitions).toHaveLength(hops.length);
      expect(transitions.every((t) => t.verdict === "declared")).toBe(true);
      const back = await readBack(dir);
      expect(back.problems).toEqual([]);
      expect(back.transitions).toEqual(hops);
    }
    const finals = new Map<string, string>();
    for (const s of b.steps) finals.set(s.instance, s.to);
    for (const i of report.instances) if (finals.has(i.id) && finals.get(i.id) !== "absent") expect(i.finalState).toBe(finals.get(i.id));
    // Nothing but the program's own files (and no temp file) is left in the folder.
    const names = fs.readdirSync(dir).sort();
    const expected: Record<Id, string[]> = {
      "iai-mcp": [".lifecycle.lock", "lifecycle_state.json", "logs"],
      jumpstarter: ["exporter.log"],
      ecluse: [".ecluse"],
      duckgres: Array.from({ length: hops.length + 1 }, (_, i) => `snapshot-${i + 1}.csv`).sort(),
    };
    expect(names).toEqual(expected[id]);
    if (id === "ecluse") expect(fs.readdirSync(path.join(dir, ".ecluse")).sort()).toEqual(["state.json", "state.lock"]);
  });
});

describe("iai-mcp sandbox files", () => {
  it("rewrite the state file after each dispatch as the daemon does (atomic, 0600, no trailing newline) and log each hop", async () => {
    const b = RUNS["iai-mcp"]();
    const dir = path.join(tempDir(), "sandbox");
    const writer = await SandboxFolderWriter.create(dir, "iai-mcp", { watched: [], initial: b.initial, startMs: T0 });
    expect(writer.dataFolder).toBe(fs.realpathSync(dir));
    const file = path.join(dir, "lifecycle_state.json");
    const first = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(first).toEqual({ current_state: "WAKE", since_ts: pythonIso(T0), last_activity_ts: pythonIso(T0), wrapper_event_seq: 0, sleep_cycle_progress: null, quarantine: null, shadow_run: false });
    let seq = 0;
    let logged = 0;
    let since = pythonIso(T0);
    for (const s of b.steps) {
      const before = fs.statSync(file).ino;
      const hold = fs.openSync(file, "r"); // a reader holding the old file: a replace gets a new inode
      await writer.write(s);
      fs.closeSync(hold);
      const text = fs.readFileSync(file, "utf8");
      expect(text.endsWith("}")).toBe(true);
      expect(text.split("\n")[1]).toBe(`  "current_state": ${JSON.stringify(s.to)},`);
      const st = JSON.parse(text) as { current_state: string; since_ts: string; last_activity_ts: string; wrapper_event_seq: number };
      const hops = hopsOf(s);
      const bump = ["heartbeat_refresh", "request_arrived", "wake_signal"].includes(s.event);
      if (bump) seq += 1;
      if (hops.length > 0) since = st.since_ts;
      expect(st.current_state).toBe(s.to);
      expect(st.wrapper_event_seq).toBe(seq);
      expect(st.since_ts).toBe(since);
      if (hops.length > 0) expect(Date.parse(st.since_ts)).toBe(s.tsMs);
      if (hops.length > 0 || bump) expect(fs.statSync(file).ino).not.toBe(before);
      else expect(fs.statSync(file).ino).toBe(before); // a no-op event writes nothing
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      logged += hops.length;
      const lines = logLines(dir);
      expect(lines).toHaveLength(logged);
      for (const [k, [from, to]] of hops.entries()) expect(lines[lines.length - hops.length + k]).toMatchObject({ event: "state_transition", from, to, trigger: s.event });
      // The log line comes after the state write: its time is later.
      if (hops.length > 0) expect((lines[lines.length - 1]?.["ts"] ?? "") > st.since_ts || Date.parse(lines[lines.length - 1]?.["ts"] ?? "") >= Date.parse(st.since_ts)).toBe(true);
    }
    await writer.close();
    // Daily files, as the daemon: the run crosses midnight UTC.
    expect(fs.readdirSync(path.join(dir, "logs")).sort()).toEqual(["lifecycle-events-2026-06-10.jsonl", "lifecycle-events-2026-06-11.jsonl"]);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("refuse to write while another process holds .lifecycle.lock, and write once it is released", async () => {
    const dir = path.join(tempDir(), "sandbox");
    const writer = await SandboxFolderWriter.create(dir, "iai-mcp", { watched: [], startMs: T0 });
    const b = new RunBuilder("iai-mcp", { daemon: "WAKE" });
    const s = b.step("daemon", "idle_5min");
    const lock = path.join(dir, ".lifecycle.lock");
    const holder = spawn("flock", ["-x", lock, "sleep", "30"], { stdio: "ignore", detached: true });
    try {
      await waitFor(() => fs.readFileSync("/proc/locks", "utf8").split("\n").find((l) => l.includes(`:${fs.statSync(lock).ino} `)), "the holder's flock");
      const err = await writer.write(s).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FsmError);
      expect((err as FsmError).code).toBe("sandbox-locked");
      expect(JSON.parse(fs.readFileSync(path.join(dir, "lifecycle_state.json"), "utf8"))).toMatchObject({ current_state: "WAKE" });
    } finally {
      process.kill(-(holder.pid ?? 0), "SIGKILL");
    }
    await waitFor(() => !fs.readFileSync("/proc/locks", "utf8").includes(`:${fs.statSync(lock).ino} `), "the lock to be released");
    await writer.write(s);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "lifecycle_state.json"), "utf8"))).toMatchObject({ current_state: "DROWSY" });
    await writer.close();
  });
});

describe("ecluse and duckgres sandbox files", () => {
  it("ecluse: one state.json version per hop, matching every session's state", async () => {
    const b = RUNS.ecluse();
    const dir = path.join(tempDir(), "repo");
    const writer = await SandboxFolderWriter.create(dir, "ecluse", { watched: [], startMs: T0 });
    expect(writer.dataFolder).toBe(path.join(fs.realpathSync(dir), ".ecluse"));
    const file = path.join(dir, ".ecluse", "state.json");
    expect(fs.readFileSync(file, "utf8")).toBe('{\n  "version": 1,\n  "sessions": []\n}');
    const states = new Map<string, string>();
    for (const s of b.steps) {
      await writer.write(s);
      states.set(s.instance, s.to);
      const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { sessions: { slug: string; status?: string }[] };
      const inFile = new Map(doc.sessions.map((x) => [x.slug, x.status ?? "active"]));
      expect(inFile).toEqual(new Map([...states].filter(([, v]) => v !== "absent")));
    }
    await writer.close();
    await expect(writer.write(b.steps[0] as SandboxStep)).rejects.toMatchObject({ code: "sandbox-closed" });
  });

  it("duckgres: a new dump per hop, none for a step that took no transition", async () => {
    const b = RUNS.duckgres();
    const dir = path.join(tempDir(), "dumps");
    const writer = await SandboxFolderWriter.create(dir, "duckgres", { watched: [], initial: b.initial, startMs: T0 });
    let dumps = 1;
    for (const s of b.steps) {
      await writer.write(s);
      dumps += hopsOf(s).length;
      expect(fs.readdirSync(dir)).toHaveLength(dumps);
      const rows = fs.readFileSync(path.join(dir, `snapshot-${dumps}.csv`), "utf8").trimEnd().split("\n").slice(1);
      expect(rows.find((r) => r.startsWith(`${s.instance},`))?.split(",")[6]).toBe(s.to);
    }
    await writer.close();
  });
});

describe("watched live, as the app watches a real program's folder", () => {
  it.each(["iai-mcp", "jumpstarter", "ecluse"] as const)("%s: a TraceSession on the sandbox's data folder sees each hop as a declared transition", async (id) => {
    const profile = findProfile(id);
    if (!profile) throw new Error(`no ${id}`);
    // The sandbox forked now: its virtual clock near the wall clock (ecluse warns of a session pending for long by the wall clock).
    const startMs = Date.now() - 60_000;
    const b = RUNS[id](startMs);
    const dir = path.join(tempDir(), "sandbox");
    const writer = await SandboxFolderWriter.create(dir, id, { watched: [], initial: b.initial, startMs });
    const session = new TraceSession({ id: "s", title: "sandbox", kind: "live", profile, root: writer.dataFolder, clock: Date.now, spool: false });
    const seen: Observation[] = [];
    session.onObservations((items) => seen.push(...items));
    await session.start();
    try {
      // ecluse is read by diffing versions of state.json: a watcher sees each version only when
      // it lasts, so this run steps one hop at a time (a real ecluse writes no faster), and writes
      // the next version once this one's hops were seen, however long the watcher took.
      const steps = id === "ecluse" ? b.steps.filter((s) => s.path.length <= 2) : b.steps;
      const seenTransitions = (): number => seen.filter((o) => o.kind === "transition").length;
      for (const [i, s] of steps.entries()) {
        await writer.write(s);
        await new Promise((r) => setTimeout(r, id === "ecluse" ? 150 : 20));
        if (id === "ecluse") {
          const upTo = hopTriples(steps.slice(0, i + 1)).length;
          await waitFor(() => (seenTransitions() >= upTo ? true : undefined), `the ${upTo} transitions up to step ${i + 1}`, 15_000);
        }
      }
      const want = hopTriples(steps);
      await waitFor(() => (seen.filter((o) => o.kind === "transition").length >= want.length ? true : undefined), `${want.length} transitions`, 15_000);
      await new Promise((r) => setTimeout(r, 200));
      const got = seen.flatMap((o) => (o.kind === "transition" ? [[o.instance, o.from, o.to, o.verdict]] : []));
      expect(got).toEqual(want.map(([i, f, t]) => [i, f, t, "declared"]));
      expect(seen.filter((o) => o.kind === "warning" && !o.cleared && o.code !== "missing-file")).toEqual([]);
    } finally {
      await session.close();
      await writer.close();
    }
  });
});
