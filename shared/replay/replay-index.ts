/**
 * The index of a recording, as lnav indexes a log: what each observation needs to be shown again
 * (kind, instance, time, states, event, verdict, dwell, file, line, byte offset) in typed-array
 * columns with strings interned — no object per line kept alive — plus a checkpoint of the session
 * model every `checkpointEvery` observations. Any position is rebuilt from the nearest checkpoint
 * and at most `checkpointEvery` observations, never by reading the files again; an observation's
 * other fields (a log line's JSON) are re-read from its file by the caller when asked for.
 *
 * Pure: observations come in already judged (verdict, dwell) and numbered by the caller.
 */
import { get, toDict } from "../dict";
import type { AnomalyKind, ReplayFilter, Timeline, TimelineMarker } from "../ipc/replay";
import type { Observation, Verdict, WarningCode } from "../trace/observation";
import { applyAll, emptyModel, type SessionModel } from "../trace/session-model";
import { parseIsoMs } from "../trace/time";
import { type Column, StringTable, f64, i32, u32, u8 } from "./columns";

const KINDS = ["state", "transition", "event", "warning", "lock", "signal"] as const;
const KIND_ID = { state: 0, transition: 1, event: 2, warning: 3, lock: 4, signal: 5 } as const;
const VERDICTS: readonly (Verdict | undefined)[] = [undefined, "declared", "undeclared", "from-mismatch", "unknown-state", "gap"];
const ANOMALIES: readonly AnomalyKind[] = ["undeclared", "from-mismatch", "unknown-state", "gap", "restart", "bad-line", "warning"];

const F_OBSERVED = 1;
const F_CLEARED = 2;
const F_TABLE = 4;

export interface ReplayIndexOptions {
  /** A model checkpoint every this many observations (default 1000). */
  checkpointEvery?: number;
  /** Silences longer than this are shortened to it on the timeline (default 60 s). */
  silenceCapMs?: number;
  /** How many of the latest transitions and other lines a frame's model carries. */
  recent?: number;
  events?: number;
}

/** Where an observation's line starts in its file (for re-reading its details). */
export interface Located {
  file?: string;
  line?: number;
  offset?: number;
}

export class ReplayIndex {
  private readonly strings = new StringTable();
  private readonly kind = u8();
  private readonly flags = u8();
  private readonly instance = i32();
  private readonly ts = f64();
  private readonly a = i32();
  private readonly b = i32();
  private readonly c = i32();
  private readonly verdict = u8();
  private readonly aux = f64();
  private readonly file = i32();
  private readonly line = u32();
  private readonly offset = f64();
  private readonly axis = f64();
  /** Positions (1-based) of transitions, events and anomalies, ascending. */
  private readonly transitionAt = i32();
  private readonly eventAt = i32();
  private readonly anomalyAt = i32();
  private readonly anomalyKind = u8();
  /** Lock and signal observations are few and nested: kept whole. */
  private readonly extras = new Map<number, Observation>();
  /** Statecharts: the time spent in each container a transition leaves, by position (sparse: flat machines have none). */
  private readonly containerDwell = new Map<number, Record<string, number>>();
  /** Observations matched by each filter so far (for lists' totals). */
  private readonly matchCounts = new Map<string, { upTo: number; count: number }>();

  private readonly every: number;
  private readonly cap: number;
  private readonly recentCount: number;
  private readonly eventCount: number;
  private readonly checkpoints: SessionModel[] = [emptyModel()];
  private running: SessionModel = emptyModel();
  private pending: Observation[] = [];
  /**
   * Other log lines (most lines) of instances already known are not kept until the checkpoint:
   * all one does to the model is count itself and set its instance's last time (see `settle`).
   */
  private deferred = new Map<string, { position: number; ts: string }>();
  private deferredCount = 0;
  /** Per instance, the position of its last observation with a time kept in `pending`. */
  private lastKept = new Map<string, number>();
  private readonly knownInstances = new Set<string>();
  private lastTsMs: number | undefined;
  private axisNow = 0;
  private badLineCount = 0;
  private timedSeen = false;
  private firstMs: number | undefined;
  private lastMs: number | undefined;
  private readonly silences: { at: number; realMs: number }[] = [];

  constructor(opts: ReplayIndexOptions = {}) {
    this.every = Math.max(16, opts.checkpointEvery ?? 1000);
    this.cap = opts.silenceCapMs ?? 60_000;
    this.recentCount = opts.recent ?? 200;
    this.eventCount = opts.events ?? 100;
  }

  get count(): number {
    return this.kind.length;
  }

  get timed(): boolean {
    return this.timedSeen;
  }

  /** How many transitions, anomalies and bad lines (malformed, unreadable) are indexed. */
  get transitions(): number {
    return this.transitionAt.length;
  }

  get anomalies(): number {
    return this.anomalyAt.length;
  }

  get badLines(): number {
    return this.badLineCount;
  }

  /** Bytes held by the columns (the checkpoints and strings come on top). */
  get columnBytes(): number {
    return [this.kind, this.flags, this.instance, this.ts, this.a, this.b, this.c, this.verdict, this.aux, this.file, this.line, this.offset, this.axis].reduce((s, col) => s + col.bytes, 0);
  }

  private sid(s: string | undefined): number {
    return s === undefined ? -1 : this.strings.id(s);
  }

  private str(id: number): string | undefined {
    return id < 0 ? undefined : this.strings.get(id);
  }

  /**
   * Adds the next observation; its position is the count so far + 1 (give it that `seq` to spare a
   * copy). `parsedTs` is `o.ts` in epoch ms, when the caller has parsed it already.
   */
  append(o: Observation, at: Located = {}, parsedTs?: number): void {
    const i = this.count;
    const position = i + 1;
    const tsMs = parsedTs ?? (o.ts !== undefined ? parseIsoMs(o.ts) : undefined);
    this.kind.push(KIND_ID[o.kind]);
    this.flags.push((o.tsFrom === "observed" ? F_OBSERVED : 0) | (o.kind === "warning" && o.cleared ? F_CLEARED : 0) | (o.source.table !== undefined ? F_TABLE : 0));
    const inst = "instance" in o ? o.instance : undefined;
    this.instance.push(this.sid(inst));
    this.ts.push(tsMs ?? NaN);
    this.file.push(this.sid(at.file ?? o.source.file ?? o.source.table));
    this.line.push(at.line ?? o.source.line ?? 0);
    this.offset.push(at.offset ?? -1);
    let a = -1;
    let b = -1;
    let c = -1;
    let verdict = 0;
    let aux = NaN;
    switch (o.kind) {
      case "transition":
        a = this.sid(o.from);
        b = this.sid(o.to);
        c = this.sid(o.event);
        verdict = o.verdict ? VERDICTS.indexOf(o.verdict) : 0;
        aux = o.dwellMs ?? NaN;
        if (o.containerDwell) this.containerDwell.set(position, o.containerDwell);
        this.transitionAt.push(position);
        break;
      case "state":
        a = this.sid(o.state);
        aux = o.since !== undefined ? (parseIsoMs(o.since) ?? NaN) : NaN;
        break;
      case "event":
        a = this.sid(o.name);
        this.eventAt.push(position);
        break;
      case "warning":
        a = this.sid(o.code);
        b = this.sid(o.message);
        c = this.sid(o.key);
        break;
      default:
        this.extras.set(position, o);
    }
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    this.verdict.push(verdict);
    this.aux.push(aux);
    const anomaly = anomalyOf(o);
    if (anomaly !== undefined) {
      this.anomalyAt.push(position);
      this.anomalyKind.push(ANOMALIES.indexOf(anomaly));
      if (anomaly === "bad-line") this.badLineCount++;
    }
    this.advanceAxis(tsMs);
    if (o.kind === "event" && this.knownInstances.has(o.instance)) {
      // Only a line with a time changes its instance's last time.
      if (o.ts !== undefined) {
        // One entry per instance, updated in place (a million lines, no object each).
        const d = this.deferred.get(o.instance);
        if (d) {
          d.position = position;
          d.ts = o.ts;
        } else this.deferred.set(o.instance, { position, ts: o.ts });
      }
      this.deferredCount++;
    } else {
      this.pending.push(o.seq === position ? o : ({ ...o, seq: position } as Observation));
      if (inst !== undefined) {
        this.knownInstances.add(inst);
        if (o.ts !== undefined) this.lastKept.set(inst, position);
      }
    }
    if (position % this.every === 0) {
      this.running = this.settle(position);
      this.pending = [];
      this.deferred = new Map();
      this.deferredCount = 0;
      this.lastKept = new Map();
      this.checkpoints.push({ ...this.running, recent: [], events: [] });
    }
  }

  private advanceAxis(tsMs: number | undefined): void {
    if (tsMs !== undefined) {
      this.timedSeen = true;
      this.firstMs ??= tsMs;
      this.lastMs = Math.max(this.lastMs ?? tsMs, tsMs);
      if (this.lastTsMs !== undefined && tsMs > this.lastTsMs) {
        const real = tsMs - this.lastTsMs;
        if (real > this.cap && this.silences.length < 5000) this.silences.push({ at: this.axisNow, realMs: real });
        this.axisNow += Math.min(real, this.cap);
      }
      this.lastTsMs = tsMs;
    }
    this.axis.push(this.axisNow);
  }

  /**
   * The running model after everything up to `position`: the kept observations applied as usual,
   * then the deferred other lines — counted, and each instance's last time set from its latest
   * line when that came after its last kept observation (what applying them in order would do).
   */
  private settle(position: number): SessionModel {
    const m = applyAll(this.running, this.pending, { lists: false });
    if (this.deferredCount === 0) return m;
    const instances = toDict(m.instances);
    for (const [id, d] of this.deferred) {
      const cur = instances[id];
      // Its latest line with a time came after its last kept observation with one: that time is the last.
      if (cur && d.position > (this.lastKept.get(id) ?? 0)) instances[id] = { ...cur, lastTs: d.ts };
    }
    return { ...m, seq: Math.max(m.seq, position), instances, totals: { ...m.totals, events: m.totals.events + this.deferredCount } };
  }

  /** The observation at a position (1-based), without the fields only its file holds. */
  observation(position: number): Observation {
    const i = position - 1;
    const extra = this.extras.get(position);
    if (extra) return { ...extra, seq: position } as Observation;
    const kind = KINDS[this.kind.get(i)] as Observation["kind"];
    const flags = this.flags.get(i);
    const base: { seq: number; tsFrom: "artifact" | "observed"; source: Observation["source"]; ts?: string } = {
      seq: position,
      tsFrom: flags & F_OBSERVED ? "observed" : "artifact",
      source: {},
    };
    const ts = this.columnTime(i);
    if (ts !== undefined) base.ts = ts;
    const file = this.str(this.file.get(i));
    if (file !== undefined) {
      if (flags & F_TABLE) base.source.table = file;
      else base.source.file = file;
    }
    const line = this.line.get(i);
    if (line > 0) base.source.line = line;
    const instance = this.str(this.instance.get(i));
    const a = this.str(this.a.get(i));
    const aux = this.aux.get(i);
    switch (kind) {
      case "transition": {
        const o: Observation = { ...base, kind, instance: instance ?? "", from: a ?? "", to: this.str(this.b.get(i)) ?? "" };
        const event = this.str(this.c.get(i));
        if (event !== undefined) o.event = event;
        const verdict = VERDICTS[this.verdict.get(i)];
        if (verdict !== undefined) o.verdict = verdict;
        if (!Number.isNaN(aux)) o.dwellMs = aux;
        const cd = this.containerDwell.get(i + 1);
        if (cd) o.containerDwell = cd;
        return o;
      }
      case "state": {
        const o: Observation = { ...base, kind, instance: instance ?? "", state: a ?? "" };
        if (!Number.isNaN(aux)) o.since = new Date(aux).toISOString();
        return o;
      }
      case "event":
        return { ...base, kind, instance: instance ?? "", name: a ?? "" };
      default: {
        const o: Observation = { ...base, kind: "warning", code: (a ?? "source-error") as WarningCode, message: this.str(this.b.get(i)) ?? "" };
        if (instance !== undefined) o.instance = instance;
        const key = this.str(this.c.get(i));
        if (key !== undefined) o.key = key;
        if (flags & F_CLEARED) o.cleared = true;
        return o;
      }
    }
  }

  /** The time of the observation at a position, as `observation(position).ts` gives it, without building it. */
  private timeAt(position: number): string | undefined {
    const extra = this.extras.get(position);
    return extra ? extra.ts : this.columnTime(position - 1);
  }

  private columnTime(i: number): string | undefined {
    const tsMs = this.ts.get(i);
    return Number.isNaN(tsMs) ? undefined : new Date(tsMs).toISOString();
  }

  /** The time of the last observation up to a position that has one, looking back at most `within` observations. */
  lastTimeUpTo(position: number, within = 1000): string | undefined {
    for (let p = position; p >= 1 && p > position - within; p--) {
      const ts = this.timeAt(p);
      if (ts !== undefined) return ts;
    }
    return undefined;
  }

  /** Where the observation at a position came from: its file, line and the byte offset of the line. */
  located(position: number): Located {
    const i = position - 1;
    const out: Located = {};
    const file = this.str(this.file.get(i));
    if (file !== undefined && !(this.flags.get(i) & F_TABLE)) out.file = file;
    const line = this.line.get(i);
    if (line > 0) out.line = line;
    const offset = this.offset.get(i);
    if (offset >= 0) out.offset = offset;
    return out;
  }

  private materialize(from: number, to: number): Observation[] {
    const out: Observation[] = [];
    for (let p = from; p <= to; p++) out.push(this.observation(p));
    return out;
  }

  /** The model after the whole recording indexed so far. */
  finalModel(): SessionModel {
    return this.pending.length || this.deferredCount ? this.settle(this.count) : this.running;
  }

  /**
   * The model after `position` observations, with the latest transitions and other lines up to
   * there; with scope "all", edges and dwell of the whole recording instead of up to the position.
   */
  modelAt(position: number, scope: "upto" | "all" = "upto"): SessionModel {
    const p = Math.max(0, Math.min(position, this.count));
    const c = Math.min(Math.floor(p / this.every), this.checkpoints.length - 1);
    const base = this.checkpoints[c] as SessionModel;
    const start = c * this.every;
    let m = p > start ? applyAll(base, this.materialize(start + 1, p), { lists: false }) : base;
    const recent = this.lastOf(this.transitionAt, p, this.recentCount);
    const events = this.lastOf(this.eventAt, p, this.eventCount);
    m = { ...m, recent: recent.map((q) => this.observation(q)) as SessionModel["recent"], events: events.map((q) => this.observation(q)) as SessionModel["events"] };
    if (scope === "all") {
      const all = this.finalModel();
      m = { ...m, edges: all.edges, dwell: all.dwell };
    }
    return m;
  }

  /** The last `n` positions ≤ p in a positions column. */
  private lastOf(col: Column<Int32Array>, p: number, n: number): number[] {
    const end = col.lastAtMost(p);
    const out: number[] = [];
    for (let k = Math.max(0, end - n + 1); k <= end; k++) out.push(col.get(k));
    return out;
  }

  /** Where a position is on the timeline's axis. */
  axisAt(position: number): number {
    if (position <= 0) return 0;
    const p = Math.min(position, this.count);
    return this.timedSeen ? this.axis.get(p - 1) : p;
  }

  /** The last position at or before a point of the axis. */
  positionAtAxis(x: number): number {
    if (!this.timedSeen) return Math.max(0, Math.min(this.count, Math.floor(x)));
    return this.axis.lastAtMost(x) + 1;
  }

  get axisLength(): number {
    return this.timedSeen ? this.axisNow : this.count;
  }

  private matches(i: number, f: ReplayFilter | undefined, ids: FilterIds): boolean {
    if (!f) return true;
    if (ids.instance !== undefined && this.instance.get(i) !== ids.instance) return false;
    const kind = this.kind.get(i);
    if (ids.state !== undefined) {
      const isState = kind === KIND_ID.state && this.a.get(i) === ids.state;
      const isTransition = kind === KIND_ID.transition && (this.a.get(i) === ids.state || this.b.get(i) === ids.state);
      if (!isState && !isTransition) return false;
    }
    if (ids.event !== undefined && !(kind === KIND_ID.transition && this.c.get(i) === ids.event)) return false;
    return true;
  }

  private filterIds(f: ReplayFilter | undefined): FilterIds | undefined {
    const ids: FilterIds = {};
    if (f?.instance !== undefined) ids.instance = this.strings.find(f.instance);
    if (f?.state !== undefined) ids.state = this.strings.find(f.state);
    if (f?.event !== undefined) ids.event = this.strings.find(f.event);
    // A name never seen matches nothing.
    return Object.values(ids).some((v) => v === -1) ? undefined : ids;
  }

  /** The next or previous position (from `from`, exclusive) holding what is asked for, or undefined. */
  find(from: number, dir: "next" | "prev", what: "observation" | "transition" | "anomaly", filter?: ReplayFilter): number | undefined {
    const ids = this.filterIds(filter);
    if (!ids) return undefined;
    const col = what === "transition" ? this.transitionAt : what === "anomaly" ? this.anomalyAt : undefined;
    if (!col) {
      for (let p = dir === "next" ? from + 1 : from - 1; p >= 1 && p <= this.count; p += dir === "next" ? 1 : -1) if (this.matches(p - 1, filter, ids)) return p;
      return undefined;
    }
    let k = dir === "next" ? col.lastAtMost(from) + 1 : col.lastAtMost(from - 1);
    for (; k >= 0 && k < col.length; k += dir === "next" ? 1 : -1) {
      const p = col.get(k);
      if (this.matches(p - 1, filter, ids)) return p;
    }
    return undefined;
  }

  /** `count` observations after `from` (or up to and including it, with `before`), filtered. */
  page(from: number, count: number, before: boolean, filter?: ReplayFilter): { positions: number[]; items: Observation[]; matching: number } {
    const ids = this.filterIds(filter);
    if (!ids) return { positions: [], items: [], matching: 0 };
    const positions: number[] = [];
    if (before) {
      for (let p = Math.min(from, this.count); p >= 1 && positions.length < count; p--) if (this.matches(p - 1, filter, ids)) positions.push(p);
      positions.reverse();
    } else {
      for (let p = Math.max(1, from + 1); p <= this.count && positions.length < count; p++) if (this.matches(p - 1, filter, ids)) positions.push(p);
    }
    return { positions, items: positions.map((p) => this.observation(p)), matching: this.matching(filter, ids) };
  }

  /** How many observations a filter matches; counted once per filter, then only what was added since. */
  private matching(filter: ReplayFilter | undefined, ids: FilterIds): number {
    if (!filter || Object.keys(ids).length === 0) return this.count;
    const key = `${ids.instance ?? ""}|${ids.state ?? ""}|${ids.event ?? ""}`;
    const hit = this.matchCounts.get(key) ?? { upTo: 0, count: 0 };
    for (let i = hit.upTo; i < this.count; i++) if (this.matches(i, filter, ids)) hit.count++;
    hit.upTo = this.count;
    this.matchCounts.set(key, hit);
    return hit.count;
  }

  /** The scrubber's picture: transitions and anomalies per bucket of the axis, and the anomaly markers. */
  timeline(buckets: number, filter?: ReplayFilter, markerLimit = 5000): Omit<Timeline, "sessionId" | "names"> {
    const n = Math.max(1, Math.min(4000, Math.floor(buckets)));
    const transitions = new Array<number>(n).fill(0);
    const anomalies = new Array<number>(n).fill(0);
    const length = Math.max(1, this.axisLength);
    const bucketOf = (p: number): number => Math.min(n - 1, Math.floor((this.axisAt(p) / length) * n));
    const ids = this.filterIds(filter);
    const markers: TimelineMarker[] = [];
    let cut = false;
    if (ids) {
      for (let k = 0; k < this.transitionAt.length; k++) {
        const p = this.transitionAt.get(k);
        if (this.matches(p - 1, filter, ids)) (transitions[bucketOf(p)] as number)++;
      }
      const all = this.anomalyAt.length;
      const firstOfBucket = new Set<number>();
      for (let k = 0; k < all; k++) {
        const p = this.anomalyAt.get(k);
        if (ids.instance !== undefined && this.instance.get(p - 1) !== ids.instance && this.instance.get(p - 1) !== -1) continue;
        const bucket = bucketOf(p);
        (anomalies[bucket] as number)++;
        const marker: TimelineMarker = { position: p, axis: this.axisAt(p), kind: ANOMALIES[this.anomalyKind.get(k)] as AnomalyKind, instance: this.str(this.instance.get(p - 1)) ?? null };
        if (all <= markerLimit) markers.push(marker);
        else if (!firstOfBucket.has(bucket)) {
          firstOfBucket.add(bucket);
          markers.push(marker);
          cut = true;
        }
      }
    }
    const silences = [...this.silences].sort((x, y) => y.realMs - x.realMs).slice(0, 200).sort((x, y) => x.at - y.at);
    return {
      total: this.count,
      axisLength: this.axisLength,
      timed: this.timedSeen,
      firstMs: this.firstMs ?? null,
      lastMs: this.lastMs ?? null,
      silenceCapMs: this.cap,
      silences,
      transitions,
      anomalies,
      markers,
      markersCut: cut,
    };
  }

  /** The instance names seen, the states and the events (for the filters). */
  names(): { instances: string[]; states: string[]; events: string[] } {
    const m = this.finalModel();
    const states = new Set<string>();
    const events = new Set<string>();
    for (const e of Object.values(m.edges)) {
      states.add(e.from);
      states.add(e.to);
    }
    for (let k = 0; k < this.transitionAt.length; k++) {
      const ev = this.str(this.c.get(this.transitionAt.get(k) - 1));
      if (ev !== undefined) events.add(ev);
      if (events.size > 500) break;
    }
    for (const id of m.instanceOrder) {
      const s = get(m.instances, id)?.state;
      if (s !== undefined) states.add(s);
    }
    return { instances: [...m.instanceOrder], states: [...states].sort(), events: [...events].sort() };
  }
}

interface FilterIds {
  instance?: number;
  state?: number;
  event?: number;
}

/** Whether an observation is worth a marker on the timeline, and which. */
export function anomalyOf(o: Observation): AnomalyKind | undefined {
  if (o.kind === "transition") return o.verdict !== undefined && o.verdict !== "declared" ? o.verdict : undefined;
  if (o.kind !== "warning" || o.cleared) return undefined;
  if (o.key?.startsWith("restart:")) return "restart";
  if (o.code === "gap") return "gap";
  if (o.code === "bad-line" || o.code === "unreadable") return "bad-line";
  return "warning";
}
