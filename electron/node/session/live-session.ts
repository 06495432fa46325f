/**
 * A session owns one opened target: its profile, its sources, and for each instance the trace's
 * position and the model the UI shows. Sources push observations; the session numbers them,
 * gives each transition its conformance verdict, applies them to the model and passes them on.
 */
import { normalize, type NormalizedMachine } from "../../../shared/machine/normalize";
import type { Profile } from "../../../shared/profiles/profile";
import type { SessionSnapshot, SessionSummary } from "../../../shared/ipc/views";
import { ConformanceTracker } from "../../../shared/trace/conformance";
import type { NewObservation, Observation } from "../../../shared/trace/observation";
import { applyObservation, emptyModel, type SessionModel } from "../../../shared/trace/session-model";
import { parseIsoMs } from "../../../shared/trace/time";
import { Reconciler } from "../../../shared/trace/reconcile";
import type { Clock, Source } from "../sources/types";
import { sourcesForProfile } from "./sources-for-profile";

export type ObservationListener = (items: Observation[]) => void;

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
}

export class LiveSession {
  readonly summary: SessionSummary;
  private model: SessionModel = emptyModel();
  private seq = 0;
  private readonly machine: NormalizedMachine;
  private readonly tracker: ConformanceTracker;
  private readonly listeners = new Set<ObservationListener>();
  private sources: Source[] = [];
  private closed = false;
  private readonly reconciler: Reconciler;
  private timer: NodeJS.Timeout | undefined;

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
    this.machine = normalize(opts.profile.machine);
    const gapAfterMs = opts.profile.gapAfterMs;
    // Transitions diffed from snapshots (ecluse's state.json, a polled table) may skip steps between two reads.
    const sampled = opts.profile.sources.some((s) => (s.kind === "state-file" && s.records !== undefined) || s.kind === "table");
    this.tracker = new ConformanceTracker(this.machine, { sampled, ...(gapAfterMs !== undefined ? { gapAfterMs } : {}) });
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
    this.sources = sourcesForProfile(this.opts.profile, this.opts.root, (items) => this.ingest(items), this.opts.clock, sourceOpts);
    for (const s of this.sources) await s.start();
    this.timer = setInterval(() => this.ingest(this.reconciler.tick(this.opts.clock())), 1000);
    this.timer.unref();
  }

  /** Number, classify and apply observations; returns them as passed on to listeners. */
  ingest(items: NewObservation[]): Observation[] {
    if (this.closed || items.length === 0) return [];
    const out: Observation[] = [];
    for (const item of items) {
      const obs = { ...item, seq: ++this.seq } as Observation;
      // Verdicts follow the logged trace only: a state file is rewritten before its log line.
      if (obs.kind === "transition") {
        obs.verdict = this.tracker.transition(obs.instance, obs.from, obs.to, obs.ts !== undefined ? parseIsoMs(obs.ts) : undefined);
      } else if (obs.kind === "warning" && obs.code === "gap") {
        this.tracker.gap(obs.instance);
      }
      this.model = applyObservation(this.model, obs);
      out.push(obs);
    }
    for (const l of this.listeners) l(out);
    const raised = out.flatMap((o) => this.reconciler.observe(o, this.opts.clock()));
    if (raised.length) out.push(...this.ingest(raised));
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
  }
}
