/**
 * A replay's reading thread, started by its indexing thread (worker-main.ts). Either it reads the
 * whole target as `check` does (read-target.ts) and judges each observation in trace order, or it
 * reads its share of a large log's parts (log-parts.ts), leaving judging to the indexing thread.
 * Observations go out packed (shared/replay/item-codec.ts); the reader waits when it is too far
 * ahead of what the indexing thread has taken.
 */
import { parentPort } from "node:worker_threads";
import { toUserFacing } from "../../../shared/errors";
import { ItemPacker, packedBuffers } from "../../../shared/replay/item-codec";
import { profileTrace } from "../../../shared/trace/accumulator";
import type { Observation } from "../../../shared/trace/observation";
import { readTarget, type ReadProgress } from "../check/read-target";
import type { TargetItem } from "../check/log-items";
import { judgeInPlace } from "./indexer";
import { readParts } from "./log-parts";
import { READ_AHEAD, READ_AHEAD_PART, type FromReader, type ToReader } from "./protocol";

if (!parentPort) throw new Error("reader-main runs in a worker thread");
const port = parentPort;

let cancelled = false;
let ahead = 0;
let taken: (() => void) | undefined;
const packer = new ItemPacker();
let progress: ReadProgress = { file: "", bytesRead: 0, bytesTotal: 0, lines: 0 };

const send = (msg: FromReader, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

/** Sends a batch; waits while more than `limit` observations are not taken yet. */
async function sendBatch(part: number, items: TargetItem[], limit: number): Promise<void> {
  const packed = packer.pack(items);
  ahead += items.length;
  send({ type: "batch", part, packed, progress }, packedBuffers(packed));
  while (ahead >= limit && !cancelled) await new Promise<void>((resolve) => (taken = resolve));
}

async function readWhole(m: Extract<ToReader, { type: "start" }>): Promise<void> {
  const trace = profileTrace(m.target.profile, m.sampled);
  const batches = readTarget(m.target, {
    onProgress: (p) => (progress = p),
    current: (instance) => trace.current(instance),
    stopped: () => cancelled,
    fields: false,
  });
  for await (const batch of batches) {
    for (const item of batch) judgeInPlace(trace, item.obs as Observation, item.tsMs);
    await sendBatch(0, batch, READ_AHEAD);
    if (cancelled) return;
  }
}

async function readMyParts(m: Extract<ToReader, { type: "start-parts" }>): Promise<void> {
  for await (const e of readParts(m.plan, m.profile, m.reader, { onRead: (p) => (progress = { ...p }), stopped: () => cancelled })) {
    if ("end" in e) send({ type: "part-end", part: e.part, progress });
    else await sendBatch(e.part, e.items, READ_AHEAD_PART);
    if (cancelled) return;
  }
}

async function run(m: Extract<ToReader, { type: "start" | "start-parts" }>): Promise<void> {
  try {
    await (m.type === "start" ? readWhole(m) : readMyParts(m));
    send({ type: "end", progress });
  } catch (err) {
    send({ type: "failed", error: toUserFacing(err) });
  }
}

port.on("message", (m: ToReader) => {
  if (m.type === "start" || m.type === "start-parts") void run(m);
  else {
    if (m.type === "taken") ahead -= m.items;
    else cancelled = true;
    taken?.();
    taken = undefined;
  }
});
