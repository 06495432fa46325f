/**
 * Bad input while checking and replaying, with real files: a line repeated, a time going
 * backwards within a file, a file growing while it is read — each reported with its file and line
 * and counted, never fatal, and never a reason for `check` to fail (they land in the report's
 * `warnings`, and on the replay timeline as warnings); a .gz cut short and a truncated last line
 * stay what they were (errors of the line, reading goes on).
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../../electron/node/backend";
import { readTarget } from "../../electron/node/check/read-target";
import { runCheck } from "../../electron/node/check/run-check";
import { MAX_LISTED, SuspiciousLines } from "../../electron/node/check/suspicious";
import { parseIsoMs } from "../../shared/trace/time";
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { resolveTarget } from "../../electron/node/target/target";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import type { IndexProgress } from "../../shared/ipc/replay";
import type { NewObservation } from "../../shared/trace/observation";
import { cli, json } from "../helpers/cli";
import { tempDir, waitFor } from "../helpers/tmp";

const T0 = Date.UTC(2026, 5, 10);
const CYCLE = ["WAKE", "DROWSY"];
const TRIGGERS = ["idle_5min", "heartbeat_refresh"];

/** n JSONL lines alternating WAKE ⇄ DROWSY with a sleep step between, one second apart. */
function lines(n: number, startMs = T0): string[] {
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    const ts = new Date(startMs + i * 1000).toISOString();
    if (i % 2 === 1) out.push(JSON.stringify({ ts, event: "sleep_step_started", step: `s${i}` }));
    else {
      out.push(JSON.stringify({ ts, event: "state_transition", from: CYCLE[k % 2], to: CYCLE[(k + 1) % 2], trigger: TRIGGERS[k % 2] }));
      k++;
    }
  }
  return out;
}

function write(file: string, ls: string[]): string {
  fs.writeFileSync(file, `${ls.join("\n")}\n`);
  return file;
}

interface Report {
  conforms: boolean;
  errors: { file: string; line: number | null; message: string }[];
  warnings: { file: string; line: number | null; message: string }[];
}

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

describe("odd but readable lines", () => {
  it("reports a repeated line and a time going backwards as warnings, with file and line, and still conforms", async () => {
    const dir = tempDir();
    const ls = lines(12);
    // Line 4 written twice (an event: repeating it does not break the trace), line 9 stamped an hour early.
    ls.splice(4, 0, ls[3] as string);
    const early = JSON.parse(ls[8] as string) as { ts: string };
    early.ts = new Date(Date.parse(early.ts) - 3_600_000).toISOString();
    ls[8] = JSON.stringify(early);
    const file = write(path.join(dir, "lifecycle-events-2026-06-10.jsonl"), ls);

    const report = await runCheck(await resolveTarget(file), { keepDetails: true });
    expect(report.errors).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(report.warnings).toEqual([
      { file, line: 5, message: "lifecycle-events-2026-06-10.jsonl line 5 repeats line 4 exactly (written twice?); both are read." },
      { file, line: 9, message: "lifecycle-events-2026-06-10.jsonl line 9 is stamped 2026-06-09T23:00:07.000Z, 59 min 59 s before line 8 (2026-06-10T00:00:06.000Z): the time went backwards; lines are kept in the file's order." },
    ]);

    // The command line: exit 0, the warnings in --json and in the summary.
    const r = await cli(["check", file, "--json"]);
    expect(r.code).toBe(0);
    const doc = json<Report>(r);
    expect(doc.warnings.map((w) => w.line)).toEqual([5, 9]);
    expect(doc.conforms).toBe(true);
    const text = await cli(["check", file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("warning: lifecycle-events-2026-06-10.jsonl:5: lifecycle-events-2026-06-10.jsonl line 5 repeats line 4 exactly");

    // Replay marks them on the timeline, counted as anomalies (not as bad lines).
    backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: tempDir(), configDir: tempDir() });
    const progress = new Map<string, IndexProgress>();
    backend.subscribe("indexProgress", (p) => progress.set(p.sessionId, p));
    const opened = await backend.handlers.openLog({ path: file });
    const done = await waitFor(() => {
      const p = progress.get(opened.id);
      return p && p.state !== "indexing" ? p : undefined;
    }, "indexing", 30_000);
    expect(done).toMatchObject({ state: "done", badLines: 0, anomalies: 2 });
    const timeline = await backend.handlers.replayTimeline({ sessionId: opened.id, buckets: 10 });
    expect(timeline.markers.map((m) => m.kind)).toEqual(["warning", "warning"]);
    const marked = await Promise.all(timeline.markers.map((m) => backend?.handlers.replayDetail({ sessionId: opened.id, position: m.position })));
    expect(marked.map((o) => o?.kind === "warning" && [o.code, o.source.line])).toEqual([
      ["suspicious", 5],
      ["suspicious", 9],
    ]);
  }, 90_000);

  it("lists the first repeated lines of a file one by one and counts the rest", async () => {
    const dir = tempDir();
    // Line 2 (an event) and then 151 copies of it.
    const file = write(path.join(dir, "lifecycle-events-2026-06-10.jsonl"), [...lines(2), ...Array.from({ length: MAX_LISTED + 51 }, () => lines(2)[1] as string)]);
    const report = await runCheck(await resolveTarget(file), { keepDetails: false });
    const repeated = report.warnings.filter((w) => w.message.includes("repeats line"));
    expect(repeated).toHaveLength(MAX_LISTED);
    expect(repeated[0]?.line).toBe(3);
    expect(report.warnings[report.warnings.length - 1]).toEqual({ file, line: null, message: `lifecycle-events-2026-06-10.jsonl: 51 more lines repeat the line before them (${MAX_LISTED + 51} in all; the first ${MAX_LISTED} are listed).` });
  });

  it("says a file changed while it was read, and reads on", async () => {
    const dir = tempDir();
    const file = write(path.join(dir, "lifecycle-events-2026-06-10.jsonl"), lines(60_000));
    const target = await resolveTarget(file);
    const seen: NewObservation[] = [];
    let appended = false;
    for await (const batch of readTarget(target)) {
      seen.push(...batch.map((i) => i.obs));
      if (!appended) {
        // Another program writes to the log while we are part-way through it.
        fs.appendFileSync(file, `${lines(2, T0 + 60_000_000).join("\n")}\n`);
        appended = true;
      }
    }
    const changed = seen.filter((o) => o.kind === "warning" && o.code === "suspicious");
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ source: { file } });
    expect(changed[0]?.kind === "warning" && changed[0].message).toMatch(/^lifecycle-events-2026-06-10\.jsonl changed size while it was read \(\d+ bytes when reading started, \d+ at the end, after line 600\d\d\); lines written meanwhile may be missing or read in part\. Open it again once the program has stopped writing it\.$/);
    expect(seen.filter((o) => o.kind === "transition").length).toBeGreaterThanOrEqual(30_000);
    const report = await runCheck(target, { keepDetails: false });
    expect(report.conforms).toBe(true);
    expect(report.warnings).toEqual([]);
  }, 60_000);
});

describe("times going backwards, as a property", () => {
  it("flags exactly the lines stamped earlier than the stamp before them, whatever the stamps' layout", () => {
    // Stamps written in several layouts (fraction or not, Z or an offset), as mixed logs have them.
    const stamp = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom("Z", "+00:00", "+02:00", "-05:00", ""), fc.constantFrom("", ".5", ".123456", ",25"), fc.constantFrom("T", " ")).map(([minute, zone, frac, sep]) => {
      const base = new Date(Date.UTC(2026, 5, 10, 10, minute)).toISOString().slice(0, 19).replace("T", sep);
      return `${base}${frac}${zone}`;
    });
    fc.assert(
      fc.property(fc.array(stamp, { maxLength: 40 }), (stamps) => {
        const odd = new SuspiciousLines("/x/log.jsonl");
        const out: NewObservation[] = [];
        stamps.forEach((ts, i) => odd.line({ lineNo: i + 1, offset: 0, bytes: 1, text: `line ${i}` }, [{ kind: "event", instance: "d", name: "x", ts, tsFrom: "artifact", source: {} }], out));
        const expected: number[] = [];
        for (let i = 1; i < stamps.length; i++) {
          // The reference: the previous line's stamp, both parsed.
          if ((parseIsoMs(stamps[i] as string) as number) < (parseIsoMs(stamps[i - 1] as string) as number)) expected.push(i + 1);
        }
        expect(out.map((o) => o.source.line)).toEqual(expected.slice(0, MAX_LISTED));
      }),
      { numRuns: runs(500) },
    );
  });
});

describe("damaged input, as before", () => {
  it("reports a .gz cut short and a truncated last line with file and line, and reads what came before", async () => {
    const dir = tempDir();
    const gz = path.join(dir, "lifecycle-events-2026-06-09.jsonl.gz");
    const whole = gzipSync(`${lines(4000, T0 - 86_400_000).join("\n")}\n`);
    fs.writeFileSync(gz, whole.subarray(0, Math.floor(whole.length / 2)));
    const plain = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    const ls = lines(10);
    fs.writeFileSync(plain, `${ls.join("\n")}\n${(ls[0] as string).slice(0, 25)}`);
    const report = await runCheck(await resolveTarget(dir, undefined), { keepDetails: false });
    expect(report.errors).toHaveLength(2);
    const [cut, truncated] = report.errors;
    expect(cut?.file).toBe(gz);
    expect(cut?.line).toBeGreaterThan(100);
    expect(cut?.message).toMatch(/^reading stopped: unexpected end of file\.$/);
    expect(truncated).toEqual({ file: plain, line: 11, message: expect.stringMatching(/^line 11 is not valid JSON: .*\. The line is skipped\.$/) as string });
    expect(report.instances[0]?.counts.declared).toBeGreaterThan(100);
    expect(report.conforms).toBe(false);
    expect(report.warnings).toEqual([]);
  });
});
