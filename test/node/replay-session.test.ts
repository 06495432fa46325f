/**
 * Replay sessions through the backend, with a real worker thread on real files: a log indexed with
 * progress events, the state at any position equal to what the file says up to that line, the same
 * verdicts as `check`, anomalies found, pages and details read back, Cancel, and logs of two
 * programs in one folder merged by their timestamps.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import { runCheck } from "../../electron/node/check/run-check";
import { resolveTarget } from "../../electron/node/target/target";
import type { IndexProgress } from "../../shared/ipc/replay";
import { tempDir, waitFor } from "../helpers/tmp";
import { writeCycleLog } from "../helpers/writers/cycle-log";

const T0 = Date.UTC(2026, 5, 10);

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

function newBackend(): Backend {
  backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: tempDir(), configDir: tempDir() });
  return backend;
}

async function indexed(b: Backend, sessionId: string): Promise<IndexProgress[]> {
  const seen: IndexProgress[] = [];
  b.subscribe("indexProgress", (p) => {
    if (p.sessionId === sessionId) seen.push(p);
  });
  await waitFor(() => seen.some((p) => p.state !== "indexing") || undefined, "indexing to finish", 60_000);
  return seen;
}

describe("replay sessions", () => {
  it("indexes a log with progress, and shows at every position the state the file says", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    const { states } = writeCycleLog(file, 30_000, { odd: 20_001, bad: 25_000 });
    const b = newBackend();
    const summary = await b.handlers.openLog({ path: file });
    expect(summary.kind).toBe("replay");
    const progress = await indexed(b, summary.id);
    const last = progress[progress.length - 1] as IndexProgress;
    expect(last).toMatchObject({ state: "done", lines: 30_000, observations: 30_000, badLines: 1 });
    expect(last.bytesRead).toBe(fs.statSync(file).size);
    expect(last.anomalies).toBeGreaterThanOrEqual(2);

    for (const p of [1, 2, 999, 1000, 1001, 15_000, 20_001, 29_999, 30_000]) {
      const frame = await b.handlers.replaySeek({ sessionId: summary.id, to: { position: p } });
      expect(frame.position).toBe(p);
      expect(frame.model.instances["daemon"]?.state, `position ${p}`).toBe(states[p - 1]);
      expect(frame.current?.source.line).toBe(p);
    }
    // The same verdicts as check.
    const report = await runCheck(await resolveTarget(file), { keepDetails: true });
    const end = await b.handlers.replaySeek({ sessionId: summary.id, to: { position: 30_000 } });
    expect(end.model.totals.transitions).toBe(report.instances[0]?.transitions.length);
    const undeclared = report.instances[0]?.transitions.find((t) => t.verdict === "undeclared");
    const anomaly = await b.handlers.replaySeek({ sessionId: summary.id, to: { step: "next", what: "anomaly", from: 0 } });
    expect(anomaly.current?.source.line).toBe(undeclared?.line);
    const bad = await b.handlers.replaySeek({ sessionId: summary.id, to: { step: "next", what: "anomaly", from: anomaly.position } });
    expect(bad.current).toMatchObject({ kind: "warning", code: "bad-line", source: { line: 25_001 } });

    const timeline = await b.handlers.replayTimeline({ sessionId: summary.id, buckets: 100 });
    expect(timeline.transitions.reduce((s, n) => s + n, 0)).toBe(end.model.totals.transitions);
    expect(timeline.markers.map((m) => m.kind)).toEqual(["undeclared", "bad-line"]);
    expect(timeline.names.instances).toEqual(["daemon"]);

    const page = await b.handlers.replayPage({ sessionId: summary.id, from: 10, count: 3 });
    expect(page.positions).toEqual([11, 12, 13]);
    const detail = await b.handlers.replayDetail({ sessionId: summary.id, position: 3 });
    expect(detail).toMatchObject({ kind: "event", name: "sleep_step_started", fields: { step: "X", step_num: 2 } });
  }, 120_000);

  it("can be moved through while it indexes, and cancelled", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeCycleLog(file, 400_000);
    const b = newBackend();
    const summary = await b.handlers.openLog({ path: file, profileId: "iai-mcp" });
    const seen: IndexProgress[] = [];
    b.subscribe("indexProgress", (p) => seen.push(p));
    await waitFor(() => seen.some((p) => p.observations > 5000) || undefined, "some observations", 60_000);
    const frame = await b.handlers.replaySeek({ sessionId: summary.id, to: { position: 5000 } });
    expect(frame.position).toBe(5000);
    await b.handlers.cancelIndexing({ sessionId: summary.id });
    await waitFor(() => seen.some((p) => p.state === "cancelled") || undefined, "cancelled", 60_000);
    const after = seen[seen.length - 1] as IndexProgress;
    expect(after.observations).toBeLessThan(400_000);
    const end = await b.handlers.replaySeek({ sessionId: summary.id, to: { position: 10_000_000 } });
    expect(end.position).toBe(after.observations);
  }, 120_000);

  it("merges two programs' logs in one folder by their own timestamps", async () => {
    const dir = tempDir();
    // Two hosts' daily logs, interleaved in time (host b starts half a second after host a).
    writeCycleLog(path.join(dir, "lifecycle-events-2026-06-10.jsonl"), 10, { stepMs: 1000 });
    writeCycleLog(path.join(dir, "lifecycle-events-2026-06-11.jsonl"), 10, { startMs: T0 + 500, stepMs: 1000 });
    const b = newBackend();
    const summary = await b.handlers.openLog({ path: dir, profileId: "iai-mcp" });
    await indexed(b, summary.id);
    const page = await b.handlers.replayPage({ sessionId: summary.id, from: 0, count: 100 });
    const times = page.items.flatMap((o) => (o.ts ? [Date.parse(o.ts)] : []));
    expect(times).toHaveLength(20);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(new Set(page.items.map((o) => path.basename(o.source.file ?? "")))).toEqual(new Set(["lifecycle-events-2026-06-10.jsonl", "lifecycle-events-2026-06-11.jsonl"]));
  }, 60_000);

  it("says clearly what it cannot open", async () => {
    const b = newBackend();
    await expect(b.handlers.openLog({ path: "/no/such/log.jsonl" })).rejects.toThrow(/does not exist/);
    await expect(b.handlers.openLog({ path: "/proc" })).rejects.toThrow(/file system/);
    expect(await b.handlers.listRecent(null)).toEqual([]);
  });
});
