/**
 * A session owns one opened target: its profile, its sources, and for each instance the trace's
 * position and the model the UI shows. Sources push observations; the session numbers them,
 * gives each transition its conformance verdict, applies them to the model and passes them on.
 */
import { normalize, type NormalizedMachine } from "../../../shared/machine/normalize";
import type { Profile } from "../../../shared/profiles/profile";
import type { SessionSnapshot, SessionSummary } from "../../../shared/ipc/views";
import { profileTrace, type TraceAccumulator } from "../../../shared/trace/accumulator";
import type { NewObservation, Observation } from "../../../shared/trace/observation";
import { applyAll, emptyModel, type SessionModel } from "../../../shared/trace/session-model";
import { Reconciler } from "../../../shared/trace/reconcile";
import { zoneOf } from "../../../shared/profiles/time-zone";
import { Spool } from "../recording/spool";
import type { Clock, Source } from "../sources/types";
import { sourcesForProfile } from "./sources-for-profile";

export type ObservationListener = (items: Observation[]) => void;

/** How much of a folder's existing logs the app and `watch` read when watching starts (4 MiB): enough to know where things stand. */
export const WATCH_HISTORY_BYTES = 4 * 1024 * 1024;

export interface SessionOptions {
  id: string;
  title: string;
  kind: SessionSummary["kind"];
  profile: Profile;
  /** The profile's data folder. */
  root: string;
  clock: Clock;
  detectedBy?: string;
  /** Bytes of existing logs to read when watching starts (default: all). */
  historyBytes?: number;
  /** A database to poll (duckgres), and how often. */
  connection?: string;
  pollMs?: number;
  /** Keep every observation in a spool file for Save recording… (default true; `watch` in a terminal does not). */
  spool?: boolean;
  /** Read the log from a stream (standard input) instead of the profile's files. */
  stream?: NonNullable<Parameters<typeof sourcesForProfile>[4]>["stream"];
}

/**
 * The session of a judged trace, fed by its sources: a watched folder, table or stream (live, the
 * demo) — or none at all, for a machine shown on its own (kind "machine"). Replays have their own
 * session (replay/replay-session.ts); the sandbox lives in the renderer.
 */
export class TraceSession {
  readonly summary: SessionSummary;
  private model: SessionModel = emptyModel();
  private seq = 0;
  private readonly machine: NormalizedMachine;
  private readonly trace: TraceAccumulator;
  private readonly listeners = new Set<ObservationListener>();
  private sources: Source[] = [];
  private closed = false;
  private readonly reconciler: Reconciler;
  private timer: NodeJS.Timeout | undefined;
  /** Every observation published, kept on disk for Save recording… (memory holds only what waits to be written). */
  readonly spool: Spool | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.summary = {
      id: opts.id,
      title: opts.title,
      target: opts.root,
      profileId: opts.profile.id,
      kind: opts.kind,
      openedAt: new Date(opts.clock()).toISOString(),
    };
    if (opts.detectedBy !== undefined) this.summary.detectedBy = opts.detectedBy;
    if (opts.profile.instances.kind !== "single") this.summary.instanceLabel = opts.profile.instances.label;
    if (opts.kind !== "machine") this.summary.timeZone = zoneOf(opts.profile);
    this.spool =
      opts.spool === false
        ? undefined
        : new Spool(opts.title, (message) => {
            if (!this.closed) this.ingest([{ kind: "warning", code: "source-error", key: "spool-failed", message, tsFrom: "observed", ts: new Date(this.opts.clock()).toISOString(), source: {} }]);
          });
    this.machine = normalize(opts.profile.machine);
    // Transitions diffed from snapshots (ecluse's state.json, a polled table) may skip steps between two reads.
    const sampled = opts.profile.sources.some((s) => (s.kind === "state-file" && s.records !== undefined) || s.kind === "table");
    this.trace = profileTrace(opts.profile, sampled, this.machine);
    this.reconciler = new Reconciler(opts.profile);
  }

  get profile(): Profile {
    return this.opts.profile;
  }

  async start(): Promise<void> {
    const sourceOpts: Parameters<typeof sourcesForProfile>[4] = {};
    if (this.opts.historyBytes !== undefined) sourceOpts.historyBytes = this.opts.historyBytes;
    if (this.opts.connection !== undefined) sourceOpts.connection = this.opts.connection;
    if (this.opts.pollMs !== undefined) sourceOpts.pollMs = this.opts.pollMs;
    if (this.opts.stream !== undefined) sourceOpts.stream = this.opts.stream;
    this.sources = sourcesForProfile(this.opts.profile, this.opts.root, (items) => this.ingest(items), this.opts.clock, sourceOpts);
    for (const s of this.sources) await s.start();
    this.timer = setInterval(() => this.ingest(this.reconciler.tick(this.opts.clock())), 1000);
    this.timer.unref();
  }

  /**
   * Number, judge and apply observations, with the warnings they raise; then publish them all at
   * once. Returns them as passed on to listeners.
   */
  ingest(items: NewObservation[]): Observation[] {
    if (this.closed || items.length === 0) return [];
    const out: Observation[] = [];
    const now = this.opts.clock();
    for (let batch = items; batch.length > 0; ) {
      const raised: NewObservation[] = [];
      for (const item of batch) {
        const obs = { ...item, seq: ++this.seq } as Observation;
        // Verdicts and dwell follow the logged trace (and snapshots of sampled sources) only.
        const judged = this.trace.observe(obs);
        if (judged && obs.kind === "transition") {
          obs.verdict = judged.verdict;
          if (judged.dwellMs !== undefined) obs.dwellMs = judged.dwellMs;
          if (judged.containerDwell) obs.containerDwell = judged.containerDwell;
        }
        out.push(obs);
        raised.push(...this.reconciler.observe(obs, now));
      }
      batch = raised;
    }
    this.model = applyAll(this.model, out);
    this.spool?.append(out);
    for (const l of this.listeners) l(out);
    return out;
  }

  onObservations(listener: ObservationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): SessionSnapshot {
    return { summary: this.summary, machine: this.opts.profile.machine, model: this.model };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
    await Promise.all(this.sources.map((s) => s.close()));
    this.sources = [];
    await this.spool?.close();
  }
}
