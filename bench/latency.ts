/**
 * Latency benchmark (not a test): from a writer process's write to the observation reaching a
 * WebSocket client of serve mode, over N transitions. Baseline, measured in the same run on the
 * same writes: a bare fs.watch on the log folder reading the new bytes — the least any watcher can
 * do. Reports p50/p99 for both and their ratio.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { WebSocket } from "ws";
import { createBackend } from "../electron/node/backend";
import { serve } from "../electron/node/server/server";
import { sourceDemoLauncher, PACKAGE_ROOT } from "../electron/node/cli/paths";
import { percentile } from "../shared/trace/stats";
import type { ServerMessage } from "../shared/ipc/contract";
import type { Observation } from "../shared/trace/observation";
import { valueResult, type BenchEntry } from "./result";

const now = (): number => performance.timeOrigin + performance.now();

export interface LatencyResult {
  transitions: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  ratioP50: number;
  ratioP99: number;
  target: { p50Ms: number; p99Ms: number };
  met: boolean;
}

export async function latencyBenchmark(count = 1000, pauseMs = 15): Promise<LatencyResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-bench-"));
  const dir = path.join(root, ".iai-mcp");
  fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
  const backend = createBackend({ mode: "serve", version: "bench", demo: { launcher: sourceDemoLauncher() } });
  const server = await serve({ backend, rendererDir: root });
  const received: number[] = [];
  const baseline: number[] = [];
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.on("message", (raw) => {
      const t = now();
      const msg = JSON.parse(String(raw)) as ServerMessage;
      if ("id" in msg && !msg.result.ok) throw new Error(`openFolder failed: ${msg.result.error.message}`);
      if ("event" in msg && msg.event === "observations") {
        const { items } = msg.payload as { items: Observation[] };
        for (const o of items) if (o.kind === "transition") received.push(t);
      }
    });
    ws.send(JSON.stringify({ id: 1, call: "openFolder", arg: { path: dir, profileId: "iai-mcp" } }));

    // The baseline watcher: fs.watch on the log folder, read what was appended, count lines.
    let offset = 0;
    const watcher = fs.watch(path.join(dir, "logs"), () => {
      const t = now();
      for (const f of fs.readdirSync(path.join(dir, "logs"))) {
        const buf = fs.readFileSync(path.join(dir, "logs", f));
        const fresh = buf.subarray(offset).toString("utf8");
        offset = buf.length;
        for (const l of fresh.split("\n")) if (l.includes("state_transition")) baseline.push(t);
      }
    });

    const writes: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(PACKAGE_ROOT, "bench/writer-main.ts"), dir, String(count), String(pauseMs)], { cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "inherit"] });
      let buf = "";
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split("\n");
        buf = lines.pop() ?? "";
        for (const l of lines) if (l) writes.push(Number(l));
      });
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
    });
    const deadline = Date.now() + 10_000;
    while ((received.length < count || baseline.length < count) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    watcher.close();
    ws.close();
    if (received.length < count) throw new Error(`only ${received.length} of ${count} transitions reached the client`);
    const lat = (arr: number[]): number[] => writes.map((w, i) => Math.max(0, (arr[i] ?? NaN) - w)).sort((a, b) => a - b);
    const ours = lat(received);
    const base = lat(baseline);
    const r2 = (n: number): number => Math.round(n * 100) / 100;
    const result: LatencyResult = {
      transitions: count,
      p50Ms: r2(percentile(ours, 50)),
      p99Ms: r2(percentile(ours, 99)),
      maxMs: r2(ours[ours.length - 1] ?? 0),
      baselineP50Ms: r2(percentile(base, 50)),
      baselineP99Ms: r2(percentile(base, 99)),
      ratioP50: 0,
      ratioP99: 0,
      target: { p50Ms: 50, p99Ms: 150 },
      met: false,
    };
    result.ratioP50 = r2(result.p50Ms / Math.max(0.01, result.baselineP50Ms));
    result.ratioP99 = r2(result.p99Ms / Math.max(0.01, result.baselineP99Ms));
    result.met = result.p50Ms < 50 && result.p99Ms < 150;
    return result;
  } finally {
    await server.close();
    await backend.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const liveLatency: BenchEntry = {
  name: "live.latency",
  async run({ log }) {
    const r = await latencyBenchmark(1000, 15);
    log(`  p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; bare fs.watch p50 ${r.baselineP50Ms} ms, p99 ${r.baselineP99Ms} ms`);
    const what = "a writer process's write → the observation at a WebSocket client of serve mode, 1,000 transitions";
    return [
      valueResult("live.latency.p50", `${what} (p50)`, r.p50Ms, "ms", r.target.p50Ms),
      valueResult("live.latency.p99", `${what} (p99)`, r.p99Ms, "ms", r.target.p99Ms),
      valueResult("live.latency.fswatch.p50", "a bare fs.watch reading the same writes (p50; reference, the least any watcher can do)", r.baselineP50Ms, "ms", null),
      valueResult("live.latency.fswatch.p99", "a bare fs.watch reading the same writes (p99; reference)", r.baselineP99Ms, "ms", null),
    ];
  },
};
