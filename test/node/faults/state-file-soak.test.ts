/**
 * Fault injection (issue 15): 1,000 atomic replaces per second (temp file + rename, a new inode
 * each time) of a state file, by a real writer process, with `fsm-inspector watch --json` started
 * while the writes are already going on. A snapshot file's intermediate versions cannot all be seen,
 * so the guarantees are snapshot semantics:
 *  - no duplicates: two state observations never repeat the same write;
 *  - what is seen is a subsequence of what was written, in order (each write is tagged with its
 *    number: iai-mcp's wrapper_event_seq; ecluse's pending_op.since), with that write's content;
 *  - the last state written is always seen;
 *  - skipped steps are reported as gaps where the profile says so: iai-mcp's lifecycle_state.json
 *    is a current-state file (states, never transitions, never gaps); ecluse's state.json versions
 *    are diffed into transitions (a sampled source): a skipped step is a `gap`, never `undeclared`.
 *
 * The soak's length is FSM_SOAK_MS (default 5,000 ms; the full run is FSM_SOAK_MS=10000).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TraceSession } from "../../../electron/node/session/trace-session";
import { findProfile } from "../../../shared/profiles";
import { tempDir } from "../../helpers/tmp";
import { checkJson, startWatch, type WatchJsonLine } from "../../helpers/watch-cli";
import { describeWarnings } from "../../helpers/trace-compare";
import { runStateWriter } from "../../helpers/writers/file-ops";
import { ecluseStateOf, ecluseStateText, iaiStateOf, nOfTs, tsOf } from "../../helpers/writers/iai-lines";
import { settle } from "../../helpers/fault-logs";

const SOAK_MS = Number(process.env["FSM_SOAK_MS"] ?? "") > 0 ? Number(process.env["FSM_SOAK_MS"]) : 5000;
const RATE = 1000;
const iai = findProfile("iai-mcp") ?? (() => { throw new Error("no iai-mcp profile"); })();

/** Problems with a sequence of write numbers as observed: repeats, and numbers out of order. */
function sequenceProblems(seqs: readonly number[]): { repeats: string[]; backwards: string[] } {
  const repeats: string[] = [];
  const backwards: string[] = [];
  for (let i = 1; i < seqs.length; i++) {
    const [a, b] = [seqs[i - 1] as number, seqs[i] as number];
    if (a === b && repeats.length < 10) repeats.push(`#${i}: ${b}`);
    if (b < a && backwards.length < 10) backwards.push(`#${i}: ${b} after ${a}`);
  }
  return { repeats, backwards };
}

describe("1,000 atomic replaces per second", () => {
  it(`iai-mcp lifecycle_state.json for ${SOAK_MS} ms: no duplicates, a subsequence of the writes, the last write seen`, async () => {
    const dir = path.join(tempDir("fsm-fault-"), ".iai-mcp");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "lifecycle_state.json");
    let started: () => void = () => undefined;
    const writing = runStateWriter({ format: "iai", file, rate: RATE, durationMs: SOAK_MS }, () => started());
    await new Promise<void>((r) => (started = r));
    // The watcher starts while the writes are going on (its first read races its own folder watch).
    const watch = await startWatch([dir, "--profile", "iai-mcp", "--json"]);
    // Meanwhile, live sessions started and closed again and again in this process: each first read
    // races the folder watch it has just set up.
    const restarts: number[][] = [];
    let writerDone = false;
    void writing.finally(() => (writerDone = true)).catch(() => undefined);
    while (!writerDone && restarts.length < 12) {
      const session = new TraceSession({ id: `soak${restarts.length}`, title: "soak", kind: "live", profile: iai, root: dir, clock: Date.now });
      const seqs: number[] = [];
      session.onObservations((items) => {
        for (const o of items) if (o.kind === "state") seqs.push(Number(o.fields?.["wrapper_event_seq"]));
      });
      await session.start();
      await new Promise((r) => setTimeout(r, 150));
      await session.close();
      restarts.push(seqs);
    }
    const { last, writes } = await writing;
    const seqOf = (l: WatchJsonLine): number => Number(l.fields?.["wrapper_event_seq"]);
    const states = (): WatchJsonLine[] => watch.lines.filter((l) => l.kind === "state" && l.file === file);
    await watch.until(() => states().some((l) => seqOf(l) === last) || undefined, `write ${last}`, 20_000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);

    const seen = states();
    const seqs = seen.map(seqOf);
    console.log(`soak ${SOAK_MS} ms: ${writes} replaces written (last #${last}), ${seen.length} versions seen`);
    expect(writes).toBeGreaterThanOrEqual((RATE * SOAK_MS) / 1000);
    expect.soft(sequenceProblems(seqs), "each observed version must be a later write than the one before").toEqual({ repeats: [], backwards: [] });
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    expect.soft(restarts.map((r, i) => ({ session: i, ...sequenceProblems(r) })).filter((p) => p.repeats.length + p.backwards.length > 0), "live sessions started during the writes").toEqual([]);
    // Each version seen is one that was written, with that write's content.
    const wrong = seen.filter((l) => !(seqOf(l) >= 1 && seqOf(l) <= last && l.state === iaiStateOf(seqOf(l)) && l.since === tsOf(seqOf(l))));
    expect.soft(wrong.slice(0, 5), "versions that were never written").toEqual([]);
    expect.soft(seqs[seqs.length - 1], "the last write").toBe(last);
    // A current-state file: no transitions derived, no gaps, and an atomic replace is never half-written.
    expect.soft(watch.transitions()).toEqual([]);
    expect.soft(watch.lines.filter((l) => l.kind === "warning" && l.file === file && !l.cleared && l.code !== "missing-file"), describeWarnings(watch.lines)).toEqual([]);

    const { report } = await checkJson(file, ["--profile", "iai-mcp"]);
    expect.soft(report.instances[0]?.finalState).toBe(iaiStateOf(last));
    expect.soft(seen[seen.length - 1]?.state).toBe(report.instances[0]?.finalState);
  }, SOAK_MS + 90_000);

  it("ecluse state.json (transitions diffed from versions): skipped steps are gaps, never undeclared; the last state is seen", async () => {
    const soak = Math.min(SOAK_MS, 3000);
    const repo = tempDir("fsm-fault-");
    const file = path.join(repo, ".ecluse", "state.json");
    let started: () => void = () => undefined;
    const writing = runStateWriter({ format: "ecluse", file, rate: RATE, durationMs: soak }, () => started());
    await new Promise<void>((r) => (started = r));
    const watch = await startWatch([repo, "--profile", "ecluse", "--json"]);
    // Freeze the watcher a few times while the writes go on: it must then skip versions.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 300));
      watch.pause();
      await new Promise((r) => setTimeout(r, 120));
      watch.resume();
    }
    const { last } = await writing;

    // Then one skip for certain: frozen, s1 goes absent → pending → active in two replaces.
    const replace = (seq: number): void => {
      fs.writeFileSync(`${file}.tmp`, ecluseStateText(seq));
      fs.renameSync(`${file}.tmp`, file);
    };
    const s1 = (l: readonly WatchJsonLine[]): string | undefined => {
      let state: string | undefined = "absent";
      for (const x of l) {
        if (x.instance !== "s1") continue;
        if (x.kind === "state") state = x.state;
        if (x.kind === "transition") state = x.to;
      }
      return state;
    };
    await watch.until((l) => s1(l) === ecluseStateOf(last) || undefined, `s1 in ${ecluseStateOf(last)} (write ${last})`, 20_000).catch(() => undefined);
    const lastSoak = s1(watch.lines);
    const base = last + (4 - (last % 4)); // the next write number whose phase is "absent"
    replace(base);
    await watch.until((l) => s1(l) === "absent" || undefined, "s1 absent", 20_000).catch(() => undefined);
    await settle(300);
    watch.pause();
    replace(base + 1); // pending
    replace(base + 2); // active
    watch.resume();
    await watch.until((l) => s1(l) === "active" || undefined, "s1 active", 20_000).catch(() => undefined);
    await settle();
    const { code, stderr } = await watch.stop();
    expect(code, stderr).toBe(0);

    expect.soft(lastSoak, "the last state written by the soak").toBe(ecluseStateOf(last));
    const t = watch.transitions().filter((l) => l.instance === "s1");
    const single: Record<string, string> = { "absent>pending": "reserve", "pending>active": "commit", "active>pending": "mark_pending", "pending>absent": "remove" };
    // Chained (each from is the state before), declared when one step, a gap when steps were skipped.
    let prev = watch.lines.find((l) => l.instance === "s1" && l.kind === "state")?.state ?? "absent";
    const broken: string[] = [];
    for (const x of t) {
      const key = `${x.from}>${x.to}`;
      const want = single[key] !== undefined ? "declared" : "gap";
      if (x.from !== prev || x.verdict !== want) broken.push(`${key} after ${prev}: ${x.verdict} (want ${want})`);
      prev = x.to ?? "";
    }
    expect.soft(broken.slice(0, 10), describeWarnings(watch.lines)).toEqual([]);
    // A subsequence of the writes: each version entering "pending" carries its write's time
    // (pending_op.since = tsOf(write)); they grow, and each is a write whose s1 was pending.
    const pendingSeqs = t.filter((x) => x.to === "pending").map((x) => nOfTs(x.ts ?? ""));
    expect.soft(sequenceProblems(pendingSeqs)).toEqual({ repeats: [], backwards: [] });
    expect.soft(pendingSeqs.filter((n) => !(n >= 1 && n <= base + 2 && ecluseStateOf(n) === "pending")).slice(0, 5)).toEqual([]);
    // The certain skip: absent → active in one observation, as a gap.
    expect.soft(t[t.length - 1]).toMatchObject({ from: "absent", to: "active", verdict: "gap" });
    expect.soft(t.filter((x) => x.verdict === "gap").length).toBeGreaterThanOrEqual(1);
    expect.soft(watch.warnings("bad-line")).toEqual([]);
  }, 90_000);
});
