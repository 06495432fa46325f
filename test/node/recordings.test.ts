/**
 * Recordings, end to end with real files, real sessions and a real worker thread:
 * - a live demo session saved and reopened shows what the live session showed at the moment of
 *   saving (instances, states, verdicts, warnings, edge counts, dwell, locks);
 * - a replay of raw logs saved and reopened shows what the replay showed, with each line's fields;
 * - a recording saved again with redaction, the header saying what was redacted;
 * - a recording of a newer format version is refused, saying so; one cut short reopens with what
 *   came before and a warning; a save to a folder that does not exist says so.
 */
import fs from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import type { IndexProgress } from "../../shared/ipc/replay";
import type { SessionSnapshot } from "../../shared/ipc/views";
import type { RecordingHeader } from "../../shared/recording/format";
import type { Observation } from "../../shared/trace/observation";
import { applyAll, emptyModel, type SessionModel } from "../../shared/trace/session-model";
import type { NewObservation } from "../../shared/trace/observation";
import { findProfile } from "../../shared/profiles";
import { TraceSession } from "../../electron/node/session/trace-session";
import { liveSource } from "../../electron/node/session/recording-source";
import { prepareRecording, saveRecordingFile } from "../../electron/node/recording/write";
import { Spool } from "../../electron/node/recording/spool";
import { recordingFileName } from "../../shared/recording/format";
import { tempDir, waitFor } from "../helpers/tmp";
import { writeCycleLog } from "../helpers/writers/cycle-log";

v8.setFlagsFromString("--expose-gc");

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

/** The last indexing progress of each replay session (listened to from the start: a small log is done before openLog returns). */
const progressOf = new Map<string, IndexProgress>();

function newBackend(mode: "electron" | "serve" = "electron", demo: { minMs?: number; maxMs?: number } = {}): Backend {
  backend = createBackend({ mode, version: "test", demo: { launcher: sourceDemoLauncher(), ...demo }, cacheDir: tempDir(), configDir: tempDir() });
  backend.subscribe("indexProgress", (p) => progressOf.set(p.sessionId, p));
  return backend;
}

async function indexed(_b: Backend, sessionId: string): Promise<IndexProgress> {
  return waitFor(() => {
    const p = progressOf.get(sessionId);
    return p && p.state !== "indexing" ? p : undefined;
  }, "indexing to finish", 60_000);
}

/** Every observation of a replay session, in order, through the contract (pages of 1000). */
async function allObservations(b: Backend, sessionId: string, total: number): Promise<Observation[]> {
  const out: Observation[] = [];
  for (let from = 0; from < total; from += 1000) out.push(...(await b.handlers.replayPage({ sessionId, from, count: 1000 })).items);
  return out;
}

function lines(file: string): unknown[] {
  return gunzipSync(fs.readFileSync(file))
    .toString("utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as unknown);
}

/** What a model shows that a recording must show again (times compared as instants: the index keeps milliseconds). */
function shown(m: SessionModel) {
  const ms = (t: string | undefined): number | undefined => (t === undefined ? undefined : Date.parse(t));
  return {
    instances: m.instanceOrder.map((id) => {
      const i = m.instances[id];
      return { id, state: i?.state, since: ms(i?.since), sinceObserved: i?.sinceObserved, transitions: i?.transitions };
    }),
    totals: m.totals,
    warnings: Object.values(m.warnings)
      .map((w) => `${w.code} ${w.message}`)
      .sort(),
    edges: Object.fromEntries(Object.entries(m.edges).map(([k, e]) => [k, `${e.count} ${e.verdict ?? ""}`])),
    dwell: Object.fromEntries(Object.entries(m.dwell)),
    locks: Object.fromEntries(Object.entries(m.locks).map(([p, l]) => [p, l.holders.map((h) => `${h.pid} ${h.type} ${h.mode}`)])),
  };
}

describe("saving a live session", () => {
  it("reopens a saved live demo showing what the live session showed when it was saved", async () => {
    const b = newBackend("electron", { minMs: 30, maxMs: 60 });
    // Everything the session publishes, from its very first observations (published while it opens).
    const publishedBy = new Map<string, Observation[]>();
    b.subscribe("observations", (e) => publishedBy.set(e.sessionId, [...(publishedBy.get(e.sessionId) ?? []), ...e.items]));
    const demo = await b.handlers.openDemo(null);
    const published = (): Observation[] => publishedBy.get(demo.id) ?? [];
    await waitFor(() => ((b.handlers.getSession({ sessionId: demo.id }) as SessionSnapshot).model.totals.transitions >= 40 ? true : undefined), "40 transitions", 30_000);
    const file = path.join(tempDir(), "demo");
    // Taken together, in one go: the live picture and the save (nothing can arrive in between).
    const live = (b.handlers.getSession({ sessionId: demo.id }) as SessionSnapshot).model;
    const saving = b.handlers.saveRecording({ sessionId: demo.id, path: file });
    const saved = await saving;
    expect(saved.path).toBe(`${file}.fsmrec`);
    expect(saved.observations).toBe(live.seq);
    expect(saved.bytes).toBe(fs.statSync(saved.path).size);
    // Nothing left behind: the temp file was renamed into place.
    expect(fs.readdirSync(path.dirname(file))).toEqual(["demo.fsmrec"]);

    // The file: header, every observation as published (the demo kept running meanwhile), end line.
    const content = lines(saved.path);
    const header = content[0] as RecordingHeader;
    expect(header).toMatchObject({ format: "fsm-inspector-recording", version: 1, app: { name: "FSM Inspector", version: "test" }, session: { kind: "demo", profileId: "iai-mcp" }, redacted: { paths: false, hosts: false, sensitive: false } });
    expect(content[content.length - 1]).toEqual({ end: true, observations: live.seq });
    expect(content.slice(1, -1)).toEqual(JSON.parse(JSON.stringify(published().slice(0, live.seq))));
    expect(shown(applyAll(emptyModel(), published().slice(0, live.seq)))).toEqual(shown(live));

    // Reopened: the same instances, states, verdicts, warnings, edge counts, dwell and locks.
    const reopened = await b.handlers.openLog({ path: saved.path });
    expect(reopened).toMatchObject({ kind: "replay", detectedBy: "recording", title: `Recording: ${demo.title}` });
    const progress = await indexed(b, reopened.id);
    expect(progress).toMatchObject({ state: "done", observations: live.seq, badLines: 0 });
    const frame = await b.handlers.replaySeek({ sessionId: reopened.id, to: { position: live.seq }, scope: "all" });
    expect(shown(frame.model)).toEqual(shown(live));
    const replayed = await allObservations(b, reopened.id, live.seq);
    const verdicts = (os: Observation[]): string[] => os.flatMap((o) => (o.kind === "transition" ? [`${o.seq} ${o.from}->${o.to} ${o.verdict} ${o.dwellMs ?? "-"}`] : []));
    expect(verdicts(replayed)).toEqual(verdicts(published().slice(0, live.seq)));
    expect(verdicts(replayed).length).toBe(live.totals.transitions);
  }, 90_000);

  it("keeps every observation on disk, not in memory, however long the session runs, and removes the spool on close", async () => {
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("no iai-mcp profile");
    // Fed directly (no sources started): exactly N observations go through ingest, as a source's would.
    const session = new TraceSession({ id: "long", title: "Long run", kind: "live", profile, root: tempDir(), clock: Date.now });
    const gc = (): void => (vm.runInNewContext("gc") as () => void)();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const states = ["WAKE", "DROWSY", "WAKE"];
    const N = 200_000;
    let maxWaiting = 0;
    for (let i = 0; i < N; i += 100) {
      const batch: NewObservation[] = [];
      for (let k = i; k < i + 100; k++) {
        batch.push({ kind: "transition", instance: "daemon", from: states[k % 2] as string, to: states[(k % 2) + 1] as string, event: k % 2 ? "heartbeat_refresh" : "idle_5min", ts: new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString(), tsFrom: "artifact", source: { file: "/var/log/x.jsonl", line: k + 1 }, fields: { note: `line ${k} of a long run`, n: k } });
      }
      session.ingest(batch);
      maxWaiting = Math.max(maxWaiting, (session.spool?.waitingBytes ?? Infinity));
      // The session runs as it would live: between batches, other work (the spool's writes) goes on.
      if (i % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
    const mark = session.spool?.mark();
    const source = liveSource(session);
    let read = 0;
    for await (const batch of source.observations()) read += batch.length;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const folder = session.spool?.folder as string;
    const spoolBytes = fs.statSync(path.join(folder, "observations.jsonl")).size;
    console.log(`spool: ${N} observations, ${(spoolBytes / 1e6).toFixed(1)} MB on disk; heap ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB larger; at most ${(maxWaiting / 1e6).toFixed(2)} MB waiting to be written`);
    expect(mark).toEqual({ count: N, bytes: spoolBytes });
    expect(read).toBe(N);
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(folder, "observations.jsonl")).mode & 0o777).toBe(0o600);
    // The model keeps its capped lists; the spool holds the rest on disk.
    expect(heapAfter - heapBefore).toBeLessThan(spoolBytes / 2);
    expect(maxWaiting).toBeLessThan(16 * 1024 * 1024);

    const saved = await saveRecordingFile(await prepareRecording(source, undefined, { name: "FSM Inspector", version: "test" }, new Date().toISOString()), path.join(tempDir(), "long"));
    expect(saved.observations).toBe(N);
    await session.close();
    expect(fs.existsSync(folder)).toBe(false);
  }, 120_000);
});

describe("the spool when it cannot write", () => {
  it("stops keeping observations, says why once, and refuses to save an incomplete recording", async () => {
    const notFolder = path.join(tempDir(), "a-file");
    fs.writeFileSync(notFolder, "");
    const told: string[] = [];
    // Its temp folder would be inside a file: every write fails (as on a full or read-only disk).
    const spool = new Spool("Demo", (m) => told.push(m), notFolder);
    const o: Observation = { seq: 1, kind: "event", instance: "d", name: "x", tsFrom: "observed", source: {} };
    spool.append([o]);
    await waitFor(() => (told.length > 0 ? true : undefined), "the failure", 5000);
    spool.append([{ ...o, seq: 2 }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^Observations of Demo can no longer be kept for Save recording…: ENOTDIR: not a directory, .*\. What is shown live is not affected\.$/);
    expect(spool.problem()?.message).toMatch(/^Demo cannot be saved as a recording: ENOTDIR: not a directory, .*, so the recording would be incomplete\.$/);
    await spool.close();
  });

  it("names recordings after their session, safely", () => {
    expect(recordingFileName("Demo: simulated iai-mcp daemon")).toBe("Demo-simulated-iai-mcp-daemon.fsmrec");
    expect(recordingFileName("Recording: ecluse worktree sessions: myrepo/.ecluse")).toBe("Recording-ecluse-worktree-sessions-myrepo-.ecluse.fsmrec");
    expect(recordingFileName('Réplay "x" ../../etc/passwd\r\n')).toBe("Replay-x-..-..-etc-passwd.fsmrec");
    expect(recordingFileName("日本")).toBe("recording.fsmrec");
    expect(recordingFileName("x".repeat(300))).toHaveLength(80 + ".fsmrec".length);
  });
});

/** An iai-mcp log: a sleep step with host and path fields every 3rd line, an undeclared jump, a bad line. */
function writeLog(file: string, n: number): void {
  writeCycleLog(file, n, { odd: 40, bad: 50, stepFields: (i) => ({ step: "consolidate", host: "db-7.internal", path: `/srv/data/run-${i}/step.json` }) });
}

describe("saving a replay", () => {
  it("saves a replayed log as the replay showed it, each line's fields included, and reopens it", async () => {
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeLog(log, 3000);
    const b = newBackend();
    const opened = await b.handlers.openLog({ path: log });
    const progress = await indexed(b, opened.id);
    const original = await allObservations(b, opened.id, progress.observations);
    const end = await b.handlers.replaySeek({ sessionId: opened.id, to: { position: progress.observations }, scope: "all" });

    const saved = await b.handlers.saveRecording({ sessionId: opened.id, path: path.join(dir, "replay.fsmrec") });
    expect(saved.observations).toBe(progress.observations);
    const content = lines(saved.path);
    expect((content[0] as RecordingHeader).session).toMatchObject({ kind: "replay", target: log, title: opened.title });
    const step = content.find((o) => (o as Observation).kind === "event") as Observation;
    expect(step).toMatchObject({ kind: "event", name: "sleep_step_started", fields: { step: "consolidate", host: "db-7.internal" }, source: { file: log, line: 3 } });

    const reopened = await b.handlers.openLog({ path: saved.path });
    const again = await indexed(b, reopened.id);
    expect(again).toMatchObject({ state: "done", observations: progress.observations, transitions: progress.transitions, anomalies: progress.anomalies, badLines: progress.badLines });
    const frame = await b.handlers.replaySeek({ sessionId: reopened.id, to: { position: again.observations }, scope: "all" });
    expect(shown(frame.model)).toEqual(shown(end.model));
    const strip = (os: Observation[]) => os.map((o) => ({ ...o, ...("fields" in o ? { fields: undefined } : {}) }));
    expect(strip(await allObservations(b, reopened.id, again.observations))).toEqual(strip(original));
    const timeline = await b.handlers.replayTimeline({ sessionId: reopened.id, buckets: 50 });
    expect(timeline.markers.map((m) => m.kind)).toEqual(["undeclared", "bad-line"]);
  }, 90_000);

  it("saves a recording again, redacted, and says in the header what was redacted", async () => {
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeLog(log, 300);
    const b = newBackend();
    const opened = await b.handlers.openLog({ path: log });
    await indexed(b, opened.id);
    const first = await b.handlers.saveRecording({ sessionId: opened.id, path: path.join(dir, "plain.fsmrec"), redact: { hosts: true } });
    expect((lines(first.path)[0] as RecordingHeader).redacted).toEqual({ paths: false, hosts: true, sensitive: false });
    const reopened = await b.handlers.openLog({ path: first.path });
    await indexed(b, reopened.id);
    const second = await b.handlers.saveRecording({ sessionId: reopened.id, path: path.join(dir, "both.fsmrec"), redact: { paths: true } });
    const content = lines(second.path);
    const header = content[0] as RecordingHeader;
    expect(header.redacted).toEqual({ paths: true, hosts: true, sensitive: false });
    expect(header.session).toMatchObject({ kind: "replay", target: "lifecycle-events-2026-06-10.jsonl" });
    expect(header.redactions?.paths).toBeGreaterThan(0);
    const text = gunzipSync(fs.readFileSync(second.path)).toString("utf8");
    expect(text).not.toContain(dir);
    expect(text).not.toContain("/srv/data");
    expect(text).not.toContain("db-7.internal");
    expect(text).toContain('"host":"host-1"');
    expect(second.observations).toBe(first.observations);
  }, 90_000);
});

describe("recordings that cannot be read whole", () => {
  it("refuses a recording from a newer format version, saying so", async () => {
    const dir = tempDir();
    const file = path.join(dir, "future.fsmrec");
    const header = { format: "fsm-inspector-recording", version: 2, createdAt: "2027-01-01T00:00:00Z", app: { name: "FSM Inspector", version: "9.0.0" }, session: { title: "t", kind: "live", target: "/x", profileId: "iai-mcp" }, profile: { id: "iai-mcp", machine: {} }, redacted: {} };
    fs.writeFileSync(file, gzipSync(`${JSON.stringify(header)}\n{"end":true,"observations":0}\n`));
    const b = newBackend();
    await expect(b.handlers.openLog({ path: file })).rejects.toThrow(/future\.fsmrec was saved by a newer FSM Inspector \(recording format version 2\); this one reads version 1\. Update FSM Inspector to open it\./);
  });

  it("reopens a recording cut short with what came before, and a warning", async () => {
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeLog(log, 20_000);
    const b = newBackend();
    const opened = await b.handlers.openLog({ path: log });
    const progress = await indexed(b, opened.id);
    const saved = await b.handlers.saveRecording({ sessionId: opened.id, path: path.join(dir, "whole.fsmrec") });
    const original = await allObservations(b, opened.id, progress.observations);
    // Cut the compressed file at 60 %.
    const cut = path.join(dir, "cut.fsmrec");
    const bytes = fs.readFileSync(saved.path);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const reopened = await b.handlers.openLog({ path: cut });
    const p = await indexed(b, reopened.id);
    expect(p.state).toBe("done");
    expect(p.observations).toBeGreaterThan(1000);
    expect(p.observations).toBeLessThan(progress.observations);
    const got = await allObservations(b, reopened.id, p.observations);
    const last = got[got.length - 1] as Observation;
    expect(last).toMatchObject({ kind: "warning", code: "bad-line" });
    expect(last.kind === "warning" && last.message).toMatch(/cut\.fsmrec is cut short or damaged .*what came before is shown/);
    // Everything before the warning is the original, in order.
    const before = got.slice(0, -1);
    expect(before.map((o) => `${o.kind} ${o.source.line}`)).toEqual(original.slice(0, before.length).map((o) => `${o.kind} ${o.source.line}`));
  }, 90_000);

  it("says which folder does not exist, and refuses to write from serve mode", async () => {
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeLog(log, 30);
    const b = newBackend();
    const opened = await b.handlers.openLog({ path: log });
    await indexed(b, opened.id);
    await expect(b.handlers.saveRecording({ sessionId: opened.id, path: path.join(dir, "no", "such", "x.fsmrec") })).rejects.toThrow(`Cannot write ${path.join(dir, "no", "such", "x.fsmrec")}: the folder ${path.join(dir, "no", "such")} does not exist.`);
    await expect(b.handlers.saveRecording({ sessionId: "nope", path: path.join(dir, "x") })).rejects.toThrow(/No open session with id nope/);
    expect(fs.readdirSync(dir)).toEqual(["lifecycle-events-2026-06-10.jsonl"]);
    await b.dispose();
    const served = newBackend("serve");
    const again = await served.handlers.openLog({ path: log });
    await expect(served.handlers.saveRecording({ sessionId: again.id, path: path.join(dir, "x") })).rejects.toThrow(/downloaded, not written by the server/);
  }, 60_000);
});
