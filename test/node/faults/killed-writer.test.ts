/**
 * Fault injection (issue 15): a writer killed mid-write. A real writer process appends numbered
 * iai-mcp lines, writes half of the next one and is SIGKILLed; `fsm-inspector watch --json` must
 * not report the half line; then
 *  A. a restarted writer completes the line (a 100 KB line, so the half crosses a 64 KiB read) and
 *     goes on: the line is reported once, whole, nothing duplicated, no warning;
 *  B. a restarted writer does not complete it and appends new lines: the half line and the first
 *     new line are one genuinely broken line, reported once as a bad line with its file and line
 *     number — as `check --json` reports it — and the lines after it are read.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/tmp";
import { checkJson, startWatch } from "../../helpers/watch-cli";
import { checkRows, describeWarnings, exactlyOnce, firstDifference, perfect, range, watchRows } from "../../helpers/trace-compare";
import { faultSeed, reportedN, reportedNs, settle } from "../../helpers/fault-logs";
import { startFileOpsWriter } from "../../helpers/writers/file-ops";
import { dailyLogName, logLine } from "../../helpers/writers/iai-lines";


describe("a writer killed mid-write", () => {
  it("never reports a half line; a completed line once; a broken line once, as a bad line with file and line", async () => {
    const seed = faultSeed(2);
    const dir = path.join(tempDir("fsm-fault-"), ".iai-mcp");
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    const fileA = path.join(logs, dailyLogName("2026-06-01"));
    const fileB = path.join(logs, dailyLogName("2026-06-02"));
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => l.some((x) => x.kind === "warning" && x.code === "missing-file") || undefined, "the watch to be running");

    // A: lines 0–9, then half of line 10 (a line over 100 KB), then SIGKILL.
    const first = await startFileOpsWriter();
    await first.do({ op: "append", file: fileA, from: 0, count: 10, seed, pad: "small" });
    const longLine = Buffer.byteLength(`${logLine(10, { seed, pad: "huge" })}\n`);
    expect(longLine).toBeGreaterThan(64 * 1024);
    const half = Math.floor(longLine / 2) + 1;
    await first.do({ op: "partial", file: fileA, n: 10, bytes: half, seed, pad: "huge" });
    await first.kill();
    await watch.until((l) => reportedN(l, 9, fileA) || undefined, "line 9");
    await settle();
    expect(reportedNs(watch.lines, fileA), "the half line must wait for its newline").toEqual(range(0, 10));
    expect(watch.warnings("bad-line")).toEqual([]);

    // A, restarted: completes line 10 and goes on.
    const second = await startFileOpsWriter();
    await second.do({ op: "complete", file: fileA, n: 10, bytes: half, seed, pad: "huge" });
    await second.do({ op: "append", file: fileA, from: 11, count: 9, seed, pad: "small" });
    await watch.until((l) => reportedN(l, 19, fileA) || undefined, "line 19").catch(() => undefined);

    // B: lines 100–109, half of line 110, SIGKILL; the next writer appends 111–119 without completing it.
    await second.do({ op: "append", file: fileB, from: 100, count: 10, seed, pad: "small" });
    await second.do({ op: "partial", file: fileB, n: 110, bytes: 40, seed, pad: "small" });
    await second.kill();
    await watch.until((l) => reportedN(l, 109, fileB) || undefined, "line 109");
    await settle();
    expect(reportedNs(watch.lines, fileB)).toEqual(range(100, 110));
    const third = await startFileOpsWriter();
    await third.do({ op: "append", file: fileB, from: 111, count: 9, seed, pad: "small" });
    await third.end();
    await watch.until((l) => reportedN(l, 119, fileB) || undefined, "line 119").catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);

    expect.soft(exactlyOnce(reportedNs(watch.lines, fileA), range(0, 20)), `seed ${seed}\n${describeWarnings(watch.lines)}`).toEqual(perfect(20));
    // Line 11 of B is half of line 110 followed by line 111: one bad line; 112–119 are read.
    const wantB = [...range(100, 110), ...range(112, 120)];
    expect.soft(exactlyOnce(reportedNs(watch.lines, fileB), wantB), `seed ${seed}\n${describeWarnings(watch.lines)}`).toEqual(perfect(wantB.length));
    const bad = watch.warnings("bad-line").map((w) => ({ file: w.file, line: w.line, message: w.message }));
    expect.soft(bad).toEqual([{ file: fileB, line: 11, message: expect.stringMatching(/^line 11 is not valid JSON/) }]);
    expect.soft(watch.warnings("gap")).toEqual([]);

    // check over the final files: the same transitions, and the same one bad line.
    const { report } = await checkJson(logs, ["--profile", "iai-mcp"]);
    expect.soft(report.errors.map((e) => [e.file, e.line])).toEqual([[fileB, 11]]);
    expect.soft(firstDifference(watchRows(watch.lines), checkRows(report))).toBeUndefined();
  }, 90_000);
});
