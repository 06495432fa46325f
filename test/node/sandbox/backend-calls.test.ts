/**
 * The sandbox through the one contract, as the UI calls it: a run made by the UI's own timeline
 * (shared/sandbox/timeline.ts) exported in its profile's format and read back by check; "Sandbox
 * files" started, stepped and watched; what the backend refuses (a browser asking the server to
 * write, a folder a session watches, a malformed step).
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../../../electron/node/backend";
import { sourceDemoLauncher } from "../../../electron/node/cli/paths";
import { findProfile } from "../../../shared/profiles";
import { initialContext, newTimeline, reduce, runOf, stepOf, type SandboxCommand, type SandboxTimeline } from "../../../shared/sandbox/timeline";
import type { CheckReport } from "../../../electron/node/check/report";
import { cli, json } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

function newBackend(mode: "electron" | "serve"): Backend {
  backend = createBackend({ mode, version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: tempDir(), configDir: tempDir() });
  return backend;
}

/** A sandbox timeline after the given commands, as the UI's actor holds it. */
function timeline(profileId: string, instance: string, cmds: SandboxCommand[]): SandboxTimeline {
  const machine = findProfile(profileId)?.machine;
  if (!machine) throw new Error(profileId);
  const start = newTimeline({ origin: "machine", instance, state: machine.initial, context: initialContext(machine), tsMs: Date.parse("2026-06-10T10:00:00Z"), history: [], original: [], label: "test" });
  return cmds.reduce((t, c) => reduce(t, machine, c), start);
}

const send = (event: string, payload = {}): SandboxCommand => ({ type: "send", event, payload });

async function checkReport(target: string): Promise<CheckReport> {
  const r = await cli(["check", target, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return json<CheckReport>(r);
}

describe("exportSandbox", () => {
  it("writes the UI's run (blocked steps and an undone branch included) in iai-mcp's format, which check reads as all declared", async () => {
    const b = newBackend("electron");
    const t = timeline("iai-mcp", "daemon", [send("idle_5min"), send("idle_30min", { sleep_eligible: false }), send("idle_30min", { sleep_eligible: true }), { type: "undo" }, send("request_arrived"), send("idle_5min"), send("idle_30min", { sleep_eligible: true }), send("sleep_cycle_done", { still_idle: true }), send("wake_signal")]);
    const file = path.join(tempDir(), "lifecycle-events-2026-06-10.jsonl");
    const out = await b.handlers.exportSandbox({ run: runOf(t, "iai-mcp"), path: file });
    expect(out.files).toEqual([file]);
    const report = await checkReport(file);
    expect(report.profile).toBe("iai-mcp");
    expect(report.conforms).toBe(true);
    const seq = report.instances.flatMap((i) => i.transitions.map((x) => `${x.from}->${x.to}`));
    expect(report.instances.reduce((n, i) => n + i.counts.declared, 0)).toBe(6);
    expect(report.instances.reduce((n, i) => n + i.counts.undeclared + i.counts.fromMismatch + i.counts.unknownState, 0)).toBe(0);
    expect(seq).toEqual(["WAKE->DROWSY", "DROWSY->WAKE", "WAKE->DROWSY", "DROWSY->SLEEP", "SLEEP->HIBERNATION", "HIBERNATION->WAKE"]);
  });

  it("a jumpstarter lease with a hook failure and a remembered request_end: one declared transition per hop", async () => {
    const b = newBackend("electron");
    const t = timeline("jumpstarter", "lease-1", [send("start"), send("before_hook_started"), send("request_end"), send("before_hook_failed", { onFailure: "exit" }), send("after_hook_done")]);
    const run = runOf(t, "jumpstarter");
    expect(run.steps.map((s) => s.to)).toEqual(["STARTING", "BEFORE_LEASE", "BEFORE_LEASE", "ENDING", "DONE"]);
    const file = path.join(tempDir(), "exporter.log");
    await b.handlers.exportSandbox({ run, path: file });
    const report = await checkReport(file);
    expect(report.profile).toBe("jumpstarter");
    expect(report.conforms).toBe(true);
    // CREATED→STARTING→BEFORE_LEASE→ENDING, then with the after-lease hook skipped: →RELEASING→DONE.
    expect(report.instances.reduce((n, i) => n + i.counts.declared, 0)).toBe(5);
  });

  it("is refused in serve mode (a browser downloads instead), and into a folder a session watches", async () => {
    const serve = newBackend("serve");
    const t = timeline("iai-mcp", "daemon", [send("idle_5min")]);
    await expect(serve.handlers.exportSandbox({ run: runOf(t, "iai-mcp"), path: path.join(tempDir(), "x.jsonl") })).rejects.toMatchObject({ code: "unavailable" });
    await serve.dispose();

    const b = newBackend("electron");
    const watched = tempDir();
    fs.mkdirSync(path.join(watched, "logs"));
    fs.writeFileSync(path.join(watched, "logs", "lifecycle-events-2026-06-10.jsonl"), '{"ts": "2026-06-10T10:00:00+00:00", "event": "state_transition", "from": "WAKE", "to": "DROWSY", "trigger": "idle_5min"}\n');
    await b.handlers.openFolder({ path: watched, profileId: "iai-mcp" });
    const inside = path.join(watched, "logs", "lifecycle-events-2026-06-11.jsonl");
    await expect(b.handlers.exportSandbox({ run: runOf(t, "iai-mcp"), path: inside })).rejects.toMatchObject({ code: "sandbox-watched" });
    expect(fs.existsSync(inside)).toBe(false);
  });

  it("a malformed run or step is a bad request naming the field", async () => {
    const b = newBackend("electron");
    const call = async (f: () => unknown): Promise<unknown> => f();
    await expect(call(() => b.handlers.exportSandbox({ run: { profileId: "iai-mcp", startMs: 0, initial: {}, steps: [{ event: "x" }] } as never, path: "/tmp/x" }))).rejects.toMatchObject({ code: "bad-request", message: expect.stringContaining('step 1: "instance"') as unknown });
    await expect(call(() => b.handlers.sandboxFilesStep({ writerId: "nope", step: { instance: "daemon" } } as never))).rejects.toMatchObject({ code: "bad-request" });
    await expect(call(() => b.handlers.startSandboxFiles({ profileId: "iai-mcp", initial: { daemon: 3 }, startMs: 0 } as never))).rejects.toMatchObject({ code: "bad-request" });
  });
});

describe("Sandbox files", () => {
  it("writes each step into a new folder of its own, which the app watches as a live iai-mcp target", async () => {
    const b = newBackend("electron");
    let t = timeline("iai-mcp", "daemon", []);
    const started = await b.handlers.startSandboxFiles({ profileId: "iai-mcp", initial: { daemon: "WAKE" }, startMs: Date.parse("2026-06-10T10:00:00Z") });
    expect(path.basename(started.folder)).toMatch(/^fsm-inspector-sandbox-iai-mcp-/);
    const machine = findProfile("iai-mcp")?.machine;
    for (const c of [send("idle_5min"), send("idle_30min", { sleep_eligible: true })]) {
      t = reduce(t, machine as never, c);
      const node = t.nodes[t.nodes.length - 1];
      if (node) await b.handlers.sandboxFilesStep({ writerId: started.writerId, step: stepOf(t, node) });
    }
    const state = JSON.parse(fs.readFileSync(path.join(started.dataFolder, "lifecycle_state.json"), "utf8")) as { current_state: string };
    expect(state.current_state).toBe("SLEEP");
    const live = await b.handlers.openFolder({ path: started.dataFolder, profileId: "iai-mcp" });
    const snap = await b.handlers.getSession({ sessionId: live.id });
    expect(snap.model.instances["daemon"]?.state).toBe("SLEEP");
    await b.handlers.stopSandboxFiles({ writerId: started.writerId });
    await expect(b.handlers.sandboxFilesStep({ writerId: started.writerId, step: stepOf(t, t.nodes[0] as never) })).rejects.toMatchObject({ code: "sandbox-closed" });
    const report = await checkReport(started.dataFolder);
    expect(report.conforms).toBe(true);
    fs.rmSync(started.folder, { recursive: true, force: true });
  });
});

describe("saveExport and embedSvgFonts (the Export dialog's calls)", () => {
  it("the desktop app's save writes text or base64 bytes where it was told; a browser is told to download", async () => {
    const b = newBackend("electron");
    const dir = tempDir();
    const text = await b.handlers.saveExport({ path: path.join(dir, "m.mmd"), content: "stateDiagram-v2\n", encoding: "utf8" });
    expect(fs.readFileSync(text.path, "utf8")).toBe("stateDiagram-v2\n");
    const png = await b.handlers.saveExport({ path: path.join(dir, "m.png"), content: Buffer.from([137, 80, 78, 71]).toString("base64"), encoding: "base64" });
    expect([...fs.readFileSync(png.path)]).toEqual([137, 80, 78, 71]);
    expect(png.bytes).toBe(4);
    await b.dispose();
    const serve = newBackend("serve");
    await expect(serve.handlers.saveExport({ path: path.join(dir, "x.svg"), content: "<svg/>", encoding: "utf8" })).rejects.toMatchObject({ code: "unavailable" });
    expect(fs.existsSync(path.join(dir, "x.svg"))).toBe(false);
  });

  it("embeds the glyphs an SVG uses", async () => {
    const b = newBackend("serve");
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" font-family="x"><defs></defs><text>WAKE</text></svg>`;
    const out = await b.handlers.embedSvgFonts({ svg });
    expect(out.svg).toContain("@font-face{font-family:'FSM Inspector Sans'");
    expect(out.svg).toContain("<text>WAKE</text>");
  });
});
