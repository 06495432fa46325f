/**
 * The replay worker thread: indexes one recording (indexer.ts) and answers the session's queries
 * about it (queries.ts) while indexing goes on. A log or folder is read by reading threads
 * (reader-main.ts) while this one indexes: one reading and judging the whole target, or two
 * reading a large log's parts (judged here, in order). One worker per replay session; terminated
 * on close (its readers with it).
 */
import { parentPort, type Worker } from "node:worker_threads";
import { toUserFacing } from "../../../shared/errors";
import type { SourceSpec } from "../../../shared/profiles/profile";
import { isSnapshotSequence } from "../target/target";
import { Indexer } from "./indexer";
import type { FromWorker, Query, StartMessage, ToWorker } from "./protocol";
import { detail, page, seek, timeline } from "./queries";
import { readRecordingForIndex } from "./recording-input";
import { partsPlan } from "./log-parts";
import { readInParts, readInThread } from "./reader-client";
import { spawnWorker } from "./spawn-worker";

const port = parentPort;
if (!port) throw new Error("worker-main runs in a worker thread");

let indexer: Indexer | undefined;
/** Questions asked before the recording is open (a recording's header is read first) wait for it. */
let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (markReady = resolve));
let sourceOf: (file: string) => SourceSpec | undefined = () => undefined;
let stopReading: () => void = () => undefined;
const send = (m: FromWorker): void => port.postMessage(m);

/** `n` reading threads, or undefined when they cannot start (none is left running). */
function startReaders(n: number): Worker[] | undefined {
  const started: Worker[] = [];
  try {
    for (let i = 0; i < n; i++) started.push(spawnWorker("replay-reader"));
    return started;
  } catch {
    for (const w of started) void w.terminate();
    return undefined;
  }
}

async function start(m: StartMessage): Promise<void> {
  if (m.source.kind === "target") {
    const target = m.source.target;
    const sampled = isSnapshotSequence(target);
    const ix = new Indexer(target.profile, (progress) => send({ type: "progress", progress }), { sampled, ...(m.checkpointEvery ? { checkpointEvery: m.checkpointEvery } : {}) });
    indexer = ix;
    markReady();
    const byFile = new Map(target.inputs.map((i) => [i.file, i.source]));
    sourceOf = (file) => byFile.get(file);
    // Reading in threads of their own, beside indexing: a large log in parts, side by side (judged
    // here, in order), anything else whole by one reader (judged there). In this thread when no
    // thread can start.
    const plan = await partsPlan(target, m.parts);
    const readers = startReaders(plan?.readers ?? 1);
    if (!readers) return ix.indexTarget(target);
    const read = plan ? readInParts(readers, plan, target.profile, (p) => ix.setRead(p)) : readInThread(readers[0] as Worker, target, sampled, (p) => ix.setRead(p));
    stopReading = read.cancel;
    await ix.drain(read.batches, plan !== undefined);
  } else {
    const rec = await readRecordingForIndex(m.source.file);
    indexer = new Indexer(rec.profile, (progress) => send({ type: "progress", progress }), m.checkpointEvery ? { checkpointEvery: m.checkpointEvery } : {});
    markReady();
    await indexer.drain(rec.batches((p) => indexer?.setRead(p)), false);
  }
}

async function answer(id: number, q: Query): Promise<void> {
  try {
    await ready;
    if (!indexer) throw new Error("the recording could not be opened");
    let value: unknown;
    switch (q.kind) {
      case "seek":
        value = seek(indexer.index, q);
        break;
      case "timeline":
        value = timeline(indexer.index, q);
        break;
      case "page":
        value = page(indexer.index, q);
        break;
      case "detail":
        value = await detail(indexer.index, indexer.profile, q.position, sourceOf);
        break;
    }
    send({ type: "reply", id, ok: true, value });
  } catch (err) {
    send({ type: "reply", id, ok: false, error: toUserFacing(err) });
  }
}

port.on("message", (m: ToWorker) => {
  if (m.type === "start")
    void start(m).catch((err: unknown) => {
      send({ type: "progress", progress: { state: "failed", bytesRead: 0, bytesTotal: 0, lines: 0, linesPerSecond: 0, etaMs: null, observations: 0, transitions: 0, anomalies: 0, badLines: 0, error: toUserFacing(err) } });
      markReady();
    });
  else if (m.type === "cancel") {
    indexer?.cancel();
    stopReading();
  }
  else void answer(m.id, m.query);
});
