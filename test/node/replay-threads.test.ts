/**
 * A replay session reads and judges in one worker thread and indexes in another (reader-main.ts →
 * worker-main.ts). What it shows must be exactly what one thread doing everything shows: for each
 * program's real artifacts (the fixtures), a generated log with bad lines, and a folder of logs
 * merged by time, the frames at many positions, the timeline and the pages are equal to those of
 * an index built in this process from the same target. A large log is read in parts by two or
 * three readers side by side: cut anywhere (inside long lines, CRLF pairs, runs of repeated lines,
 * lines stamped backwards), it still shows exactly what reading it whole shows.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { Indexer } from "../../electron/node/replay/indexer";
import { page, seek, timeline } from "../../electron/node/replay/queries";
import { ReplaySession } from "../../electron/node/replay/replay-session";
import { partsPlan, type PartsOptions } from "../../electron/node/replay/log-parts";
import { isSnapshotSequence, resolveTarget } from "../../electron/node/target/target";
import type { IndexProgress } from "../../shared/ipc/replay";
import { seededRandom } from "../../shared/machine/prng";
import { tempDir } from "../helpers/tmp";
import { writeCycleLog } from "../helpers/writers/cycle-log";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");
const open: ReplaySession[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function both(input: string, parts?: PartsOptions): Promise<void> {
  const target = await resolveTarget(input);
  const alone = new Indexer(target.profile, () => undefined, { sampled: isSnapshotSequence(target) });
  await alone.indexTarget(target);

  const session = new ReplaySession({ id: "t", title: "t", profile: target.profile, target: input, source: { kind: "target", target }, clock: Date.now, ...(parts ? { parts } : {}) });
  open.push(session);
  const end = new Promise<IndexProgress>((resolve) => session.onProgress((p) => p.state !== "indexing" && resolve(p)));
  await session.start();
  const done = await end;
  expect(done.state).toBe("done");
  expect(done.observations).toBe(alone.index.count);
  expect(done).toMatchObject({ transitions: alone.index.transitions, anomalies: alone.index.anomalies, badLines: alone.index.badLines, bytesRead: alone.progress().bytesRead, lines: alone.progress().lines });

  const n = alone.index.count;
  const positions = [...new Set([0, 1, 2, Math.floor(n / 3), Math.floor(n / 2), n - 1, n].filter((p) => p >= 0 && p <= n))];
  for (const position of positions) {
    for (const scope of ["upto", "all"] as const) {
      const { sessionId: _, ...frame } = await session.seek({ position }, scope);
      expect(frame, `${path.basename(input)} at ${position} (${scope})`).toEqual(seek(alone.index, { kind: "seek", to: { position }, scope }));
    }
  }
  const { sessionId: _t, ...line } = await session.timeline(200);
  expect(line).toEqual(timeline(alone.index, { kind: "timeline", buckets: 200 }));
  const { sessionId: _p, ...items } = await session.page(0, 1000, false);
  expect(items).toEqual(page(alone.index, { kind: "page", from: 0, count: 1000, before: false }));
}

describe("replay: reading in its own thread shows what one thread shows", () => {
  it("iai-mcp's data folder (logs and state file)", () => both(path.join(FIXTURES, "iai-mcp/home/.iai-mcp")), 60_000);
  it("jumpstarter's exporter log (text)", () => both(path.join(FIXTURES, "jumpstarter/exporter.log")), 60_000);
  it("ecluse's snapshot folder", () => both(path.join(FIXTURES, "ecluse/snapshots")), 60_000);
  it("duckgres' table dump", () => both(path.join(FIXTURES, "duckgres/dump.csv")), 60_000);
  it("a generated log with odd and bad lines, and a folder of two logs merged by time", async () => {
    const dir = tempDir();
    writeCycleLog(path.join(dir, "lifecycle-events-2026-06-10.jsonl"), 20_000, { odd: 7_001, bad: 15_000 });
    await both(path.join(dir, "lifecycle-events-2026-06-10.jsonl"));
    writeCycleLog(path.join(dir, "lifecycle-events-2026-06-11.jsonl"), 5_000, { startMs: Date.UTC(2026, 5, 10) + 500, stepMs: 1000 });
    await both(dir);
  }, 120_000);

  it("a log read in parts by two or three readers, cut anywhere, shows what reading it whole shows", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    fs.writeFileSync(file, awkwardLog(6000, 11));
    for (const [readers, maxPartBytes] of [[2, 4096], [3, 1000], [2, 333_333], [3, 97]] as const) {
      const parts: PartsOptions = { minBytes: 0, maxPartBytes, readers };
      const plan = await partsPlan(await resolveTarget(file), parts);
      expect(plan, "read in parts").toBeDefined();
      await both(file, parts);
    }
  }, 180_000);

  it("reads whole what it cannot read in parts: a folder of several logs, a compressed log, a text log, a small log", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    fs.writeFileSync(file, awkwardLog(50, 3));
    expect(await partsPlan(await resolveTarget(file), {})).toBeUndefined();
    expect(await partsPlan(await resolveTarget(file), { minBytes: 0 })).toBeDefined();
    // A folder holding one log is that log.
    expect(await partsPlan(await resolveTarget(dir), { minBytes: 0 })).toBeDefined();
    fs.writeFileSync(path.join(dir, "lifecycle-events-2026-06-11.jsonl"), awkwardLog(50, 4));
    expect(await partsPlan(await resolveTarget(dir), { minBytes: 0 })).toBeUndefined();
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
    expect(await partsPlan(await resolveTarget(`${file}.gz`), { minBytes: 0 })).toBeUndefined();
    expect(await partsPlan(await resolveTarget(path.join(FIXTURES, "jumpstarter/exporter.log")), { minBytes: 0 })).toBeUndefined();
  });
});

/**
 * An iai-mcp log with everything a reader can trip on: lines repeated (more than are listed one
 * by one), stamps going backwards (as many), lines that are not JSON, blank lines, CRLF endings,
 * lines without a stamp, a line over the 1 MB limit, and no newline after the last line.
 */
function awkwardLog(n: number, seed: number): string {
  const rand = seededRandom(seed);
  const cycle = ["WAKE", "DROWSY", "SLEEP", "HIBERNATION"];
  let state = 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const back = rand() < 0.03 ? -3_600_000 : 0;
    const ts = new Date(Date.UTC(2026, 5, 10) + i * 1000 + back).toISOString();
    const r = rand();
    let line: string;
    if (r < 0.3) {
      const to = (state + 1) % 4;
      line = JSON.stringify({ ts, event: "state_transition", from: cycle[state], to: cycle[to], trigger: "t" });
      state = to;
    } else if (r < 0.32) line = "{not json";
    else if (r < 0.33) line = "";
    else if (r < 0.34) line = JSON.stringify({ event: "sleep_step_started", step: "no stamp" });
    else line = JSON.stringify({ ts, event: "sleep_step_started", step: "X", step_num: i });
    out.push(rand() < 0.05 ? `${line}\r` : line);
    if (rand() < 0.035) out.push(out[out.length - 1] as string);
    if (i === Math.floor(n / 2)) out.push(JSON.stringify({ ts, event: "huge", pad: "x".repeat(1_200_000) }));
  }
  return out.join("\n");
}
