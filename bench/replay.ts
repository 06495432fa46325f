/**
 * Replay benchmarks on a 1,000,000-line iai-mcp log in the real format (as check.cli.1m):
 * - replay.index.1m: a replay session (its worker thread) indexing the file, against a bare
 *   readline + JSON.parse loop over the same file in this same process;
 * - replay.rss.1m: the backend's peak resident memory while indexing, against the file's size;
 * - replay.seek.median / .p99: 1,000 seeks to random positions, until the backend's answer is ready;
 * - replay.seek.roundtrip: a query that does nothing (a page of 0 items), for reference;
 * - replay.rss.seeks: the peak resident memory once the seeks are done too, for reference.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawnSync } from "node:child_process";
import { PACKAGE_ROOT } from "../electron/node/cli/paths";
import { bundleEsm } from "../scripts/cli-bundle.mjs";
import { percentile } from "../shared/trace/stats";
import { writeIaiLog } from "./check-1m";
import { median, ratioResult, valueResult, type BenchEntry, type BenchResult } from "./result";

async function bareRead(file: string): Promise<number> {
  const t0 = performance.now();
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (line === "") continue;
    const o = JSON.parse(line) as { event?: string };
    if (o.event === "state_transition") n++;
  }
  if (n === 0) throw new Error("the baseline read no transitions");
  return performance.now() - t0;
}

/** bench/replay-child.ts and the replay worker, bundled as the app ships them (no TypeScript loader at run time). */
async function buildChild(dir: string): Promise<string> {
  await bundleEsm({ child: path.join(PACKAGE_ROOT, "bench/replay-child.ts"), "replay-worker": path.join(PACKAGE_ROOT, "electron/node/replay/worker-main.ts"), "replay-reader": path.join(PACKAGE_ROOT, "electron/node/replay/reader-main.ts") }, dir);
  return path.join(dir, "child.mjs");
}

/** The replay session in a process of its own (bench/replay-child.ts): its time, its own peak memory, its seeks. */
function child(script: string, file: string): { indexMs: number; lines: number; peakRssBytes: number; afterSeeksRssBytes: number; seeks: number[]; trips: number[] } {
  const r = spawnSync(process.execPath, [script, file, "1000"], { cwd: PACKAGE_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the replay process failed: ${r.stderr.slice(-800)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as ReturnType<typeof child>;
}

export async function replayBenchmark(lines: number, log: (l: string) => void): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-bench-replay-"));
  try {
    const file = path.join(dir, "lifecycle-events-2026-01-01.jsonl");
    await writeIaiLog(file, lines);
    const size = fs.statSync(file).size;
    log(`  wrote ${lines.toLocaleString("en")} lines (${(size / 1e6).toFixed(0)} MB)`);
    const script = await buildChild(path.join(dir, "bundle"));
    const base: number[] = [];
    const runs: ReturnType<typeof child>[] = [];
    for (let round = 0; round < 3; round++) {
      base.push(await bareRead(file));
      const run = child(script, file);
      if (run.lines !== lines) throw new Error(`indexed ${run.lines} lines, not ${lines}`);
      runs.push(run);
    }
    const ours = runs.map((r) => r.indexMs);
    const peakRss = Math.max(...runs.map((r) => r.peakRssBytes));
    const afterSeeks = Math.max(...runs.map((r) => r.afterSeeksRssBytes));
    const seeks = runs.flatMap((r) => r.seeks).sort((a, b) => a - b);
    const trips = runs.flatMap((r) => r.trips);
    log(`  index: median ${(median(ours) / 1000).toFixed(2)} s; readline + JSON.parse: ${(median(base) / 1000).toFixed(2)} s; peak RSS ${(peakRss / 1e6).toFixed(0)} MB while indexing, ${(afterSeeks / 1e6).toFixed(0)} MB after the seeks`);
    log(`  seek: median ${percentile(seeks, 50).toFixed(2)} ms, p99 ${percentile(seeks, 99).toFixed(2)} ms; an empty query ${median(trips).toFixed(2)} ms`);
    return [
      ratioResult("replay.index.1m", "a replay session indexing 1M iai-mcp lines in its worker, vs readline + JSON.parse of the same file in one process", median(ours), median(base), "ms", 2),
      ratioResult("replay.rss.1m", "the backend process's peak resident memory while indexing, vs the file's size", peakRss / 1e6, size / 1e6, "MB", 3),
      valueResult("replay.seek.median", "moving to a random position of the 1M-line recording, until the answer is ready (median of 3 × 1,000)", percentile(seeks, 50), "ms", 16),
      valueResult("replay.seek.p99", "the same, 99th percentile", percentile(seeks, 99), "ms", 50),
      valueResult("replay.seek.roundtrip", "a query to the worker that does nothing (reference)", median(trips), "ms", null),
      ratioResult("replay.rss.seeks", "the same process's peak resident memory once the 1,000 seeks are done too, vs the file's size (reference)", afterSeeks / 1e6, size / 1e6, "MB", null),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const replay: BenchEntry = {
  name: "replay",
  run: ({ log }) => replayBenchmark(1_000_000, log),
};
