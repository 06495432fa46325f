/**
 * `npm run bench`: the one suite for every performance budget of the project. Prints a table and
 * writes bench/results.json: {"machine": {...}, "results": [{name, value, unit, baseline, ratio,
 * budget, pass, what}]}. Each budget applies to `ratio` where there is a baseline measured in the
 * same run (timings on shared machines are noisy), else to `value`.
 *
 *   npm run bench                      every entry (long ones in their short version)
 *   npm run bench -- --only NAME       one entry or result (repeatable; "diagram" runs diagram.*)
 *   npm run bench -- --long            long versions too (the 10-minute soak and fleet runs)
 *   npm run bench -- --check           exit 1 when a result misses its budget
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { check1m } from "./check-1m";
import { cliStartup } from "./cli-startup";
import { diagram } from "./diagram";
import { fleet } from "./fleet";
import { liveLatency } from "./latency";
import type { BenchEntry, BenchResult } from "./result";
import { replay } from "./replay";
import { liveSoak } from "./soak";

const ENTRIES: BenchEntry[] = [cliStartup, check1m, replay, liveLatency, diagram, liveSoak, fleet];

const args = process.argv.slice(2);
const only: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === "--only") only.push(...(args[++i] ?? "").split(",").filter(Boolean));
  else if (a.startsWith("--only=")) only.push(...a.slice(7).split(",").filter(Boolean));
  else if (a !== "--check" && a !== "--long") {
    process.stderr.write(`unknown option ${a}. Options: --only NAME, --long, --check\n`);
    process.exit(2);
  }
}
const check = args.includes("--check");
const long = args.includes("--long");

/** Whether NAME picks this entry: its name, a prefix of it ("diagram"), or one of its results ("diagram.layout.100"). */
const picks = (name: string, e: BenchEntry): boolean => name === e.name || e.name.startsWith(`${name}.`) || name.startsWith(`${e.name}.`);
const unknown = only.filter((n) => !ENTRIES.some((e) => picks(n, e)));
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(", ")}. Known: ${ENTRIES.map((e) => e.name).join(", ")}\n`);
  process.exit(2);
}
const chosen = ENTRIES.filter((e) => (only.length ? only.some((n) => picks(n, e)) : true));
const named = (e: BenchEntry): boolean => only.some((n) => picks(n, e));

const root = path.resolve(import.meta.dirname, "..");
if (chosen.some((e) => e.name === "diagram" || e.name === "fleet")) {
  // Always: a UI built before the last change would measure old code.
  process.stdout.write("building the UI first (npm run build)…\n");
  const b = spawnSync(process.execPath, [path.join(root, "scripts/build.mjs")], { stdio: "inherit", cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const results: BenchResult[] = [];
const failures: string[] = [];
for (const e of chosen) {
  const longRun = e.long === true && (long || named(e));
  process.stdout.write(`${e.name}${e.long ? (longRun ? " (long)" : " (short version; --long for the full run)") : ""} …\n`);
  const t0 = Date.now();
  try {
    const got = await e.run({ long: longRun, log: (l) => process.stdout.write(`${l}\n`) });
    results.push(...got);
  } catch (err) {
    failures.push(`${e.name}: ${err instanceof Error ? err.message : String(err)}`);
    process.stdout.write(`  FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

// The table.
const fmt = (n: number | null, unit = ""): string => (n === null ? "—" : `${Number.isInteger(n) ? n : n.toFixed(n < 10 ? 2 : 1)}${unit}`);
const rows = results.map((r) => [r.name, fmt(r.value, ` ${r.unit}`), fmt(r.baseline, r.baseline === null ? "" : ` ${r.unit}`), r.ratio === null ? "—" : `×${fmt(r.ratio)}`, r.budget === null ? "—" : r.ratio !== null ? `≤ ×${r.budget}` : `≤ ${r.budget} ${r.unit}`, r.budget === null ? "reference" : r.pass ? "pass" : "MISSED"]);
const head = ["result", "value", "baseline", "ratio", "budget", ""];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
process.stdout.write(`\n${line(head)}\n${widths.map((w) => "─".repeat(w)).join("  ")}\n${rows.map(line).join("\n")}\n`);

// bench/results.json: results of this run replace those of the same name; others are kept.
const file = path.join(import.meta.dirname, "results.json");
let previous: BenchResult[];
try {
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { results?: BenchResult[] };
  previous = Array.isArray(doc.results) ? doc.results : [];
} catch {
  previous = [];
}
const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results].sort((a, b) => a.name.localeCompare(b.name));
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", node: process.version, platform: `${os.platform()}-${os.arch()}`, date: new Date().toISOString() };
fs.writeFileSync(file, `${JSON.stringify({ machine, results: merged }, null, 2)}\n`);
process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)}\n`);

const missed = results.filter((r) => !r.pass);
if (failures.length) process.stdout.write(`\n${failures.length} benchmark(s) could not run:\n  ${failures.join("\n  ")}\n`);
if (check && (missed.length || failures.length)) {
  process.stdout.write(`${missed.length} result(s) missed their budget: ${missed.map((r) => r.name).join(", ")}\n`);
  process.exit(1);
}
