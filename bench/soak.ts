/**
 * live.soak: a live session following a writer that dispatches as fast as a busy daemon would,
 * for 20 s (the default, short run) or 10 minutes (--long, or --only live.soak): the heap must not
 * grow with time — the model keeps bounded lists, sources keep no history. Value: heap growth
 * between the first quarter and the end, after garbage collection.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TraceSession, WATCH_HISTORY_BYTES } from "../electron/node/session/trace-session";
import { PACKAGE_ROOT } from "../electron/node/cli/paths";
import { findProfile } from "../shared/profiles";
import { valueResult, type BenchEntry } from "./result";

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

export const liveSoak: BenchEntry = {
  name: "live.soak",
  long: true,
  async run({ long, log }) {
    const seconds = long ? 600 : 20;
    const pauseMs = 5;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-soak-"));
    const dir = path.join(root, ".iai-mcp");
    fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("no iai-mcp profile");
    const session = new TraceSession({ id: "soak", title: "soak", kind: "live", profile, root: dir, clock: Date.now, historyBytes: WATCH_HISTORY_BYTES });
    let seen = 0;
    session.onObservations((items) => (seen += items.filter((o) => o.kind === "transition").length));
    await session.start();
    const count = Math.round((seconds * 1000) / (pauseMs + 1));
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PACKAGE_ROOT, "bench/writer-main.ts"), dir, String(count), String(pauseMs)], { cwd: PACKAGE_ROOT, stdio: ["ignore", "ignore", "inherit"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(heapMb()), 1000);
    try {
      const code = await exited;
      if (code !== 0) throw new Error(`the writer exited with ${code}`);
      const deadline = Date.now() + 10_000;
      while (seen < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (seen < count) throw new Error(`only ${seen} of ${count} transitions were observed`);
    } finally {
      clearInterval(timer);
      await session.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
    const start = samples[Math.floor(samples.length / 4)] ?? samples[0] ?? 0;
    const end = heapMb();
    log(`  ${count} transitions in ${samples.length} s; heap ${start.toFixed(1)} MB after a quarter, ${end.toFixed(1)} MB at the end`);
    return [valueResult("live.soak", `heap growth of a live session over ${seconds} s of ${Math.round(1000 / (pauseMs + 1))} dispatches/s (after a quarter → end)`, Math.max(0, end - start), "MB", 16)];
  },
};
