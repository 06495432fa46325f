/**
 * "Export the sandbox run as a log": each built-in profile's run written in the program's own
 * format, then read back by the real `fsm-inspector check` (a child process) and by check's reader:
 * the profile is detected, every hop is one declared transition, nothing else is read.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportSandboxRun } from "../../../electron/node/sandbox/export";
import type { CheckReport } from "../../../electron/node/check/report";
import { FsmError } from "../../../shared/errors";
import { suggestedExportName } from "../../../shared/sandbox/export";
import { JumpstarterLog } from "../../../shared/sandbox/jumpstarter";
import type { SandboxRun } from "../../../shared/sandbox/run";
import { cli, json } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";
import { RUNS, RunBuilder, T0, hopTriples, readBack } from "./runs";

type Id = keyof typeof RUNS;

function outPath(dir: string, id: Id, run: SandboxRun): string {
  return path.join(dir, suggestedExportName(run));
}

/** check --json on a target: exit code 0, the profile, and per instance its (from, to) sequence, all declared. */
async function checkConforms(target: string, id: Id): Promise<CheckReport> {
  const r = await cli(["check", target, "--json"]);
  const report = json<CheckReport>(r);
  expect(report.errors).toEqual([]);
  expect(report.warnings).toEqual([]);
  expect(r.code, r.stderr).toBe(0);
  expect(report.profile).toBe(id);
  expect(report.conforms).toBe(true);
  return report;
}

function byInstance(triples: [string, string, string][]): Map<string, [string, string][]> {
  const m = new Map<string, [string, string][]>();
  for (const [i, from, to] of triples) m.set(i, [...(m.get(i) ?? []), [from, to]]);
  return m;
}

async function expectFailure(p: Promise<unknown>, code: string): Promise<FsmError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FsmError);
  expect((err as FsmError).code).toBe(code);
  expect((err as FsmError).message.length).toBeGreaterThan(20);
  return err as FsmError;
}

describe.each(Object.keys(RUNS) as Id[])("export of a %s sandbox run", (id) => {
  it("is read back by check and replay's reader: profile detected, one declared transition per hop, in order", async () => {
    const run = RUNS[id]().run();
    const hops = hopTriples(run.steps);
    expect(hops.length).toBeGreaterThanOrEqual(7);
    expect(run.steps.some((s) => s.outcome !== "taken")).toBe(true); // ignored / blocked steps are in the run
    expect(run.steps.some((s) => s.path.length > 2)).toBe(true); // and multi-hop ones
    const dir = tempDir();
    const target = outPath(dir, id, run);
    const { files } = await exportSandboxRun(run, target);

    // One file for logs, a folder of snapshots (the start, then one per hop) otherwise.
    if (id === "iai-mcp" || id === "jumpstarter") expect(files).toEqual([target]);
    else expect(files).toHaveLength(hops.length + 1);
    expect(fs.readdirSync(dir)).toEqual([path.basename(target)]); // no temp file left beside it

    const report = await checkConforms(target, id);
    const transitions = report.instances.flatMap((i) => i.transitions);
    expect(transitions).toHaveLength(hops.length);
    expect(transitions.every((t) => t.verdict === "declared")).toBe(true);
    expect(report.instances.reduce((n, i) => n + i.counts.declared, 0)).toBe(hops.length);
    const want = byInstance(hops);
    expect(new Map(report.instances.map((i) => [i.id, i.transitions.map((t) => [t.from, t.to])]))).toEqual(want);

    const back = await readBack(target);
    expect(back.profile).toBe(id);
    expect(back.problems).toEqual([]);
    expect(back.transitions).toEqual(hops);
  });
});

describe("export formats", () => {
  it("iai-mcp: compact state_transition lines, ts first in the daemon's format, the trigger as the event", async () => {
    const run = RUNS["iai-mcp"]().run();
    const file = path.join(tempDir(), "lifecycle-events-2026-06-10.jsonl");
    await exportSandboxRun(run, file);
    const text = fs.readFileSync(file, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(hopTriples(run.steps).length);
    for (const raw of lines) {
      expect(raw).not.toContain(": ");
      const line = JSON.parse(raw) as Record<string, string>;
      expect(Object.keys(line)).toEqual(["ts", "event", "from", "to", "trigger"]);
      expect(line["event"]).toBe("state_transition");
      expect(line["ts"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    }
    const first = JSON.parse(lines[0] as string) as Record<string, string>;
    expect(first).toEqual({ ts: "2026-06-10T23:58:01+00:00", event: "state_transition", from: "WAKE", to: "DROWSY", trigger: "idle_5min" });
    // The two hops of one step are a microsecond apart; times never go back.
    const ts = lines.map((l) => Date.parse((JSON.parse(l) as { ts: string }).ts));
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(lines.filter((l) => l.includes('"trigger":"idle_30min"')).map((l) => (JSON.parse(l) as { ts: string }).ts).slice(-2)).toEqual(["2026-06-11T00:00:19+00:00", "2026-06-11T00:00:19.000001+00:00"]);
    expect(suggestedExportName(run)).toBe("lifecycle-events-2026-06-10.jsonl");
  });

  it("jumpstarter: Python logging lines, a Starting new lease line whenever the lease changes; without timestamps exactly the exporter's default format", async () => {
    const run = RUNS.jumpstarter().run();
    const dir = tempDir();
    await exportSandboxRun(run, path.join(dir, "exporter.log"));
    const lines = fs.readFileSync(path.join(dir, "exporter.log"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("2026-06-10 23:58:01,000 INFO:jumpstarter.exporter.exporter:Starting new lease: c130c5d7-db1c-lease-001");
    expect(lines[1]).toBe("2026-06-10 23:58:01,000 DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: CREATED -> STARTING");
    const starts = lines.filter((l) => l.includes("Starting new lease:")).map((l) => l.split(": ").pop());
    // lease-001, lease-002, back to 001, 002 again, 001 for its ending, 002, 003.
    expect(starts).toEqual(["c130c5d7-db1c-lease-001", "lease-002", "c130c5d7-db1c-lease-001", "lease-002", "c130c5d7-db1c-lease-001", "lease-002", "lease-003"]);
    expect(lines).toHaveLength(starts.length + hopTriples(run.steps).length);

    const plain = path.join(dir, "plain", "exporter.log");
    fs.mkdirSync(path.dirname(plain));
    await exportSandboxRun(run, plain, { timestamps: false });
    const plainLines = fs.readFileSync(plain, "utf8").trimEnd().split("\n");
    expect(plainLines[1]).toBe("DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: CREATED -> STARTING");
    expect(plainLines.every((l) => /^(DEBUG|INFO):jumpstarter\.exporter\.(exporter|lease_lifecycle):/.test(l))).toBe(true);
    const report = await checkConforms(plain, "jumpstarter");
    expect(report.instances.flatMap((i) => i.transitions)).toHaveLength(hopTriples(run.steps).length);
    expect(report.notes.join(" ")).toMatch(/no timestamps/);
  });

  it("ecluse: serde-style state.json versions, status left out while active, pending_op while pending, slots reused", async () => {
    const run = RUNS.ecluse().run();
    const dir = path.join(tempDir(), "ecluse-sandbox");
    const { files } = await exportSandboxRun(run, dir);
    expect(files.map((f) => path.basename(f)).slice(0, 3)).toEqual(["0001.json", "0002.json", "0003.json"]);
    const first = fs.readFileSync(files[0] as string, "utf8");
    expect(first).toBe('{\n  "version": 1,\n  "sessions": []\n}');
    const second = JSON.parse(fs.readFileSync(files[1] as string, "utf8")) as { sessions: Record<string, unknown>[] };
    expect(second.sessions).toEqual([
      { slug: "feat-auth", mode: "compose", slot: 1, branch: "feat/auth", worktree_path: "../worktrees/feat-auth", status: "pending", pending_op: { id: "sandbox-op-1", since: "2026-06-10T23:58:01Z" } },
    ]);
    const last = fs.readFileSync(files[files.length - 1] as string, "utf8");
    expect(last.endsWith("}")).toBe(true);
    const sessions = (JSON.parse(last) as { sessions: Record<string, unknown>[] }).sessions;
    expect(sessions.map((s) => [s["slug"], s["slot"], s["status"] ?? "active"])).toEqual([
      ["fix-cache", 1, "active"],
      ["docs-site", 2, "active"],
    ]);
    expect(sessions.every((s) => !("pending_op" in s) && Object.keys(s).join() === "slug,mode,slot,branch,worktree_path")).toBe(true);
  });

  it("duckgres: psql CSV dumps of worker_records, owner_epoch bumped by reservations and claims", async () => {
    const run = RUNS.duckgres().run();
    const dir = path.join(tempDir(), "worker_records-sandbox");
    const { files } = await exportSandboxRun(run, dir);
    expect(path.basename(files[0] as string)).toBe("snapshot-1.csv");
    const header = fs.readFileSync(path.join(import.meta.dirname, "..", "..", "fixtures", "duckgres", "dump.csv"), "utf8").split("\n")[0];
    const last = fs.readFileSync(files[files.length - 1] as string, "utf8").trimEnd().split("\n");
    expect(last[0]).toBe(header);
    const rows = last.slice(1).map((l) => l.split(","));
    expect(rows.map((r) => [r[0], r[6], r[8], r[9], r[12]])).toEqual([
      ["1", "hot", "cp-2", "2", '""'],
      ["2", "retired", "sandbox-cp", "1", "shutdown"],
      ["3", "retired", "sandbox-cp", "0", "shutdown"],
    ]);
    expect(rows[0]?.[16]).toMatch(/^2026-06-1\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);
  });
});

describe("a run forked from a live moment (instances not in their initial state)", () => {
  it("logs: the first transition starts where the run started, and is declared", async () => {
    for (const [id, initial, event] of [
      ["iai-mcp", { daemon: "SLEEP" }, "request_arrived"],
      ["jumpstarter", { "lease-9": "READY" }, "request_end"],
    ] as const) {
      const b = new RunBuilder(id, { ...initial });
      b.step(Object.keys(initial)[0] as string, event);
      const run = b.run();
      const file = path.join(tempDir(), suggestedExportName(run));
      await exportSandboxRun(run, file);
      const report = await checkConforms(file, id);
      expect(report.instances.flatMap((i) => i.transitions.map((t) => [t.from, t.to, t.verdict]))).toEqual([[b.steps[0]?.from, b.steps[0]?.to, "declared"]]);
    }
  });

  it("snapshots: an instance that starts elsewhere appears in the first snapshot, which check reads as one more (gap) transition; the hops stay declared", async () => {
    // A known limit of snapshot formats: a session / row is new to the first snapshot, so check
    // diffs it against "absent" / the machine's initial state.
    const b = new RunBuilder("ecluse", { "feat-x": "active" });
    b.step("feat-x", "mark_pending");
    b.step("feat-x", "remove");
    const dir = path.join(tempDir(), "snaps");
    await exportSandboxRun(b.run(), dir);
    const report = await checkConforms(dir, "ecluse");
    expect(report.instances[0]?.transitions.map((t) => [t.from, t.to, t.verdict])).toEqual([
      ["absent", "active", "gap"],
      ["active", "pending", "declared"],
      ["pending", "absent", "declared"],
    ]);
  });
});

describe("export refuses", () => {
  const run = (): SandboxRun => RUNS["iai-mcp"]().run();

  it("an unknown profile, writing nothing", async () => {
    const dir = tempDir();
    const err = await expectFailure(exportSandboxRun({ ...run(), profileId: "my-daemon" }, path.join(dir, "x.jsonl")), "sandbox-unknown-profile");
    expect(err.message).toContain('"my-daemon"');
    expect(err.hint).toMatch(/iai-mcp, jumpstarter, ecluse, duckgres/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("a run whose steps do not follow each other, or a step of another instance than the daemon", async () => {
    const dir = tempDir();
    const bad = run();
    const third = bad.steps[2];
    if (!third) throw new Error("short run");
    bad.steps[2] = { ...third, from: "SLEEP", path: ["SLEEP", third.to] };
    const err = await expectFailure(exportSandboxRun(bad, path.join(dir, "x.jsonl")), "sandbox-bad-step");
    expect(err.message).toMatch(/^step 3: daemon is in DROWSY, but the step starts from SLEEP/);
    const other = run();
    other.steps[0] = { ...(other.steps[0] as SandboxRun["steps"][number]), instance: "other-daemon" };
    await expectFailure(exportSandboxRun(other, path.join(dir, "x.jsonl")), "sandbox-bad-step");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("a log of a run that took no transition (nothing a reader could recognise)", async () => {
    const dir = tempDir();
    const b = new RunBuilder("jumpstarter", { "lease-1": "CREATED" });
    b.step("lease-1", "request_end"); // taken, targetless
    b.step("lease-1", "release_done"); // ignored
    await expectFailure(exportSandboxRun(b.run(), path.join(dir, "exporter.log")), "sandbox-nothing-to-export");
    expect(fs.readdirSync(dir)).toEqual([]);
    // A snapshot format still has the start to show.
    const { files } = await exportSandboxRun(new RunBuilder("duckgres", { "1": "spawning" }).run(), path.join(dir, "dumps"));
    expect(files.map((f) => path.basename(f))).toEqual(["snapshot-1.csv"]);
  });

  it("a path inside a watched folder, a symbolic link, a non-empty folder", async () => {
    const base = tempDir();
    const watched = path.join(base, ".iai-mcp");
    fs.mkdirSync(path.join(watched, "logs"), { recursive: true });
    await expectFailure(exportSandboxRun(run(), path.join(watched, "logs", "lifecycle-events-2026-06-10.jsonl"), { watched: [watched] }), "sandbox-watched");
    await expectFailure(exportSandboxRun(RUNS.ecluse().run(), path.join(watched, "snaps"), { watched: [watched] }), "sandbox-watched");
    expect(fs.readdirSync(path.join(watched, "logs"))).toEqual([]);
    expect(fs.existsSync(path.join(watched, "snaps"))).toBe(false);
    // Beside the watched folder is fine.
    await exportSandboxRun(run(), path.join(base, "export.jsonl"), { watched: [watched] });

    const outside = path.join(base, "outside.txt");
    fs.writeFileSync(outside, "keep me");
    fs.symlinkSync(outside, path.join(base, "link.jsonl"));
    await expectFailure(exportSandboxRun(run(), path.join(base, "link.jsonl")), "sandbox-symlink");
    expect(fs.readFileSync(outside, "utf8")).toBe("keep me");
    expect(fs.lstatSync(path.join(base, "link.jsonl")).isSymbolicLink()).toBe(true);

    const full = path.join(base, "full");
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, "0001.json"), "{}");
    await expectFailure(exportSandboxRun(RUNS.ecluse().run(), full), "sandbox-not-empty");
    expect(fs.readdirSync(full)).toEqual(["0001.json"]);
    fs.symlinkSync(path.join(base, "empty-target"), path.join(base, "snaplink"));
    fs.mkdirSync(path.join(base, "empty-target"));
    await expectFailure(exportSandboxRun(RUNS.duckgres().run(), path.join(base, "snaplink")), "sandbox-symlink");
    expect(fs.readdirSync(path.join(base, "empty-target"))).toEqual([]);
  });
});

describe("export of hostile instance names", () => {
  const NAMES = ["../x", "/etc/passwd", "a/../../b", "constructor", "__proto__", "two words\nand a line"];

  it.each(["jumpstarter", "ecluse", "duckgres"] as const)("%s: names are written as data, read back as written (text-log tokens made safe), never as paths", async (id) => {
    const initial = JSON.parse(`{"__proto__": ${JSON.stringify(id === "duckgres" ? "spawning" : id === "ecluse" ? "absent" : "CREATED")}}`) as Record<string, string>;
    const b = new RunBuilder(id, initial);
    const event = id === "jumpstarter" ? "start" : "reserve";
    for (const n of NAMES) b.step(n, event);
    const run = b.run();
    const base = tempDir();
    const target = path.join(base, "out", id === "jumpstarter" ? "exporter.log" : "snaps");
    fs.mkdirSync(path.dirname(target));
    await exportSandboxRun(run, target);
    expect(fs.readdirSync(base)).toEqual(["out"]);
    expect(fs.existsSync(path.join(base, "x"))).toBe(false);
    const back = await readBack(target);
    expect(back.problems).toEqual([]);
    // jumpstarter's lease ids are one token of a log line: whitespace and line breaks are replaced (and tagged).
    const written = (i: string): string => (id === "jumpstarter" ? JumpstarterLog.leaseId(i) : i);
    expect(back.transitions).toEqual(hopTriples(run.steps).map(([i, f, t]) => [written(i), f, t]));
    expect(written("two words\nand a line")).toMatch(id === "jumpstarter" ? /^two_words_and_a_line~[0-9a-f]{8}$/ : /\n/);
    expect(new Set(back.transitions.map(([i]) => i)).size).toBe(NAMES.length);
    await checkConforms(target, id);
  });
});

describe("suggested names", () => {
  it("name each format as its program names it", () => {
    expect(suggestedExportName({ profileId: "iai-mcp", startMs: T0, steps: [], initial: {} })).toBe("lifecycle-events-2026-06-10.jsonl");
    expect(suggestedExportName({ profileId: "jumpstarter", startMs: T0, steps: [], initial: {} })).toBe("exporter.log");
    expect(() => suggestedExportName({ profileId: "nope", startMs: T0, steps: [], initial: {} })).toThrow(FsmError);
  });
});
