/**
 * Sources against real file operations done the ways programs do them: a state file replaced
 * atomically, rewritten in place, truncated, deleted and re-created, in a folder that does not
 * exist yet, in bursts; a log appended in pieces, rotated daily, truncated, copy-truncated, with
 * CRLF, invalid UTF-8 and a line over 1 MB. Each case counts lines written against lines observed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Json } from "../../shared/machine/definition";
import type { JsonlLogSource, Profile, StateFileSource } from "../../shared/profiles/profile";
import { findProfile } from "../../shared/profiles";
import type { NewObservation } from "../../shared/trace/observation";
import { StateFileWatcher } from "../../electron/node/sources/state-file";
import { LogTail } from "../../electron/node/sources/log-tail";
import { lineParserFor } from "../../electron/node/sources/line-parsers";
import type { Source } from "../../electron/node/sources/types";
import { tempDir, waitFor } from "../helpers/tmp";

const iai = findProfile("iai-mcp");
if (!iai) throw new Error("no iai-mcp profile");
const stateSpec = iai.sources.find((s): s is StateFileSource => s.kind === "state-file");
const logSpec = iai.sources.find((s): s is JsonlLogSource => s.kind === "jsonl-log");
if (!stateSpec || !logSpec) throw new Error("iai-mcp profile sources");

const open: Source[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function record(state: string, n: number): string {
  return JSON.stringify({ current_state: state, since_ts: `2026-06-01T10:00:${String(n % 60).padStart(2, "0")}+00:00`, last_activity_ts: "2026-06-01T10:00:00+00:00", wrapper_event_seq: n, sleep_cycle_progress: null, quarantine: null, shadow_run: false }, null, 2);
}

async function watchState(dir: string): Promise<NewObservation[]> {
  const seen: NewObservation[] = [];
  const w = new StateFileWatcher(dir, stateSpec as StateFileSource, { instance: "daemon" }, (items) => seen.push(...items), Date.now);
  open.push(w);
  await w.start();
  return seen;
}

const states = (seen: NewObservation[]): string[] => seen.flatMap((o) => (o.kind === "state" ? [o.state] : []));
const lastState = (seen: NewObservation[]): string | undefined => states(seen).pop();

describe("state file source", () => {
  it("follows atomic replaces, in-place rewrites, truncation, delete and re-create", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle_state.json");
    fs.writeFileSync(file, record("WAKE", 1));
    const seen = await watchState(dir);
    expect(lastState(seen)).toBe("WAKE");

    fs.writeFileSync(path.join(dir, ".lifecycle_state.x.tmp"), record("DROWSY", 2));
    fs.renameSync(path.join(dir, ".lifecycle_state.x.tmp"), file); // atomic replace: new inode
    await waitFor(() => lastState(seen) === "DROWSY" || undefined, "the replaced file");

    const fd = fs.openSync(file, "r+"); // in-place rewrite, same inode
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, record("SLEEP", 3), 0);
    fs.closeSync(fd);
    await waitFor(() => lastState(seen) === "SLEEP" || undefined, "the rewritten file");

    fs.truncateSync(file, 0); // truncated: not valid JSON, reported (after retries), not a crash
    await waitFor(() => seen.some((o) => o.kind === "warning" && o.code === "bad-line") || undefined, "a warning for the truncated file", 5000);

    fs.rmSync(file);
    await waitFor(() => seen.some((o) => o.kind === "warning" && o.code === "missing-file" && !o.cleared) || undefined, "the missing-file warning");
    fs.writeFileSync(file, record("HIBERNATION", 4));
    await waitFor(() => lastState(seen) === "HIBERNATION" || undefined, "the re-created file");
    expect(seen.some((o) => o.kind === "warning" && o.code === "missing-file" && o.cleared)).toBe(true);
  });

  it("waits for a folder that does not exist yet", async () => {
    const parent = tempDir();
    const dir = path.join(parent, ".iai-mcp");
    const seen = await watchState(dir);
    expect(seen.some((o) => o.kind === "warning" && o.code === "missing-file")).toBe(true);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "lifecycle_state.json"), record("DROWSY", 1));
    await waitFor(() => lastState(seen) === "DROWSY" || undefined, "the state in the new folder", 5000);
  });

  it("never misses the last write of a burst", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle_state.json");
    fs.writeFileSync(file, record("WAKE", 0));
    const seen = await watchState(dir);
    const cycle = ["DROWSY", "SLEEP", "HIBERNATION", "WAKE"];
    for (let i = 1; i <= 300; i++) {
      fs.writeFileSync(`${file}.tmp`, record(cycle[i % 4] as string, i));
      fs.renameSync(`${file}.tmp`, file);
    }
    // The 300th write leaves DROWSY (300 % 4 = 0 → "DROWSY") with seq 300.
    await waitFor(() => {
      const last = [...seen].reverse().find((o) => o.kind === "state");
      return last?.kind === "state" && (last.fields?.["wrapper_event_seq"] as Json) === 300 ? true : undefined;
    }, "the last write", 5000);
    expect(lastState(seen)).toBe("DROWSY");
  });
});

async function tail(dir: string): Promise<NewObservation[]> {
  const seen: NewObservation[] = [];
  const t = new LogTail(
    dir,
    (logSpec as JsonlLogSource).glob,
    () => lineParserFor(logSpec as JsonlLogSource, iai as Profile, "daemon"),
    (items) => seen.push(...items),
    Date.now,
    { gzip: true, instance: "daemon" },
  );
  open.push(t);
  await t.start();
  return seen;
}

const tline = (i: number, from = "WAKE", to = "DROWSY"): string => JSON.stringify({ ts: `2026-06-01T10:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}+00:00`, event: "state_transition", from, to, trigger: "idle_5min" });
const transitions = (seen: NewObservation[]): number => seen.filter((o) => o.kind === "transition").length;

describe("log tail source", () => {
  it("reads appends once each, keeps a partial line until its newline, accepts CRLF", async () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    const file = path.join(logs, "lifecycle-events-2026-06-01.jsonl");
    fs.writeFileSync(file, `${tline(0)}\n`);
    const seen = await tail(dir);
    expect(transitions(seen)).toBe(1);
    const half = tline(1);
    fs.appendFileSync(file, half.slice(0, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect(transitions(seen)).toBe(1); // not until its newline
    fs.appendFileSync(file, `${half.slice(20)}\r\n`);
    await waitFor(() => transitions(seen) === 2 || undefined, "the completed line");
    for (let i = 2; i < 500; i++) fs.appendFileSync(file, `${tline(i)}\n`);
    await waitFor(() => transitions(seen) === 500 || undefined, "500 lines, once each", 5000);
    await new Promise((r) => setTimeout(r, 1200)); // a safety-net poll must not read anything twice
    expect(transitions(seen)).toBe(500);
  });

  it("follows daily rotation to the new file", async () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, "lifecycle-events-2026-06-01.jsonl"), `${tline(0)}\n`);
    const seen = await tail(dir);
    fs.writeFileSync(path.join(logs, "lifecycle-events-2026-06-02.jsonl"), `${tline(1, "DROWSY", "WAKE")}\n`);
    await waitFor(() => transitions(seen) === 2 || undefined, "the line in the new day's file");
    fs.appendFileSync(path.join(logs, "lifecycle-events-2026-06-02.jsonl"), `${tline(2)}\n`);
    await waitFor(() => transitions(seen) === 3 || undefined, "an append to it");
  });

  it("reports truncation and copy-truncate as a gap, then reads the file again", async () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    const file = path.join(logs, "lifecycle-events-2026-06-01.jsonl");
    fs.writeFileSync(file, Array.from({ length: 20 }, (_, i) => tline(i)).join("\n") + "\n");
    const seen = await tail(dir);
    expect(transitions(seen)).toBe(20);
    // copy-truncate (logrotate): the content is copied away, the file emptied in place, writing goes on.
    fs.copyFileSync(file, `${file}.1`);
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, `${tline(100)}\n`);
    await waitFor(() => seen.some((o) => o.kind === "warning" && o.code === "gap") || undefined, "a gap warning");
    await waitFor(() => transitions(seen) === 21 || undefined, "the line written after the truncation");
    const gap = seen.find((o) => o.kind === "warning" && o.code === "gap");
    expect(gap?.kind === "warning" ? gap.message : "").toMatch(/was truncated/);
  });

  it("reports invalid UTF-8 and a line over 1 MB with their line numbers, and goes on", async () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    const file = path.join(logs, "lifecycle-events-2026-06-01.jsonl");
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${tline(0)}\n`), Buffer.from([0xff, 0xfe, 0x7b, 0x0a]), Buffer.from(`{"ts":"2026-06-01T10:00:05+00:00","event":"x","blob":"${"y".repeat(1_200_000)}"}\n`), Buffer.from(`${tline(9)}\n`)]));
    const seen = await tail(dir);
    await waitFor(() => transitions(seen) === 2 || undefined, "both good lines");
    const bad = seen.filter((o) => o.kind === "warning" && o.code === "bad-line").map((o) => [o.source.line, o.kind === "warning" ? o.message : ""]);
    expect(bad.map(([l]) => l)).toEqual([2, 3]);
    expect(String(bad[0]?.[1])).toMatch(/not valid UTF-8/);
    expect(String(bad[1]?.[1])).toMatch(/1\.1 MB long/);
  });
});
