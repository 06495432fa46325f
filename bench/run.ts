/**
 * `npm run bench`: runs the benchmarks, prints each result with its ratio to the baseline measured
 * in the same run, and merges them into bench/results.json (one key per benchmark).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { latencyBenchmark } from "./latency";
import { diagramBenchmark } from "./diagram";

const file = path.join(import.meta.dirname, "results.json");
const previous = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : {};
const only = process.argv.slice(2);
const want = (name: string): boolean => only.length === 0 || only.includes(name);

const results: Record<string, unknown> = { ...previous, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", node: process.version, platform: `${os.platform()}-${os.arch()}` }, date: new Date().toISOString() };

if (want("latency")) {
  process.stdout.write("latency: 1,000 transitions, writer process → WebSocket client …\n");
  const r = await latencyBenchmark(1000, 15);
  results["latency"] = r;
  process.stdout.write(
    `  ours p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; baseline (bare fs.watch) p50 ${r.baselineP50Ms} ms, p99 ${r.baselineP99Ms} ms; ratio p50 ×${r.ratioP50}, p99 ×${r.ratioP99}; target p50 < 50 ms and p99 < 150 ms: ${r.met ? "met" : "NOT met"}\n`,
  );
}

if (want("diagram")) {
  process.stdout.write("diagram: 100 states, 300 transitions — elk in the worker, then 20 transitions/s for 10 s in Chromium …\n");
  const r = (await diagramBenchmark()) as {
    error?: string;
    layout: { medianMs: number; baselineMedianMs: number; ratio: number; met: boolean };
    frames: { under16_7: number; p50Ms: number; p95Ms: number; baselineIdleUnder16_7: number; baselineIdleP95Ms: number; ratioP95: number; met: boolean };
  };
  if (r.error) throw new Error(r.error);
  results["diagram"] = r;
  process.stdout.write(
    `  layout: median ${r.layout.medianMs} ms (baseline 4-state machine ${r.layout.baselineMedianMs} ms, ×${r.layout.ratio}); target < 200 ms: ${r.layout.met ? "met" : "NOT met"}\n` +
      `  frames while streaming: ${Math.round(r.frames.under16_7 * 100)}% under 16.7 ms, p50 ${r.frames.p50Ms} ms, p95 ${r.frames.p95Ms} ms (idle baseline: ${Math.round(r.frames.baselineIdleUnder16_7 * 100)}%, p95 ${r.frames.baselineIdleP95Ms} ms; ×${r.frames.ratioP95}); target 95%: ${r.frames.met ? "met" : "NOT met"}\n`,
  );
}

fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
