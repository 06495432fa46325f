/**
 * Fault injection (issue 15): logs rotated, truncated, deleted and re-created while
 * `fsm-inspector watch --json` tails them, by a real writer process: daily rotation to a new file
 * name, logrotate's copytruncate, truncate to 0 and rewrite, delete and re-create with the same
 * name, and logrotate's default (rename away, create anew: a new inode). Every line appended is
 * reported exactly once per incarnation of the file, and each truncation or replacement is
 * reported as exactly one gap warning naming the file; what `check --json` reads over the final
 * files is what watch reported from them, line for line.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkJson, startWatch, type WatchProcess } from "../../helpers/watch-cli";
import { checkRows, describeWarnings, exactlyOnce, firstDifference, perfect, range, watchRows } from "../../helpers/trace-compare";
import { dataFolder, reportedN, reportedNs, settle } from "../../helpers/fault-logs";
import { startFileOpsWriter } from "../../helpers/writers/file-ops";
import { dailyLogName } from "../../helpers/writers/iai-lines";



/** Wait until line n was reported and `gaps` gap warnings were printed (or time out and let the assertions say what is wrong). */
async function caughtUp(watch: WatchProcess, n: number, gaps: number, timeoutMs = 20_000): Promise<void> {
  await watch.until((l) => (reportedN(l, n) && l.filter((x) => x.kind === "warning" && x.code === "gap").length >= gaps) || undefined, `line ${n} and ${gaps} gap warning(s)`, timeoutMs).catch(() => undefined);
}

describe("rotate, truncate, delete, re-create while tailed", () => {
  it("reports each line once per incarnation, and each truncation or replacement as exactly one gap", async () => {
    const { dir, logs } = dataFolder();
    const day1 = path.join(logs, dailyLogName("2026-06-01"));
    const day2 = path.join(logs, dailyLogName("2026-06-02"));
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => l.some((x) => x.kind === "warning" && x.code === "missing-file") || undefined, "the watch to be running");
    const writer = await startFileOpsWriter();
    // Each incarnation is shorter than the one before, so each shrink is visible whenever the watcher looks.
    await writer.do({ op: "append", file: day1, from: 0, count: 200, mode: "mixed", pauseMs: 1 });
    await caughtUp(watch, 199, 0);
    // Daily rotation: the next day's file (not a gap).
    await writer.do({ op: "append", file: day2, from: 200, count: 100, pauseMs: 1 });
    await caughtUp(watch, 299, 0);
    // copytruncate: copied to .1 (not a log name the profile reads), emptied in place, written on.
    await writer.do({ op: "copytruncate", file: day2, to: `${day2}.1` });
    await writer.do({ op: "append", file: day2, from: 300, count: 50, pauseMs: 1 });
    await caughtUp(watch, 349, 1);
    // Truncated to 0 and rewritten.
    await writer.do({ op: "truncate", file: day2 });
    await writer.do({ op: "append", file: day2, from: 350, count: 30, pauseMs: 1 });
    await caughtUp(watch, 379, 2);
    // Deleted and re-created with the same name.
    await writer.do({ op: "unlink", file: day2 });
    await writer.do({ op: "append", file: day2, from: 380, count: 20, pauseMs: 1 });
    await caughtUp(watch, 399, 3);
    // logrotate's default: renamed away, a new file created with the name (a new inode, certainly).
    await writer.do({ op: "rename", file: day2, to: `${day2}.1` });
    await writer.do({ op: "append", file: day2, from: 400, count: 10, pauseMs: 1 });
    await caughtUp(watch, 409, 4);
    // And appended to, as usual: no more gaps.
    await writer.do({ op: "append", file: day2, from: 410, count: 10, mode: "pieces", pauseMs: 1 });
    await writer.end();
    await caughtUp(watch, 419, 4);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);

    expect.soft(exactlyOnce(reportedNs(watch.lines), range(0, 420)), describeWarnings(watch.lines)).toEqual(perfect(420));
    const gaps = watch.warnings("gap").map((w) => ({ file: w.file, message: w.message }));
    expect.soft(gaps, describeWarnings(watch.lines)).toEqual(
      Array.from({ length: 4 }, () => ({ file: day2, message: expect.stringMatching(/^lifecycle-events-2026-06-02\.jsonl was (truncated|replaced by a new file)/) })),
    );
    expect.soft(watch.warnings("bad-line")).toEqual([]);
    // Each gap comes right before the first line of the incarnation it starts.
    const order = watch.lines.flatMap((l) => (l.kind === "warning" && l.code === "gap" ? ["gap"] : l.kind === "transition" ? [String(reportedNs([l])[0])] : []));
    expect.soft([300, 350, 380, 400].map((n) => order[order.indexOf(String(n)) - 1])).toEqual(["gap", "gap", "gap", "gap"]);

    // check over the final files reads day 1 and day 2's last incarnation: the same as watch reported from them.
    const { report } = await checkJson(logs, ["--profile", "iai-mcp"]);
    const finalOnes = watch.lines.filter((l) => l.kind !== "transition" || !((reportedNs([l])[0] ?? 0) >= 200 && (reportedNs([l])[0] ?? 0) < 400));
    expect.soft(firstDifference(watchRows(finalOnes), checkRows(report))).toBeUndefined();
    expect.soft(report.errors).toEqual([]);
  }, 120_000);

  it("notices a truncate-and-rewrite that outgrows the old size while the watcher was not looking", async () => {
    const { dir, logs } = dataFolder();
    const file = path.join(logs, dailyLogName("2026-06-01"));
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    await watch.until((l) => l.some((x) => x.kind === "warning" && x.code === "missing-file") || undefined, "the watch to be running");
    const writer = await startFileOpsWriter();
    await writer.do({ op: "append", file, from: 0, count: 50 });
    await caughtUp(watch, 49, 0);
    await settle(300);
    // Frozen (SIGSTOP) while the file is emptied and rewritten with more than it had: same inode, bigger size.
    watch.pause();
    await writer.do({ op: "truncate", file });
    await writer.do({ op: "append", file, from: 1000, count: 100 });
    watch.resume();
    await writer.end();
    await caughtUp(watch, 1099, 1, 5000);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);
    expect.soft(exactlyOnce(reportedNs(watch.lines), [...range(0, 50), ...range(1000, 1100)]), describeWarnings(watch.lines)).toEqual(perfect(150));
    expect.soft(watch.warnings("gap").length, describeWarnings(watch.lines)).toBe(1);
    expect.soft(watch.warnings("bad-line").length, describeWarnings(watch.lines)).toBe(0);
  }, 60_000);
});
