/**
 * Indexes a recording: reads it as `check` does (read-target.ts: streaming, logs merged by time),
 * judges each observation with the same accumulator as live sessions and `check` (verdict,
 * dwell), and appends it to a ReplayIndex. Reports progress a few times a second, can be
 * cancelled, and yields between batches so queries about the part already indexed are answered
 * while the rest is read. Runs in a worker thread (worker-main.ts) or, in tests, in-process.
 */
import type { IndexProgress } from "../../../shared/ipc/replay";
import { toUserFacing } from "../../../shared/errors";
import type { Profile } from "../../../shared/profiles/profile";
import { profileTrace, type TraceAccumulator } from "../../../shared/trace/accumulator";
import { parseIsoMs } from "../../../shared/trace/time";
import type { NewObservation, Observation } from "../../../shared/trace/observation";
import { ReplayIndex, type ReplayIndexOptions } from "../../../shared/replay/replay-index";
import { readTarget, type ReadProgress } from "../check/read-target";
import type { TargetItem } from "../check/log-items";
import type { CheckTarget } from "../target/target";

export interface IndexerOptions extends ReplayIndexOptions {
  /** How often progress is reported (ms). */
  progressEveryMs?: number;
  clock?: () => number;
}

export type ProgressListener = (p: Omit<IndexProgress, "sessionId">) => void;


/**
 * Judges one observation, in trace order and in place: a transition gets its verdict and dwell.
 * The one judging step of replay — the index and a saved recording of the same log agree.
 */
export function judgeInPlace(trace: TraceAccumulator, obs: Observation, tsMs?: number): void {
  const judged = trace.observe(obs as NewObservation, tsMs ?? (obs.ts !== undefined ? parseIsoMs(obs.ts) : undefined));
  if (judged && obs.kind === "transition") {
    obs.verdict = judged.verdict;
    if (judged.dwellMs !== undefined) obs.dwellMs = judged.dwellMs;
    if (judged.containerDwell) obs.containerDwell = judged.containerDwell;
  }
}

const NOWHERE = {};

export class Indexer {
  readonly index: ReplayIndex;
  private readonly trace: TraceAccumulator;
  private readonly at: { offset?: number } = {};
  private readonly clock: () => number;
  private readonly every: number;
  private cancelled = false;
  private state: IndexProgress["state"] = "indexing";
  private read: ReadProgress = { file: "", bytesRead: 0, bytesTotal: 0, lines: 0 };
  private readonly started: number;
  private lastReport = 0;
  private error: IndexProgress["error"];

  constructor(
    readonly profile: Profile,
    private readonly onProgress: ProgressListener,
    opts: IndexerOptions & { sampled?: boolean } = {},
  ) {
    this.index = new ReplayIndex(opts);
    this.trace = profileTrace(profile, opts.sampled ?? false);
    this.clock = opts.clock ?? Date.now;
    this.every = opts.progressEveryMs ?? 200;
    this.started = this.clock();
  }

  cancel(): void {
    this.cancelled = true;
  }

  /** Judges (unless the observations were judged when recorded) and indexes one batch. */
  add(items: readonly TargetItem[], judge = true): void {
    for (const item of items) {
      // The reader's own fresh object: numbered and judged in place (a million lines, no copies).
      const obs = item.obs as Observation;
      obs.seq = this.index.count + 1;
      if (judge) judgeInPlace(this.trace, obs, item.tsMs);
      // One reused place object: append reads it at once.
      if (item.offset !== undefined) {
        this.at.offset = item.offset;
        this.index.append(obs, this.at, item.tsMs);
      } else this.index.append(obs, NOWHERE, item.tsMs);
    }
  }

  /** Reads a target to the end (or until cancelled). */
  async indexTarget(target: CheckTarget): Promise<void> {
    const reading = readTarget(target, {
      onProgress: (p) => {
        this.read = p;
        this.report();
      },
      current: (instance) => this.trace.current(instance),
      stopped: () => this.cancelled,
      // The index keeps no line's other fields: they are read again from the file when asked for.
      fields: false,
    });
    await this.drain(reading, true);
  }

  /** Indexes batches of observations from any source (a recording: already judged). */
  async drain(batches: AsyncIterable<TargetItem[]> | AsyncGenerator<TargetItem[], unknown>, judge: boolean): Promise<void> {
    try {
      for await (const batch of batches as AsyncIterable<TargetItem[]>) {
        this.add(batch, judge);
        this.report();
        // Let queries about what is indexed so far in between.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.cancelled) break;
      }
      this.state = this.cancelled ? "cancelled" : "done";
    } catch (err) {
      this.state = "failed";
      this.error = toUserFacing(err);
    }
    this.report(true);
  }

  /** Reading progress from a source that counts its own bytes (a recording). */
  setRead(p: ReadProgress): void {
    this.read = p;
  }

  progress(): Omit<IndexProgress, "sessionId"> {
    const elapsed = Math.max(1, this.clock() - this.started);
    const linesPerSecond = Math.round((this.read.lines / elapsed) * 1000);
    const bytesPerMs = this.read.bytesRead / elapsed;
    const left = this.read.bytesTotal - this.read.bytesRead;
    const p: Omit<IndexProgress, "sessionId"> = {
      state: this.state,
      bytesRead: this.read.bytesRead,
      bytesTotal: this.read.bytesTotal,
      lines: this.read.lines,
      linesPerSecond,
      etaMs: this.state === "indexing" && bytesPerMs > 0 && elapsed > 300 ? Math.round(left / bytesPerMs) : this.state === "indexing" ? null : 0,
      observations: this.index.count,
      transitions: this.index.transitions,
      anomalies: this.index.anomalies,
      badLines: this.index.badLines,
    };
    if (this.read.file) p.file = this.read.file;
    if (this.error) p.error = this.error;
    return p;
  }

  private report(force = false): void {
    const now = this.clock();
    if (!force && now - this.lastReport < this.every) return;
    this.lastReport = now;
    this.onProgress(this.progress());
  }
}
