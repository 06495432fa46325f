/**
 * check.cli.1m: `fsm-inspector check` over a 1,000,000-line log in the real iai-mcp format (the
 * daemon's own lines from test/fixtures, repeated with later timestamps), against a bare
 * readline + JSON.parse loop over the same file (bench/baseline-readline.mjs). Also, for
 * reference and with no budget, `jq -c .` over the same file — what a user would reach for.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PACKAGE_ROOT } from "../electron/node/cli/paths";
import { median, ratioResult, valueResult, type BenchEntry, type BenchResult } from "./result";

const FIXTURE = path.join(PACKAGE_ROOT, "test/fixtures/iai-mcp/home/.iai-mcp/logs/lifecycle-events-2026-06-11.jsonl");

function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

/** Writes `lines` lines: the fixture's lines over and over, each with its own later timestamp. */
export async function writeIaiLog(file: string, lines: number): Promise<number> {
  const model = fs.readFileSync(FIXTURE, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const out = fs.createWriteStream(file);
  let t = Date.UTC(2026, 0, 1);
  let chunk = "";
  let transitions = 0;
  for (let i = 0; i < lines; i++) {
    const o = model[i % model.length] as Record<string, unknown>;
    t += 1000 + (i % 7) * 137;
    if (o["event"] === "state_transition") transitions++;
    chunk += `${JSON.stringify({ ...o, ts: isoMicro(t) })}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once("finish", () => r()));
  return transitions;
}

function timed(cmd: string, args: string[], stdout: "pipe" | "ignore" = "pipe"): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: PACKAGE_ROOT, stdio: ["ignore", stdout, "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return { ms, out: r.stdout ? r.stdout.toString() : "" };
}

export const check1m: BenchEntry = {
  name: "check.cli.1m",
  async run({ log }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-bench-1m-"));
    try {
      const file = path.join(dir, "lifecycle-events-2026-01-01.jsonl");
      const transitions = await writeIaiLog(file, 1_000_000);
      log(`  wrote 1,000,000 lines (${(fs.statSync(file).size / 1e6).toFixed(0)} MB, ${transitions} transitions)`);
      const bin = path.join(PACKAGE_ROOT, "bin", "fsm-inspector.mjs");
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < 3; i++) {
        const b = timed(process.execPath, [path.join(PACKAGE_ROOT, "bench/baseline-readline.mjs"), file]);
        if (Number(b.out.trim()) !== transitions) throw new Error(`the baseline counted ${b.out.trim()} transitions, not ${transitions}`);
        base.push(b.ms);
        const c = timed(process.execPath, [bin, "check", file]);
        if (!c.out.includes(`${transitions} transition`)) throw new Error(`check did not report ${transitions} transitions:\n${c.out.slice(0, 800)}`);
        ours.push(c.ms);
      }
      log(`  check: median ${(median(ours) / 1000).toFixed(2)} s; readline + JSON.parse: ${(median(base) / 1000).toFixed(2)} s`);
      const results: BenchResult[] = [ratioResult("check.cli.1m", "fsm-inspector check on 1M iai-mcp lines, vs readline + JSON.parse of the same file", median(ours), median(base), "ms", 2)];
      const jq = spawnSync("jq", ["--version"], { stdio: "ignore" });
      if (jq.status === 0) {
        const j = timed("jq", ["-c", ".", file], "ignore");
        log(`  jq -c .: ${(j.ms / 1000).toFixed(2)} s (reference)`);
        results.push(valueResult("check.cli.1m.jq", "jq -c . over the same file (reference, no budget)", j.ms, "ms", null));
      } else log("  jq is not installed: its reference time is left out (apt-get install jq)");
      return results;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
