/**
 * The indexing thread's side of its reading threads (reader-main.ts): their batches as one async
 * iterable of items in the file's order, each batch acknowledged once taken so its reader reads on.
 * A target read whole comes judged from one reader; a large log's parts (log-parts.ts) come from
 * several, unjudged, and are put back in order here — with the suspicious lines counted for the
 * whole file and the file checked for changes once, at the end, as reading it whole would.
 */
import type { Worker } from "node:worker_threads";
import { FsmError } from "../../../shared/errors";
import { ItemUnpacker } from "../../../shared/replay/item-codec";
import type { Profile } from "../../../shared/profiles/profile";
import type { ReadProgress } from "../check/read-target";
import type { TargetItem } from "../check/log-items";
import { SuspiciousTally, changedWhileRead, fileState } from "../check/suspicious";
import type { CheckTarget } from "../target/target";
import { partCount, type PartsPlan } from "./log-parts";
import type { FromReader, ToReader } from "./protocol";

export interface ThreadedRead {
  batches: AsyncIterable<TargetItem[]>;
  /** Stop reading (the batches end after the one being taken). */
  cancel(): void;
}

/** One reading thread: its messages in arrival order, its strings, its latest progress. */
class ReaderLink {
  private readonly queue: FromReader[] = [];
  private wake: (() => void) | undefined;
  readonly unpacker = new ItemUnpacker();
  progress: ReadProgress | undefined;

  constructor(
    readonly worker: Worker,
    onProgress: () => void,
  ) {
    const arrive = (m: FromReader): void => {
      if (m.type !== "failed") {
        this.progress = m.progress;
        onProgress();
      }
      this.queue.push(m);
      this.wake?.();
      this.wake = undefined;
    };
    worker.on("message", arrive);
    worker.on("error", (err) => arrive({ type: "failed", error: { code: "internal", message: `A reading thread failed: ${err.message}` } }));
    worker.on("exit", (code) => arrive({ type: "failed", error: { code: "internal", message: `A reading thread stopped (exit code ${code}) before the end of the recording.` } }));
  }

  post(m: ToReader): void {
    this.worker.postMessage(m);
  }

  async next(): Promise<Exclude<FromReader, { type: "failed" }>> {
    for (;;) {
      const m = this.queue.shift();
      if (m) {
        if (m.type === "failed") throw new FsmError(m.error);
        return m;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** A batch's items, unpacked; its reader is told they are taken. */
  take(m: Extract<FromReader, { type: "batch" }>): TargetItem[] {
    const items = this.unpacker.unpack(m.packed) as TargetItem[];
    this.post({ type: "taken", items: m.packed.count });
    return items;
  }

  stop(): void {
    this.worker.removeAllListeners("message");
    void this.worker.terminate();
  }
}

/** The whole target, read and judged by one reading thread. */
export function readInThread(reader: Worker, target: CheckTarget, sampled: boolean, onRead: (p: ReadProgress) => void): ThreadedRead {
  const link: ReaderLink = new ReaderLink(reader, () => link.progress && onRead(link.progress));
  link.post({ type: "start", target, sampled });
  async function* batches(): AsyncGenerator<TargetItem[]> {
    try {
      for (;;) {
        const m = await link.next();
        if (m.type === "end") return;
        if (m.type === "batch") yield link.take(m);
      }
    } finally {
      link.stop();
    }
  }
  return { batches: batches(), cancel: () => link.post({ type: "cancel" }) };
}

/** A large log read in parts by several reading threads, back in order; the items are not judged yet. */
export function readInParts(readers: Worker[], plan: PartsPlan, profile: Profile, onRead: (p: ReadProgress) => void): ThreadedRead {
  const file = plan.input.file;
  const total = (): void => {
    let bytesRead = 0;
    let lines = 0;
    for (const l of links) {
      bytesRead += l.progress?.bytesRead ?? 0;
      lines += l.progress?.lines ?? 0;
    }
    onRead({ file, bytesRead, bytesTotal: plan.size, lines });
  };
  const links = readers.map((w) => new ReaderLink(w, total));
  const before = fileState(file);
  links.forEach((l, reader) => l.post({ type: "start-parts", plan, profile, reader }));

  async function* batches(): AsyncGenerator<TargetItem[]> {
    try {
      const tally = new SuspiciousTally(file);
      const n = partCount(plan);
      for (let k = 0; k < n; k++) {
        const link = links[k % links.length] as ReaderLink;
        for (;;) {
          const m = await link.next();
          if (m.type === "part-end" && m.part === k) break;
          if (m.type !== "batch" || m.part !== k) throw new Error(`reading in parts: part ${k} expected, a reader sent ${m.type} of part ${"part" in m ? m.part : "?"}`);
          const items = link.take(m);
          yield items.some((i) => i.suspicious) ? items.filter((i) => !i.suspicious || tally.admit(i.suspicious)) : items;
        }
      }
      let lines = 0;
      for (const l of links) lines += l.progress?.lines ?? 0;
      const changed = await changedWhileRead(file, await before, lines);
      const tail = [...tally.end(), ...(changed ? [changed] : [])];
      if (tail.length) yield tail.map((obs) => ({ obs }));
    } finally {
      for (const l of links) l.stop();
    }
  }
  return { batches: batches(), cancel: () => links.forEach((l) => l.post({ type: "cancel" })) };
}
