import { parseIsoMs } from "./time";
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

/** Everything a live or replayed session shows, as a pure value. */
export interface SessionModel {
  /** Highest observation seq applied. */
  seq: number;
  instances: Record<string, InstanceState>;
  /** Instance ids in the order they were first seen. */
  instanceOrder: string[];
  /** Latest transitions, oldest first, at most `limits.recent`. */
  recent: TransitionObservation[];
  /** Latest non-transition log lines, oldest first. */
  events: EventObservation[];
  locks: Record<string, LockObservation>;
  signals: Record<string, SignalObservation>;
  /** Active warnings by key (a cleared warning is removed). */
  warnings: Record<string, WarningObservation>;
  totals: { transitions: number; events: number; warnings: number };
  /** Observed from→to counts over the whole session, with the verdict last seen for each. */
  edges: Record<string, { from: string; to: string; count: number; verdict: TransitionObservation["verdict"] }>;
  /** Recent durations (ms) spent in each state, for dwell percentiles (the last DWELL_SAMPLES per state). */
  dwell: Record<string, number[]>;
}

export const MODEL_LIMITS = { recent: 2000, events: 500, dwellSamples: 512 } as const;

export function emptyModel(): SessionModel {
  return {
    seq: 0,
    instances: {},
    instanceOrder: [],
    recent: [],
    events: [],
    locks: {},
    signals: {},
    warnings: {},
    totals: { transitions: 0, events: 0, warnings: 0 },
    edges: {},
    dwell: {},
  };
}

/**
 * How long the instance was in `obs.from`: from the transition that entered it to this one, both
 * from the same trace (a state file's "since" is a different clock read and may lead the log).
 */
function dwellOf(prev: InstanceState | undefined, obs: TransitionObservation): number | undefined {
  const entered = prev?.last;
  if (!entered || entered.to !== obs.from || entered.ts === undefined || obs.ts === undefined || obs.verdict === "gap" || obs.verdict === "from-mismatch") return undefined;
  const a = parseIsoMs(entered.ts);
  const b = parseIsoMs(obs.ts);
  return a !== undefined && b !== undefined && b >= a ? b - a : undefined;
}

function capped<T>(list: T[], item: T, limit: number): T[] {
  const next = list.length >= limit ? list.slice(list.length - limit + 1) : list.slice();
  next.push(item);
  return next;
}

function withInstance(model: SessionModel, id: string, update: (prev: InstanceState) => InstanceState): SessionModel {
  const prev = model.instances[id];
  const known = prev !== undefined;
  const next = update(prev ?? { id, transitions: 0 });
  return {
    ...model,
    instances: { ...model.instances, [id]: next },
    instanceOrder: known ? model.instanceOrder : [...model.instanceOrder, id],
  };
}

/** Set (or drop, when unknown) an instance's since and lastTs. */
function withTimes(inst: InstanceState, since: string | undefined, lastTs: string | undefined): InstanceState {
  const { since: _s, lastTs: _l, ...rest } = inst;
  const out: InstanceState = { ...rest };
  if (since !== undefined) out.since = since;
  if (lastTs !== undefined) out.lastTs = lastTs;
  return out;
}

export function warningKey(w: WarningObservation): string {
  return w.key ?? `${w.code}:${w.instance ?? ""}:${w.source.file ?? ""}:${w.source.line ?? ""}:${w.message}`;
}

/** Apply one observation (already numbered by the session). Pure; returns a new model. */
export function applyObservation(model: SessionModel, obs: Observation): SessionModel {
  const m: SessionModel = { ...model, seq: Math.max(model.seq, obs.seq) };
  switch (obs.kind) {
    case "state":
      return withInstance(m, obs.instance, (prev) => {
        const changed = prev.state !== obs.state;
        // The artifact's own "since"; else, unchanged, what we had; else when we saw it change —
        // or, the first time we see the instance, when we started watching (a lower bound).
        let since: string | undefined;
        let observed: boolean;
        if (obs.since !== undefined) [since, observed] = [obs.since, false];
        else if (!changed) [since, observed] = [prev.since, prev.sinceObserved === true];
        else [since, observed] = [obs.ts, prev.state === undefined];
        return withTimes({ ...prev, state: obs.state, sinceObserved: observed }, since, obs.ts ?? prev.lastTs);
      });
    case "transition": {
      const key = edgeKey(obs.from, obs.to);
      const edge = m.edges[key];
      const edges = { ...m.edges, [key]: { from: obs.from, to: obs.to, count: (edge?.count ?? 0) + 1, verdict: obs.verdict } };
      const stayed = dwellOf(m.instances[obs.instance], obs);
      const dwell = stayed === undefined ? m.dwell : { ...m.dwell, [obs.from]: capped(m.dwell[obs.from] ?? [], stayed, MODEL_LIMITS.dwellSamples) };
      const withInst = withInstance({ ...m, edges, dwell }, obs.instance, (prev) =>
        withTimes({ ...prev, state: obs.to, transitions: prev.transitions + 1, last: obs, sinceObserved: false }, obs.ts, obs.ts ?? prev.lastTs),
      );
      return {
        ...withInst,
        recent: capped(withInst.recent, obs, MODEL_LIMITS.recent),
        totals: { ...withInst.totals, transitions: withInst.totals.transitions + 1 },
      };
    }
    case "event": {
      const withInst = withInstance(m, obs.instance, (prev) => withTimes(prev, prev.since, obs.ts ?? prev.lastTs));
      return {
        ...withInst,
        events: capped(withInst.events, obs, MODEL_LIMITS.events),
        totals: { ...withInst.totals, events: withInst.totals.events + 1 },
      };
    }
    case "lock":
      return { ...m, locks: { ...m.locks, [obs.path]: obs } };
    case "signal":
      return { ...m, signals: { ...m.signals, [obs.path]: obs } };
    case "warning": {
      const key = warningKey(obs);
      const warnings = { ...m.warnings };
      if (obs.cleared) delete warnings[key];
      else warnings[key] = obs;
      return { ...m, warnings, totals: { ...m.totals, warnings: m.totals.warnings + (obs.cleared ? 0 : 1) } };
    }
  }
}

export function applyAll(model: SessionModel, items: readonly Observation[]): SessionModel {
  let m = model;
  for (const o of items) if (o.seq > m.seq) m = applyObservation(m, o);
  return m;
}
