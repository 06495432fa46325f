/**
 * Fault injection (issue 15): permission denied, on a file and on a folder. As root chmod denies
 * nothing, so the reading side — `fsm-inspector watch|check`, real processes — runs as an
 * unprivileged user through runuser (as test/helpers/postgres.ts runs PostgreSQL), on folders this
 * test prepared as root with mode 000 files and folders. Each denial must be a specific
 * "permission denied" warning or error naming the file or folder, nothing crashes, and everything
 * else is still read.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/tmp";
import { checkJson, runCli, startWatch } from "../../helpers/watch-cli";
import { checkRows, describeWarnings, exactlyOnce, perfect, range } from "../../helpers/trace-compare";
import { reportedN, reportedNs, settle, writeLog } from "../../helpers/fault-logs";
import { dailyLogName, iaiStateText } from "../../helpers/writers/iai-lines";


const isRoot = process.getuid?.() === 0;
/** Who reads: an unprivileged user when we are root (nobody, unless FSM_TEST_USER names another), else ourselves. */
function readerUser(): { user?: string; skip?: string } {
  if (!isRoot) return {};
  const user = process.env["FSM_TEST_USER"] ?? "nobody";
  if (spawnSync("runuser", ["--version"]).error) return { skip: "running as root, and runuser (util-linux) is not installed: permission tests need an unprivileged reader (apt-get install util-linux)" };
  if (spawnSync("id", ["-u", user]).status !== 0) return { skip: `running as root, and there is no OS user "${user}" to read as (set FSM_TEST_USER)` };
  return { user };
}
const reader = readerUser();
if (reader.skip) console.warn(`permission tests skipped: ${reader.skip}`);
const as = reader.user !== undefined ? { user: reader.user } : {};

/** A temp folder the reader may enter (mkdtemp makes it 0700 for root). */
function sharedTemp(): string {
  const base = tempDir("fsm-fault-perm-");
  fs.chmodSync(base, 0o755);
  return base;
}

/** A stack trace or an unhandled error in a command's stderr: a crash, not a message. */
const crashed = (stderr: string): boolean => /\n\s+at |Unhandled|TypeError|RangeError/.test(stderr);
const DENIED = /permission denied/i;

describe.skipIf(reader.skip !== undefined)(`permission denied (reading as ${reader.user ?? "this user"})`, () => {
  it("watch: an unreadable state file and an unreadable log are each named once as permission denied; the rest is read", async () => {
    const dir = path.join(sharedTemp(), ".iai-mcp");
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs, { recursive: true, mode: 0o755 });
    const stateFile = path.join(dir, "lifecycle_state.json");
    fs.writeFileSync(stateFile, iaiStateText(1));
    fs.chmodSync(stateFile, 0o000);
    writeLog(path.join(logs, dailyLogName("2026-06-01")), 0, 10);
    const newest = writeLog(path.join(logs, dailyLogName("2026-06-02")), 10, 10);

    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"], as);
    await watch.until((l) => reportedN(l, 19) || undefined, "line 19 of the newest log");
    // A new day's log nobody may read, then one they may. The unreadable one is created with mode
    // 000 (its lines are made outside the watched folder), so a busy machine cannot let the watcher
    // read it between its creation and a chmod.
    const lines = writeLog(path.join(path.dirname(dir), "denied-lines.jsonl"), 20, 10);
    const denied = { ...lines, file: path.join(logs, dailyLogName("2026-06-03")) };
    fs.writeFileSync(denied.file, fs.readFileSync(lines.file), { mode: 0o000 });
    const after = writeLog(path.join(logs, dailyLogName("2026-06-04")), 30, 10);
    await watch.until((l) => reportedN(l, 39) || undefined, "line 39 of the last log", 20_000).catch(() => undefined);
    await watch.until((l) => l.some((x) => x.kind === "warning" && x.file === denied.file) || undefined, "a warning about the unreadable log", 6000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);
    expect(crashed(stderr), stderr).toBe(false);

    const about = (file: string): string[] => watch.warnings().filter((w) => w.file === file || (w.message ?? "").includes(file)).map((w) => `${w.code}: ${w.message}`);
    expect.soft(about(stateFile), describeWarnings(watch.lines)).toEqual([expect.stringMatching(DENIED)]);
    expect.soft(about(stateFile)[0] ?? "").toContain("lifecycle_state.json");
    expect.soft(about(denied.file), describeWarnings(watch.lines)).toEqual([expect.stringMatching(DENIED)]);
    expect.soft(about(denied.file)[0] ?? "").toContain(path.basename(denied.file));
    // The readable logs are read: the newest (history) and the one after the denied one.
    expect.soft(exactlyOnce(reportedNs(watch.lines), [...newest.ns, ...after.ns]), describeWarnings(watch.lines)).toEqual(perfect(20));
    expect.soft(watch.garbage).toEqual([]);
  }, 60_000);

  it("watch: an unreadable log folder is named as permission denied; the state file is still read", async () => {
    const dir = path.join(sharedTemp(), ".iai-mcp");
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(dir, "lifecycle_state.json"), iaiStateText(2));
    writeLog(path.join(logs, dailyLogName("2026-06-01")), 0, 10);
    fs.chmodSync(logs, 0o000);

    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"], as);
    await watch.until((l) => l.some((x) => x.kind === "state" && x.state === "SLEEP") || undefined, "the state file's state");
    await watch.until((l) => l.some((x) => x.kind === "warning" && (x.file === logs || (x.message ?? "").includes(logs))) || undefined, "a warning about the log folder", 4000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);
    expect(crashed(stderr), stderr).toBe(false);
    const about = watch.warnings().filter((w) => w.file === logs || (w.message ?? "").includes(logs)).map((w) => `${w.code}: ${w.message}`);
    expect.soft(about, describeWarnings(watch.lines)).toEqual([expect.stringMatching(DENIED)]);
    expect.soft(watch.transitions()).toEqual([]);
  }, 60_000);

  it("check: an unreadable log among readable ones, an unreadable log folder, an unreadable file named alone", async () => {
    const base = sharedTemp();
    // A folder of daily logs, the middle one unreadable.
    const logs = path.join(base, "logs");
    fs.mkdirSync(logs, { mode: 0o755 });
    const a = writeLog(path.join(logs, dailyLogName("2026-06-01")), 0, 10);
    const b = writeLog(path.join(logs, dailyLogName("2026-06-02")), 10, 10);
    const c = writeLog(path.join(logs, dailyLogName("2026-06-03")), 20, 10);
    fs.chmodSync(b.file, 0o000);
    const one = await checkJson(logs, ["--profile", "iai-mcp"], as);
    expect(crashed(one.run.stderr), one.run.stderr).toBe(false);
    expect.soft(one.report.errors.map((e) => [e.file, e.message])).toEqual([[b.file, expect.stringMatching(DENIED)]]);
    expect.soft(exactlyOnce(checkRows(one.report).map((r) => Number(r[1]) - 1 + (r[0] === path.basename(a.file) ? 0 : 20)), [...range(0, 10), ...range(20, 30)])).toEqual(perfect(20));

    // A data folder whose logs folder is unreadable: named, and the state file still read.
    const dir = path.join(base, ".iai-mcp");
    fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
    fs.writeFileSync(path.join(dir, "lifecycle_state.json"), iaiStateText(3));
    writeLog(path.join(dir, "logs", dailyLogName("2026-06-01")), 0, 10);
    fs.chmodSync(path.join(dir, "logs"), 0o000);
    const two = await checkJson(dir, ["--profile", "iai-mcp"], as);
    expect(crashed(two.run.stderr), two.run.stderr).toBe(false);
    expect.soft(two.report.instances[0]?.finalState).toBe("HIBERNATION");
    const aboutLogs = [...two.report.errors, ...two.report.gaps].filter((e) => e.file === path.join(dir, "logs") || e.message.includes(path.join(dir, "logs")));
    expect.soft(aboutLogs.map((e) => e.message), JSON.stringify(two.report.errors)).toEqual([expect.stringMatching(DENIED)]);

    // The unreadable file named alone: an error naming it (exit 1 with the report, or 2: cannot be used), not a crash.
    const three = await runCli(["check", b.file, "--profile", "iai-mcp"], as);
    expect(crashed(three.stderr), three.stderr).toBe(false);
    expect.soft([1, 2]).toContain(three.code);
    expect.soft(three.stdout + three.stderr).toMatch(DENIED);
    expect.soft(three.stdout + three.stderr).toContain(path.basename(b.file));
    expect(c.ns.length).toBe(10);
  }, 60_000);
});
