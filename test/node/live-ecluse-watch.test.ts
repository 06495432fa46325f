/**
 * Multi-instance live watching (ecluse: one machine per session slug, transitions from successive
 * versions of state.json), and `fsm-inspector watch --json` as a terminal user sees it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TraceSession } from "../../electron/node/session/trace-session";
import { findProfile } from "../../shared/profiles";
import type { Observation } from "../../shared/trace/observation";
import { readTsv } from "../shared/parsers/fixture-files";
import { ROOT } from "../helpers/cli";
import { tempDir, waitFor } from "../helpers/tmp";

const SNAPSHOTS = path.join(import.meta.dirname, "..", "fixtures", "ecluse", "snapshots");

/**
 * Replay the 38 real-format snapshots into <repo>/.ecluse/state.json the way ecluse writes it (temp
 * + rename). Each snapshot is one transition further than the one before; a watcher sees a version
 * only when it lasts, so the next one is written `pauseMs` later and once `transitions()` (what the
 * watcher has reported so far) has counted this one, however long the watcher took on a loaded machine.
 */
async function replaySnapshots(repo: string, pauseMs: number, transitions: () => number): Promise<void> {
  const dir = path.join(repo, ".ecluse");
  fs.mkdirSync(dir, { recursive: true });
  for (const [i, name] of fs.readdirSync(SNAPSHOTS).sort().entries()) {
    fs.writeFileSync(path.join(dir, "state.json.tmp"), fs.readFileSync(path.join(SNAPSHOTS, name)));
    fs.renameSync(path.join(dir, "state.json.tmp"), path.join(dir, "state.json"));
    await new Promise((r) => setTimeout(r, pauseMs));
    await waitFor(() => transitions() > i || undefined, `the transition of snapshot ${name}`, 15_000);
  }
}

describe("ecluse, live", () => {
  it("turns each new version of state.json into per-session transitions, in order", async () => {
    const profile = findProfile("ecluse");
    if (!profile) throw new Error("no ecluse profile");
    const repo = tempDir();
    const session = new TraceSession({ id: "e", title: "e", kind: "live", profile, root: path.join(repo, ".ecluse"), clock: Date.now });
    const seen: Observation[] = [];
    session.onObservations((items) => seen.push(...items));
    await session.start();
    try {
      await replaySnapshots(repo, 60, () => seen.filter((o) => o.kind === "transition").length);
      const want = readTsv(path.join(import.meta.dirname, "..", "fixtures", "ecluse", "expected-transitions.tsv")).filter((w) => w["to"] !== "LOCK_TIMEOUT");
      await waitFor(() => (seen.filter((o) => o.kind === "transition").length >= want.length ? true : undefined), `${want.length} transitions`, 15_000);
      const got = seen.flatMap((o) => (o.kind === "transition" ? [[o.instance, o.from, o.to, o.verdict]] : []));
      expect(got).toEqual(want.map((w) => [w["slug"], w["from"], w["to"], "declared"]));
      const model = session.snapshot().model;
      expect(model.instanceOrder).toHaveLength(11);
      expect(model.instances["fix-api"]?.state).toBe("pending");
      expect(model.instances["chore-api"]?.state).toBe("active");
    } finally {
      await session.close();
    }
  });
});

describe("fsm-inspector watch --json", () => {
  it("prints one JSON object per observation until interrupted", async () => {
    const repo = tempDir();
    const child = spawn(process.execPath, [path.join(ROOT, "bin/fsm-inspector.mjs"), "watch", repo, "--profile", "ecluse", "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => (out.includes('"missing-file"') ? true : undefined), "the first observation (state.json missing)", 15_000);
      const transitionLines = (): number => out.split("\n").filter((l) => l.includes('"kind":"transition"')).length;
      await replaySnapshots(repo, 30, transitionLines);
      await waitFor(() => (transitionLines() >= 38 ? true : undefined), "38 transition lines", 15_000);
    } finally {
      child.kill("SIGINT");
    }
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(code).toBe(0);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) {
      expect(["state", "transition", "lock", "signal", "warning", "event"]).toContain(l["kind"]);
      expect(l).toHaveProperty("instance");
      expect(l).toHaveProperty("ts");
    }
    const t = lines.find((l) => l["kind"] === "transition");
    expect(t).toMatchObject({ instance: "fix-cache", from: "absent", to: "pending", verdict: "declared" });
    const lock = lines.find((l) => l["kind"] === "lock");
    expect(lock).toMatchObject({ held: false, pid: null });
    expect(String(lock?.["path"])).toMatch(/\.ecluse\/state\.lock$/);
  });
});
