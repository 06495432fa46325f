import { dict, get, has, toDict, type Dict } from "../dict";
import { edgeKey } from "./stats";
import type {
  EventObservation,
  LockObservation,
  Observation,
  SignalObservation,
  TransitionObservation,
  WarningObservation,
} from "./observation";

/** What we know of one instance of the machine (a daemon, a lease, a session slug, a worker row). */
export interface InstanceState {
  id: string;
  /** Current state; undefined until a source said. */
  state?: string;
  /** Since when (ISO-8601) it is in that state, when known. */
  since?: string;
  /** True when `since` is only when we started watching (the artifact did not say): "at least". */
  sinceObserved?: boolean;
  /** Time of the last observation about this instance. */
  lastTs?: string;
  transitions: number;
  /** Last transition seen for this instance. */
  last?: TransitionObservation;
}

export interface ObservedEdge {
  from: string;
  to: string;
  count: number;
  verdict: TransitionObservation["verdict"];
}

/**
 * Everything a live or replayed session shows, as a pure value. Every table keyed by a name from
 * a file is a null-prototype Dict (see shared/dict.ts); a model that crossed JSON or structured
 * clone is rebuilt with `reviveModel` before use.
 */
export interface SessionModel {
  /** Highest observation seq applied. */
  seq: number;
  instances: Dict<InstanceState>;
  /** Instance ids in the order they were first seen. */
  instanceOrder: string[];
  /** Latest transitions, oldest first, at most `limits.recent`. */
  recent: TransitionObservation[];
  /** Latest non-transition log lines, oldest first. */
  events: EventObservation[];
  locks: Dict<LockObservation>;
  signals: Dict<SignalObservation>;
  /** Active warnings by key (a cleared warning is removed). */
  warnings: Dict<WarningObservation>;
  totals: { transitions: number; events: number; warnings: number };
  /** Observed from→to counts over the whole session, with the verdict last seen for each. */
  edges: Dict<ObservedEdge>;
  /** Recent durations (ms) spent in each state, for dwell percentiles (the last MODEL_LIMITS.dwellSamples per state). */
  dwell: Dict<number[]>;
}

export const MODEL_LIMITS = { recent: 2000, events: 500, dwellSamples: 512 } as const;

export function emptyModel(): SessionModel {
  return {
    seq: 0,
    instances: dict(),
    instanceOrder: [],
    recent: [],
    events: [],
    locks: dict(),
    signals: dict(),
    warnings: dict(),
    totals: { transitions: 0, events: 0, warnings: 0 },
    edges: dict(),
    dwell: dict(),
  };
}

/** A model that came through JSON or structured clone, with its tables rebuilt as Dicts. */
export function reviveModel(m: SessionModel): SessionModel {
  return {
    ...m,
    instances: toDict(m.instances),
    locks: toDict(m.locks),
    signals: toDict(m.signals),
    warnings: toDict(m.warnings),
    edges: toDict(m.edges),
    dwell: toDict(m.dwell),
  };
}

export function warningKey(w: WarningObservation): string {
  return w.key ?? `${w.code}:${w.instance ?? ""}:${w.source.file ?? ""}:${w.source.line ?? ""}:${w.message}`;
}

type TableName = "instances" | "locks" | "signals" | "warnings" | "edges" | "dwell";
type ListName = "recent" | "events" | "instanceOrder";

/**
 * A batch of observations applied to a model: each table and list is copied once, the first time
 * the batch changes it, then changed in place — so a batch costs what it changes, not the size of
 * the model times its length. The model handed in is never modified.
 */
class Draft {
  readonly m: SessionModel;
  /** Whether the latest transitions and lines are kept (a replay index rebuilds them itself). */
  lists = true;
  /** Instances and edges this batch made: changed in place (no earlier model holds them). */
  readonly owned = new Set<object>();
  private readonly copied = new Set<TableName | ListName>();
  /** States whose dwell samples this batch has copied. */
  private readonly dwellCopied = new Set<string>();

  constructor(base: SessionModel) {
    this.m = { ...base, totals: { ...base.totals } };
  }

  table<K extends TableName>(name: K): SessionModel[K] {
    if (!this.copied.has(name)) {
      this.copied.add(name);
      (this.m[name] as Dict<unknown>) = toDict(this.m[name] as Dict<unknown>);
    }
    return this.m[name];
  }

  list<K extends ListName>(name: K): SessionModel[K] {
    if (!this.copied.has(name)) {
      this.copied.add(name);
      (this.m[name] as unknown[]) = this.m[name].slice();
    }
    return this.m[name];
  }

  dwellSamples(state: string): number[] {
    const dwell = this.table("dwell");
    if (!this.dwellCopied.has(state)) {
      this.dwellCopied.add(state);
      dwell[state] = has(dwell, state) ? (dwell[state] as number[]).slice() : [];
    }
    return dwell[state] as number[];
  }

  /** Trims the capped lists and dwell samples once, at the end of the batch. */
  finish(): SessionModel {
    if (this.copied.has("recent")) trim(this.m.recent, MODEL_LIMITS.recent);
    if (this.copied.has("events")) trim(this.m.events, MODEL_LIMITS.events);
    for (const state of this.dwellCopied) trim(this.m.dwell[state] as number[], MODEL_LIMITS.dwellSamples);
    return this.m;
  }
}

function trim<T>(list: T[], limit: number): void {
  if (list.length > limit) list.splice(0, list.length - limit);
}

/** Push onto a capped list, trimming now and then so a long batch never holds more than twice the cap. */
function pushCapped<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length >= 2 * limit) trim(list, limit);
}

/**
 * The instance to change, as an object this batch owns: the model's own one is copied the first
 * time the batch changes it, then changed in place (its copy is not in any earlier model).
 */
function instanceOf(d: Draft, id: string): InstanceState {
  const instances = d.table("instances");
  const prev = get(instances, id);
  if (prev !== undefined && d.owned.has(prev)) return prev;
  if (prev === undefined) d.list("instanceOrder").push(id);
  const own: InstanceState = prev ? copyInstance(prev) : { id, transitions: 0 };
  d.owned.add(own);
  instances[id] = own;
  return own;
}

function copyInstance(inst: InstanceState): InstanceState {
  // Written out (no spread): this runs for each instance a batch changes.
  const out: InstanceState = { id: inst.id, transitions: inst.transitions };
  if (inst.state !== undefined) out.state = inst.state;
  if (inst.since !== undefined) out.since = inst.since;
  if (inst.sinceObserved !== undefined) out.sinceObserved = inst.sinceObserved;
  if (inst.lastTs !== undefined) out.lastTs = inst.lastTs;
  if (inst.last !== undefined) out.last = inst.last;
  return out;
}

/** Set (or drop, when unknown) an instance's since. */
function setSince(inst: InstanceState, since: string | undefined): void {
  if (since !== undefined) inst.since = since;
  else delete inst.since;
}

function applyOne(d: Draft, obs: Observation): void {
  d.m.seq = Math.max(d.m.seq, obs.seq);
  switch (obs.kind) {
    case "state": {
      const inst = instanceOf(d, obs.instance);
      const changed = inst.state !== obs.state;
      // The artifact's own "since"; else, unchanged, what we had; else when we saw it change —
      // or, the first time we see the instance, when we started watching (a lower bound).
      if (obs.since !== undefined) {
        setSince(inst, obs.since);
        inst.sinceObserved = false;
      } else if (!changed) inst.sinceObserved = inst.sinceObserved === true;
      else {
        inst.sinceObserved = inst.state === undefined;
        setSince(inst, obs.ts);
      }
      inst.state = obs.state;
      if (obs.ts !== undefined) inst.lastTs = obs.ts;
      return;
    }
    case "transition": {
      const edges = d.table("edges");
      const key = edgeKey(obs.from, obs.to);
      const edge = get(edges, key);
      if (edge && d.owned.has(edge)) {
        edge.count += 1;
        edge.verdict = obs.verdict;
      } else {
        const own: ObservedEdge = { from: obs.from, to: obs.to, count: (edge?.count ?? 0) + 1, verdict: obs.verdict };
        d.owned.add(own);
        edges[key] = own;
      }
      if (obs.dwellMs !== undefined) pushCapped(d.dwellSamples(obs.from), obs.dwellMs, MODEL_LIMITS.dwellSamples);
      if (obs.containerDwell) for (const [state, ms] of Object.entries(obs.containerDwell)) pushCapped(d.dwellSamples(state), ms, MODEL_LIMITS.dwellSamples);
      const inst = instanceOf(d, obs.instance);
      inst.state = obs.to;
      inst.transitions += 1;
      inst.last = obs;
      inst.sinceObserved = false;
      setSince(inst, obs.ts);
      if (obs.ts !== undefined) inst.lastTs = obs.ts;
      if (d.lists) pushCapped(d.list("recent"), obs, MODEL_LIMITS.recent);
      d.m.totals.transitions += 1;
      return;
    }
    case "event": {
      const inst = instanceOf(d, obs.instance);
      if (obs.ts !== undefined) inst.lastTs = obs.ts;
      if (d.lists) pushCapped(d.list("events"), obs, MODEL_LIMITS.events);
      d.m.totals.events += 1;
      return;
    }
    case "lock":
      d.table("locks")[obs.path] = obs;
      return;
    case "signal":
      d.table("signals")[obs.path] = obs;
      return;
    case "warning": {
      const warnings = d.table("warnings");
      const key = warningKey(obs);
      if (obs.cleared) delete warnings[key];
      else {
        warnings[key] = obs;
        d.m.totals.warnings += 1;
      }
      return;
    }
  }
}

/** Apply one observation (already numbered by the session). Pure; returns a new model. */
export function applyObservation(model: SessionModel, obs: Observation): SessionModel {
  return applyAll(model, [obs]);
}

/**
 * Apply observations in order, skipping any already applied (seq not above the model's). Pure.
 * With `lists: false` the latest transitions and lines (recent, events) are left as they are.
 */
export function applyAll(model: SessionModel, items: readonly Observation[], opts: { lists?: boolean } = {}): SessionModel {
  let d: Draft | undefined;
  for (const o of items) {
    if (o.seq <= (d?.m.seq ?? model.seq)) continue;
    if (!d) {
      d = new Draft(model);
      d.lists = opts.lists !== false;
    }
    applyOne(d, o);
  }
  return d ? d.finish() : model;
}
