/**
 * A replay session: a recorded log, folder or recording file, indexed by a worker thread while the
 * user already moves through what is indexed. The session keeps its position; every question
 * (seek, timeline, page, detail) is answered by the worker from its index.
 */
import type { Worker } from "node:worker_threads";
import { FsmError } from "../../../shared/errors";
import type { IndexProgress, ReplayFilter, ReplayFrame, ReplayPage, SeekTarget, Timeline } from "../../../shared/ipc/replay";
import type { SessionSnapshot, SessionSummary } from "../../../shared/ipc/views";
import type { Profile } from "../../../shared/profiles/profile";
import type { Observation } from "../../../shared/trace/observation";
import { emptyModel } from "../../../shared/trace/session-model";
import type { FromWorker, Query, QueryResults, StartMessage, ToWorker } from "./protocol";
import { spawnWorker } from "./spawn-worker";

export interface ReplayOptions {
  id: string;
  title: string;
  profile: Profile;
  /** What the user opened (shown as the session's target). */
  target: string;
  source: StartMessage["source"];
  clock: () => number;
  detectedBy?: string;
  checkpointEvery?: number;
  /** When a large log is read in parts (tests set small sizes). */
  parts?: StartMessage["parts"];
  /** How to start the worker (tests may run several). */
  spawn?: () => Worker;
}

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

export class ReplaySession {
  readonly summary: SessionSummary;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly progressListeners = new Set<(p: IndexProgress) => void>();
  private lastProgress: IndexProgress;
  /** Whether the worker has reported yet (before, the progress above is a placeholder). */
  private reported = false;
  private frame: ReplayFrame | undefined;
  private closed = false;

  constructor(private readonly opts: ReplayOptions) {
    this.summary = { id: opts.id, title: opts.title, target: opts.target, profileId: opts.profile.id, kind: "replay", openedAt: new Date(opts.clock()).toISOString() };
    if (opts.detectedBy !== undefined) this.summary.detectedBy = opts.detectedBy;
    if (opts.profile.instances.kind !== "single") this.summary.instanceLabel = opts.profile.instances.label;
    this.lastProgress = { sessionId: opts.id, state: "indexing", bytesRead: 0, bytesTotal: 0, lines: 0, linesPerSecond: 0, etaMs: null, observations: 0, transitions: 0, anomalies: 0, badLines: 0 };
  }

  get profile(): Profile {
    return this.opts.profile;
  }

  /** What the session was opened on (a target read like check's, or a recording file). */
  get source(): StartMessage["source"] {
    return this.opts.source;
  }

  get progress(): IndexProgress {
    return this.lastProgress;
  }

  onProgress(listener: (p: IndexProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  async start(): Promise<void> {
    const worker = this.opts.spawn ? this.opts.spawn() : spawnWorker("replay-worker");
    this.worker = worker;
    worker.on("message", (m: FromWorker) => this.receive(m));
    worker.on("error", (err) => this.fail(err));
    worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the indexing worker stopped (exit code ${code})`));
    });
    const start: StartMessage = { type: "start", sessionId: this.opts.id, source: this.opts.source };
    if (this.opts.checkpointEvery !== undefined) start.checkpointEvery = this.opts.checkpointEvery;
    if (this.opts.parts !== undefined) start.parts = this.opts.parts;
    this.post(start);
  }

  private post(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (m.type === "progress") {
      this.reported = true;
      this.lastProgress = { ...m.progress, sessionId: this.opts.id };
      for (const l of this.progressListeners) l(this.lastProgress);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new FsmError(m.error));
  }

  private fail(err: Error): void {
    for (const [id, p] of this.pending) {
      p.reject(new FsmError({ code: "replay-failed", message: `Replay of ${this.opts.target} failed: ${err.message}.`, hint: "Close this session and open the log again." }));
      this.pending.delete(id);
    }
    if (this.lastProgress.state === "indexing") {
      this.lastProgress = { ...this.lastProgress, state: "failed", error: { code: "replay-failed", message: err.message } };
      for (const l of this.progressListeners) l(this.lastProgress);
    }
  }

  private ask<K extends Query["kind"]>(query: Extract<Query, { kind: K }>): Promise<QueryResults[K]> {
    if (this.closed || !this.worker) return Promise.reject(new FsmError({ code: "no-session", message: "This replay session is closed." }));
    const id = this.nextId++;
    return new Promise<QueryResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ type: "query", id, query: query as Query });
    });
  }

  cancel(): void {
    this.post({ type: "cancel" });
  }

  async seek(to: SeekTarget, scope: "upto" | "all" = "upto"): Promise<ReplayFrame> {
    const frame = { ...(await this.ask({ kind: "seek", to, scope })), sessionId: this.opts.id };
    this.frame = frame;
    return frame;
  }

  async timeline(buckets: number, filter?: ReplayFilter): Promise<Timeline> {
    const q: Extract<Query, { kind: "timeline" }> = { kind: "timeline", buckets };
    if (filter) q.filter = filter;
    return { ...(await this.ask(q)), sessionId: this.opts.id };
  }

  async page(from: number, count: number, before: boolean, filter?: ReplayFilter): Promise<ReplayPage> {
    const q: Extract<Query, { kind: "page" }> = { kind: "page", from, count, before };
    if (filter) q.filter = filter;
    return { ...(await this.ask(q)), sessionId: this.opts.id };
  }

  detail(position: number): Promise<Observation | null> {
    return this.ask({ kind: "detail", position });
  }

  /** What the UI draws first: the model at the current position (before the first observation, at first). */
  snapshot(): SessionSnapshot {
    const snap: SessionSnapshot = { summary: this.summary, machine: this.opts.profile.machine, model: this.frame?.model ?? emptyModel() };
    if (this.reported) snap.progress = this.lastProgress;
    return snap;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.progressListeners.clear();
    this.fail(new Error("the session was closed"));
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
