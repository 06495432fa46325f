/**
 * `npm run bench`: runs the benchmarks, prints each result with its ratio to the baseline measured
 * in the same run, and merges them into bench/results.json (one key per benchmark).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { latencyBenchmark } from "./latency";

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

fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
