/**
 * Fault injection (issue 15): 1,000 files in a log folder — iai-mcp daily logs
 * `lifecycle-events-YYYY-MM-DD.jsonl` over almost three years, created in a shuffled (seeded) order.
 * `check --json` reads them all, in date order, every line once; `watch --json` reads only the
 * newest at start (history), then follows appends and a new day's file, and holds no file
 * descriptor on the logs between reads, nor more descriptors after the activity than before it
 * (counted in the watch process's /proc/PID/fd).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seeded, tempDir } from "../../helpers/tmp";
import { checkJson, startWatch, type WatchProcess } from "../../helpers/watch-cli";
import { checkRows, describeWarnings, exactlyOnce, firstDifference, perfect, range, watchRows } from "../../helpers/trace-compare";
import { faultSeed, reportedN, reportedNs, settle } from "../../helpers/fault-logs";
import { startFileOpsWriter } from "../../helpers/writers/file-ops";
import { dailyLogName, logText, nOfTs } from "../../helpers/writers/iai-lines";

const FILES = 1000;
const PER_FILE = 2;
const FIRST_DAY = "2023-06-01";

/** The watch's descriptors, sampled a few times (a read may hold one for a moment): the smallest set, and those into `dir`. */
async function quietFds(watch: WatchProcess, dir: string): Promise<{ count: number; into: string[] }> {
  let best: string[] | undefined;
  for (let i = 0; i < 6; i++) {
    const fds = watch.fds();
    if (!best || fds.length < best.length) best = fds;
    await new Promise((r) => setTimeout(r, 60));
  }
  const fds = best ?? [];
  return { count: fds.length, into: fds.filter((f) => f.startsWith(dir)) };
}

describe("1,000 files in a log folder", () => {
  it("check reads all in date order; watch reads the newest, follows what is new, and leaks no descriptor", async () => {
    const seed = faultSeed(1000);
    const dir = path.join(tempDir("fsm-fault-"), ".iai-mcp");
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    const order = range(0, FILES);
    const random = seeded(seed);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const day of order) fs.writeFileSync(path.join(logs, dailyLogName(FIRST_DAY, day)), logText(day * PER_FILE, PER_FILE));
    const names = range(0, FILES).map((d) => dailyLogName(FIRST_DAY, d));
    expect(names[names.length - 1]).toBe("lifecycle-events-2026-02-24.jsonl");

    // watch: the newest file only, at start.
    const last = FILES * PER_FILE;
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => reportedN(l, last - 1) || undefined, "the newest file's last line");
    await settle();
    expect(reportedNs(watch.lines), "only the newest file is read at start").toEqual(range(last - PER_FILE, last));
    const before = await quietFds(watch, dir);

    // New lines in the newest file, a new day's file, more lines in it (a real writer process).
    const writer = await startFileOpsWriter();
    const newest = path.join(logs, names[names.length - 1] as string);
    const nextDay = path.join(logs, dailyLogName(FIRST_DAY, FILES));
    await writer.do({ op: "append", file: newest, from: last, count: 3, pauseMs: 20 });
    await writer.do({ op: "append", file: nextDay, from: last + 3, count: 2, pauseMs: 20 });
    await writer.do({ op: "append", file: nextDay, from: last + 5, count: 5, mode: "pieces", pauseMs: 20 });
    await writer.end();
    await watch.until((l) => reportedN(l, last + 9) || undefined, `line ${last + 9}`, 20_000).catch(() => undefined);
    await settle(2300); // two safety-net polls, each listing the 1,001 files
    const after = await quietFds(watch, dir);
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);

    expect.soft(exactlyOnce(reportedNs(watch.lines), range(last - PER_FILE, last + 10)), describeWarnings(watch.lines)).toEqual(perfect(PER_FILE + 10));
    expect.soft(watch.warnings().filter((w) => w.code !== "missing-file"), describeWarnings(watch.lines)).toEqual([]);
    expect.soft(before.into, "descriptors on the logs while idle").toEqual([]);
    expect.soft(after.into, "descriptors on the logs while idle").toEqual([]);
    expect.soft(after.count, "descriptors after the activity vs before").toBeLessThanOrEqual(before.count);

    // check over the final folder: every file, in date order, every line once, no gap (the days are
    // consecutive) — and the lines watch reported are the last ones, line for line.
    const { report } = await checkJson(logs, ["--profile", "iai-mcp"]);
    expect(report.files.map((f) => path.basename(f.file))).toEqual([...names, path.basename(nextDay)]);
    expect(exactlyOnce(checkRows(report).map((r) => nOfTs(r[2] ?? "")), range(0, last + 10)), `seed ${seed}`).toEqual(perfect(last + 10));
    expect(report.gaps).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.conforms).toBe(true);
    expect.soft(firstDifference(watchRows(watch.lines), checkRows(report).slice(-(PER_FILE + 10)))).toBeUndefined();
  }, 120_000);
});
