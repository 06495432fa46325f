/**
 * A live session on the running demo: the state it shows equals lifecycle_state.json on disk, and
 * every transition the demo logs is observed once, in order, as declared.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startDemo } from "../../electron/node/demo/launcher";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import { TraceSession } from "../../electron/node/session/trace-session";
import { findProfile } from "../../shared/profiles";
import type { Observation } from "../../shared/trace/observation";
import { waitFor } from "../helpers/tmp";

describe("live session on the demo", () => {
  it("follows the demo's state file and log", async () => {
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("no iai-mcp profile");
    const demo = await startDemo({ launcher: sourceDemoLauncher(), minMs: 60, maxMs: 120 });
    const session = new TraceSession({ id: "t", title: "t", kind: "demo", profile, root: demo.dir, clock: Date.now });
    const seen: Observation[] = [];
    session.onObservations((items) => seen.push(...items));
    try {
      await session.start();
      await waitFor(() => seen.filter((o) => o.kind === "transition").length >= 8 || undefined, "8 transitions", 20_000);
    } finally {
      await demo.stop(); // stop writing first, so the last write is on disk when we compare
    }
    await session.close();
    const transitions = seen.filter((o) => o.kind === "transition");
    expect(transitions.every((t) => t.kind === "transition" && t.verdict === "declared")).toBe(true);
    expect(new Set(transitions.map((t) => t.seq)).size).toBe(transitions.length);
    const state = session.snapshot().model.instances["daemon"];
    expect(state?.transitions).toBe(transitions.length);
    expect(fs.existsSync(demo.dir)).toBe(false);
  });

  it("shows the state on disk, and the log's transitions exactly once each", async () => {
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("no iai-mcp profile");
    const demo = await startDemo({ launcher: sourceDemoLauncher(), minMs: 60, maxMs: 120 });
    const session = new TraceSession({ id: "t2", title: "t", kind: "demo", profile, root: demo.dir, clock: Date.now });
    try {
      await session.start();
      await waitFor(() => (session.snapshot().model.totals.transitions >= 6 ? true : undefined), "6 transitions", 20_000);
      // Pause the writer (SIGSTOP), let the watcher catch up, then compare with the disk.
      process.kill(demo.pid, "SIGSTOP");
      try {
        const onDisk = () => JSON.parse(fs.readFileSync(path.join(demo.dir, "lifecycle_state.json"), "utf8")) as { current_state: string };
        await waitFor(() => (session.snapshot().model.instances["daemon"]?.state === onDisk().current_state ? true : undefined), "the UI state to equal the file", 5000);
        const logged = fs
          .readdirSync(path.join(demo.dir, "logs"))
          .flatMap((f) => fs.readFileSync(path.join(demo.dir, "logs", f), "utf8").split("\n"))
          .filter((l) => l.includes('"state_transition"'))
          .map((l) => JSON.parse(l) as { ts: string; from: string; to: string });
        await waitFor(() => (session.snapshot().model.totals.transitions === logged.length ? true : undefined), "all logged transitions", 5000);
        const recent = session.snapshot().model.recent;
        expect(recent.map((t) => [t.ts, t.from, t.to])).toEqual(logged.map((t) => [t.ts, t.from, t.to]));
      } finally {
        process.kill(demo.pid, "SIGCONT");
      }
    } finally {
      await session.close();
      await demo.stop();
    }
  });
});
