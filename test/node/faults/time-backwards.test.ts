/**
 * Fault injection (issue 15): timestamps going backwards — a log whose ts jumps back one hour (a
 * clock set back), then runs of equal timestamps. Nothing crashes; no dwell anywhere is negative
 * (`check --json` p50/p95/max, the live model's dwell samples); every transition is still counted;
 * the order is the order of the lines, in `check --json`, in `watch --json`, and in a live session.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TraceSession } from "../../../electron/node/session/trace-session";
import { findProfile } from "../../../shared/profiles";
import type { Observation } from "../../../shared/trace/observation";
import { tempDir, waitFor } from "../../helpers/tmp";
import { checkJson, startWatch } from "../../helpers/watch-cli";
import { checkRows, describeWarnings, firstDifference, range, watchRows } from "../../helpers/trace-compare";
import { BASE_MS, dailyLogName, logLine } from "../../helpers/writers/iai-lines";

const MIN = 60_000;
const COUNT = 30;

/** Line n's time: a minute apart; line 10 one hour before line 9; lines 15–19 all at line 14's time; and a second run of equal times at the end. */
function tsMsOf(n: number): number {
  if (n < 10) return BASE_MS + n * MIN;
  if (n < 15) return BASE_MS + 9 * MIN - 60 * MIN + (n - 10) * MIN;
  if (n < 20) return BASE_MS + 9 * MIN - 60 * MIN + 4 * MIN;
  if (n < 25) return BASE_MS + (n - 20) * MIN;
  return BASE_MS + 4 * MIN;
}

describe("timestamps going backwards", () => {
  it("never gives a negative dwell, counts every transition, keeps the order of the lines", async () => {
    const dir = path.join(tempDir("fsm-fault-"), ".iai-mcp");
    const file = path.join(dir, "logs", dailyLogName("2026-06-01"));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, range(0, COUNT).map((n) => `${logLine(n, { tsMs: tsMsOf(n) })}\n`).join(""));

    const { run, report } = await checkJson(file, ["--profile", "iai-mcp"]);
    expect(run.stderr).toBe("");
    const inst = report.instances[0];
    expect(inst?.transitions.map((t) => t.line)).toEqual(range(1, COUNT + 1));
    expect(Object.values(inst?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(inst?.transitions.every((t) => t.verdict === "declared" || t.verdict === "gap")).toBe(true);
    const negative = Object.entries(inst?.dwell ?? {}).filter(([, d]) => d.p50Ms < 0 || d.p95Ms < 0 || d.maxMs < 0 || d.count < 0);
    expect.soft(negative, JSON.stringify(inst?.dwell)).toEqual([]);
    // Dwell is measured at all (the continuous stretches around the jump and the equal times).
    expect(Object.values(inst?.dwell ?? {}).reduce((a, d) => a + d.count, 0)).toBeGreaterThan(COUNT / 2);
    expect.soft(run.code, "every transition is declared: check conforms").toBe(0);

    // watch --json: the same transitions, in the same order.
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => l.filter((x) => x.kind === "transition").length >= COUNT || undefined, `${COUNT} transitions`);
    await new Promise((r) => setTimeout(r, 1300));
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);
    expect.soft(watch.transitions().map((t) => t.line)).toEqual(range(1, COUNT + 1));
    expect.soft(firstDifference(watchRows(watch.lines), checkRows(report))).toBeUndefined();
    expect.soft(watch.warnings("bad-line"), describeWarnings(watch.lines)).toEqual([]);

    // A live session: its dwell samples are never negative either.
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("no iai-mcp profile");
    const session = new TraceSession({ id: "ts-back", title: "ts", kind: "live", profile, root: dir, clock: Date.now });
    const seen: Observation[] = [];
    session.onObservations((items) => seen.push(...items));
    await session.start();
    try {
      await waitFor(() => (seen.filter((o) => o.kind === "transition").length >= COUNT ? true : undefined), `${COUNT} transitions in the live session`, 20_000);
      const model = session.snapshot().model;
      expect.soft(model.totals.transitions).toBe(COUNT);
      const dwell = Object.entries(model.dwell).flatMap(([state, samples]) => samples.filter((ms) => !(ms >= 0)).map((ms) => `${state}: ${ms}`));
      expect.soft(dwell).toEqual([]);
      expect(Object.values(model.dwell).flat().length).toBeGreaterThan(COUNT / 2);
      expect.soft(seen.flatMap((o) => (o.kind === "transition" ? [o.source.line] : []))).toEqual(range(1, COUNT + 1));
    } finally {
      await session.close();
    }
  }, 60_000);
});
