/**
 * Fault injection (issue 15): appended logs, every line exactly once. `fsm-inspector watch --json`
 * (a real process, as a user runs it) follows an iai-mcp data folder while logs are written by a
 * real writer process or are already there; every numbered line written must be reported exactly
 * once, in order, with no bad-line warning, and the transitions must equal what `check --json`
 * reports over the final file, line for line.
 *
 *  - history read: a 350 KB log present before watching starts, lines straddling every 64 KiB read
 *    boundary (the "line 482 is not valid JSON" bug), and the --history-bytes window's edges;
 *  - appends of random lengths while watched: lines over 64 KiB, bursts of lines over 64 KiB in one
 *    write, lines written in pieces split inside UTF-8 characters (seeded; FSM_FAULT_SEED);
 *  - the start race: a 9 MB log and one append every 200 ms while the watcher starts.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkJson, startWatch } from "../../helpers/watch-cli";
import { checkRows, describeWarnings, exactlyOnce, firstDifference, perfect, range, watchRows } from "../../helpers/trace-compare";
import { dataFolder, faultSeed, logLinesReported, reportedN, reportedNs, settle, straddledBoundaries, writeLog } from "../../helpers/fault-logs";
import { startFileOpsWriter } from "../../helpers/writers/file-ops";
import { dailyLogName, logLine } from "../../helpers/writers/iai-lines";



describe("appended logs: every line exactly once", () => {
  it("reads a 350 KB log present before watching starts once, lines straddling 64 KiB boundaries included", async () => {
    const { dir, logs } = dataFolder();
    const seed = faultSeed(15);
    const log = writeLog(path.join(logs, dailyLogName("2026-06-01")), 0, 1500, { seed, pad: "small", eventsEvery: 10 });
    expect(log.size).toBeGreaterThan(5 * 64 * 1024);
    expect(straddledBoundaries(log).length, "the fixture must put lines across 64 KiB boundaries").toBeGreaterThanOrEqual(4);

    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => logLinesReported(l, log.file) >= log.ns.length || undefined, `${log.ns.length} lines`, 20_000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);
    expect(watch.garbage).toEqual([]);
    expect.soft(watch.warnings("bad-line").map((w) => `${path.basename(w.file ?? "")}:${w.line} ${w.message}`), `seed ${seed}`).toEqual([]);
    expect.soft(exactlyOnce(reportedNs(watch.lines, log.file), log.ns), `seed ${seed}\n${describeWarnings(watch.lines)}`).toEqual(perfect(log.ns.length));
    expect.soft(watch.transitions().every((t) => t.verdict === "declared")).toBe(true);

    const { report } = await checkJson(log.file, ["--profile", "iai-mcp"]);
    expect.soft(report.errors).toEqual([]);
    expect.soft(firstDifference(watchRows(watch.lines), checkRows(report))).toBeUndefined();
  }, 60_000);

  it("starts --history-bytes at the first line that begins inside the window: a line starting exactly at its edge is read, a cut one is not", async () => {
    const { dir, logs } = dataFolder();
    const seed = faultSeed(16);
    const log = writeLog(path.join(logs, dailyLogName("2026-06-01")), 0, 600, { seed, pad: "small" });
    const lastK = 100;
    const edge = log.offsets[log.ns.length - lastK] as number;
    // Exactly the last 100 lines; then 10 bytes more (the 101st from the end is cut: not read).
    for (const history of [log.size - edge, log.size - edge + 10]) {
      const watch = await startWatch([dir, "--profile", "iai-mcp", "--json", "--history-bytes", String(history)]);
      await watch.until((l) => reportedN(l, log.ns.length - 1, log.file) || undefined, "the last line", 20_000).catch(() => undefined);
      await settle();
      await watch.stop();
      expect.soft(exactlyOnce(reportedNs(watch.lines, log.file), range(log.ns.length - lastK, log.ns.length)), `--history-bytes ${history} of ${log.size}`).toEqual(perfect(lastK));
      expect.soft(watch.warnings("bad-line")).toEqual([]);
      // The lines keep their line numbers in the file (README: `line` is the artifact's line), as check reports them.
      const { report } = await checkJson(log.file, ["--profile", "iai-mcp"]);
      expect.soft(firstDifference(watchRows(watch.lines), checkRows(report).slice(-lastK)), `--history-bytes ${history}`).toBeUndefined();
    }
  }, 90_000);

  it("reports appends of random lengths (lines and bursts over 64 KiB, lines in pieces) once each, as check does", async () => {
    const { dir, logs } = dataFolder();
    const seed = faultSeed(1515);
    const file = path.join(logs, dailyLogName("2026-06-01"));
    const mixed = 400;
    const count = mixed + 1000;
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => l.some((x) => x.kind === "warning" && x.code === "missing-file") || undefined, "the watch to be running");
    const writer = await startFileOpsWriter();
    const wrote = await writer.do({ op: "append", file, from: 0, count: mixed, seed, pad: "mixed", eventsEvery: 10, mode: "mixed", pauseMs: 1 });
    // Then bursts: a thousand short lines in writes of over 64 KiB each (about 260 lines a write).
    const burst = await writer.do({ op: "append", file, from: mixed, count: count - mixed, seed, pad: "small", eventsEvery: 10, mode: "burst" });
    await writer.end();
    expect(Number(burst["bigWrites"])).toBeGreaterThanOrEqual(3);
    expect(Number(wrote["bytes"])).toBeGreaterThan(1024 * 1024);
    // The seeded mix must include writes over 64 KiB (bursts, long lines) and lines written in pieces.
    expect(Number(wrote["bigWrites"]), `seed ${seed}`).toBeGreaterThanOrEqual(3);
    expect(Number(wrote["splitLines"]), `seed ${seed}`).toBeGreaterThanOrEqual(50);
    // The seeded lengths must include lines over 64 KiB.
    const longest = Math.max(...range(0, mixed).map((n) => Buffer.byteLength(logLine(n, { seed, pad: "mixed", eventsEvery: 10 }))));
    expect(longest, `seed ${seed}`).toBeGreaterThan(64 * 1024);

    await watch.until((l) => logLinesReported(l, file) >= count || undefined, `${count} lines`, 20_000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);
    expect.soft(watch.warnings("bad-line").map((w) => `${w.line} ${w.message}`), `seed ${seed}`).toEqual([]);
    expect.soft(watch.warnings("gap").length, `seed ${seed}`).toBe(0);
    expect.soft(exactlyOnce(reportedNs(watch.lines, file), range(0, count)), `seed ${seed}\n${describeWarnings(watch.lines)}`).toEqual(perfect(count));

    const { report } = await checkJson(file, ["--profile", "iai-mcp"]);
    expect.soft(report.errors).toEqual([]);
    expect.soft(firstDifference(watchRows(watch.lines), checkRows(report)), `seed ${seed}`).toBeUndefined();
    expect.soft(watch.transitions().every((t) => t.verdict === "declared")).toBe(true);
  }, 60_000);

  it("start race: a 9 MB log and one append every 200 ms while the watcher starts — exact count, no false warnings", async () => {
    const { dir, logs } = dataFolder();
    const seed = faultSeed(9);
    const file = path.join(logs, dailyLogName("2026-06-01"));
    const log = writeLog(file, 0, 40_000, { seed, pad: "small" });
    const historyBytes = 4 * 1024 * 1024; // watch's default
    expect(log.size).toBeGreaterThan(8.5 * 1024 * 1024);
    const appends = 20;
    const first = log.ns.length;

    const writer = await startFileOpsWriter();
    const appending = writer.do({ op: "append", file, from: first, count: appends, seed, pad: "small", pauseMs: 200 });
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    const wrote = await appending;
    await writer.end();
    await watch.until((l) => reportedN(l, first + appends - 1, file) || undefined, "the last appended line", 30_000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);

    const ns = reportedNs(watch.lines, file);
    const k = ns[0] ?? first;
    // The first line read begins inside the history window of the file's size at start.
    const offsetK = k < first ? (log.offsets[k] as number) : log.size;
    expect(offsetK, "read from before the history window").toBeGreaterThanOrEqual(log.size - historyBytes);
    expect(offsetK, "the history window began too late").toBeLessThanOrEqual(log.size - historyBytes + Number(wrote["bytes"]) + log.longest);
    expect.soft(watch.warnings("bad-line").slice(0, 5).map((w) => `${w.line} ${w.message}`)).toEqual([]);
    expect.soft(watch.warnings("gap").map((w) => w.message)).toEqual([]);
    expect.soft(exactlyOnce(ns, range(k, first + appends)), describeWarnings(watch.lines)).toEqual(perfect(first + appends - k));

    const { report } = await checkJson(file, ["--profile", "iai-mcp"]);
    const fromLine = k + 1;
    // Line for line with check, line numbers included (README: `line` is the artifact's line).
    expect.soft(firstDifference(watchRows(watch.lines), checkRows(report).filter((r) => (r[1] ?? 0) >= fromLine))).toBeUndefined();
  }, 120_000);
});
