import type { GuardRef, Json, MachineDefinition, TransitionDef, TransitionsDef } from "./definition";
import { actionSpecs, type ActionSpec } from "./actions";
import { AFTER_PREFIX, buildChart, defaultLeaves, forEachTransitionGroup, formatConfiguration, initialLeaves, isChartDefinition, isWithin, parseConfiguration, resolveTarget, targetList, type ChartInfo } from "./chart";

/** Marks a transition declared at the machine's root: it leaves every state. */
export const ANY_STATE = "*";

/** The event name of eventless (`always`) transitions in normalized edges. */
export const ALWAYS = "";

export interface GuardSpec {
  /** Name shown to the user: the guard's params.key when it tests a payload key, else its type. */
  name: string;
  type: string;
  params: Record<string, Json>;
}

/** One declared transition, flattened. */
export interface Edge {
  /** Stable id: `${from}:${event}:${index}`. */
  id: string;
  /** Source state, or ANY_STATE for a root-level transition. */
  from: string;
  /** The event, or ALWAYS ("") for an eventless transition that continues a step. */
  event: string;
  /** Target state; equals `from` for a targetless transition. */
  to: string;
  guard?: GuardSpec;
  /** What taking it sets in the machine's context (assign actions), in order. */
  actions?: ActionSpec[];
  /** True when the transition has no target (it runs in place, state unchanged). */
  targetless: boolean;
  /** Order among the transitions for this (from, event): XState takes the first enabled one. */
  order: number;
  description?: string;
  /** Every target, when there are several (regions of a parallel state); `to` is the first. */
  targets?: string[];
  /** A delayed transition (`after`), its delay in milliseconds; a `done` one when its state is done; a history state's default. */
  kind?: "after" | "done" | "history-default";
  delayMs?: number;
  /** Exit and re-enter the source even when the target is inside it. */
  reenter?: boolean;
  /** Position of the transition in an SCXML document (a transition with several events has one). */
  documentOrder?: number;
}

export interface NormalizedMachine {
  id: string;
  initial: string;
  states: string[];
  finals: string[];
  edges: Edge[];
  events: string[];
  /** What the machine remembers at the start (its context; empty when it declares none). */
  context: Record<string, Json>;
  /** The state tree of a statechart (absent for a flat machine): `states` are then paths, `initial` a configuration. */
  chart?: ChartInfo;
}

export function guardSpec(ref: GuardRef): GuardSpec {
  if (typeof ref === "string") return { name: ref, type: ref, params: {} };
  const params = ref.params ?? {};
  const key = params["key"];
  return { name: typeof key === "string" ? key : ref.type, type: ref.type, params };
}

export function transitionList(def: TransitionsDef | undefined): TransitionDef[] {
  if (def === undefined) return [];
  const items = Array.isArray(def) ? def : [def];
  return items.map((t: string | TransitionDef) => (typeof t === "string" ? { target: t } : t));
}

/** Resolve an XState target (".WAKE", "#machine.WAKE", "WAKE") to a state name. */
export function targetName(target: string, machineId: string): string {
  if (target.startsWith(".")) return target.slice(1);
  const hash = `#${machineId}.`;
  if (target.startsWith(hash)) return target.slice(hash.length);
  return target;
}

function firstTarget(t: TransitionDef): string | undefined {
  if (t.target === undefined) return undefined;
  return Array.isArray(t.target) ? t.target[0] : t.target;
}

const normalized = new WeakMap<MachineDefinition, NormalizedMachine>();

/** Flatten a definition into states, finals and edges (no validation: see validate.ts). */
export function normalize(def: MachineDefinition): NormalizedMachine {
  if (isChartDefinition(def)) {
    const hit = normalized.get(def);
    if (hit) return hit;
    const m = normalizeChart(def);
    normalized.set(def, m);
    return m;
  }
  const states = Object.keys(def.states);
  const finals = states.filter((s) => def.states[s]?.type === "final");
  const edges: Edge[] = [];
  const events = new Set<string>();
  const add = (from: string, on: Record<string, TransitionsDef> | undefined, always?: TransitionsDef): void => {
    const groups: [string, TransitionsDef][] = Object.entries(on ?? {});
    if (always !== undefined) groups.push([ALWAYS, always]);
    for (const [event, tdef] of groups) {
      if (event !== ALWAYS) events.add(event);
      transitionList(tdef).forEach((t, order) => {
        const target = firstTarget(t);
        const edge: Edge = {
          id: `${from}:${event === ALWAYS ? "always" : event}:${order}`,
          from,
          event,
          to: target === undefined ? from : targetName(target, def.id),
          targetless: target === undefined,
          order,
        };
        if (t.guard !== undefined) edge.guard = guardSpec(t.guard);
        const actions = actionSpecs(t.actions);
        if (actions.length > 0) edge.actions = actions;
        if (typeof t.description === "string") edge.description = t.description;
        edges.push(edge);
      });
    }
  };
  add(ANY_STATE, def.on);
  for (const s of states) add(s, def.states[s]?.on, def.states[s]?.always);
  return { id: def.id, initial: def.initial, states, finals, edges, events: [...events], context: def.context ?? {} };
}

/** A statechart's states as paths, its transitions as edges between paths (targets resolved as XState does). */
function normalizeChart(def: MachineDefinition): NormalizedMachine {
  const chart = buildChart(def);
  const states = Object.keys(chart.nodes);
  const finals = states.filter((p) => chart.nodes[p]?.kind === "final");
  const edges: Edge[] = [];
  const events = new Set<string>();
  forEachTransitionGroup(def as unknown as Record<string, unknown>, (source, event, tdef, _pointer, group) => {
    if (group === "bad-on" || (group === "on" && event === ALWAYS)) return;
    const from = source ?? ANY_STATE;
    if (group === "on") events.add(event);
    transitionList(tdef as TransitionsDef).forEach((t, order) => {
      const targets = targetList(t).flatMap((x) => {
        const r = resolveTarget(chart, def.id, source, x);
        return "path" in r ? [r.path] : [];
      });
      const label = event === ALWAYS ? "always" : event;
      const edge: Edge = { id: `${from}:${label}:${order}`, from, event, to: targets[0] ?? from, targetless: targets.length === 0, order };
      if (targets.length > 1) edge.targets = targets;
      if (group === "after") {
        edge.kind = "after";
        edge.delayMs = Number(event.slice(AFTER_PREFIX.length));
      } else if (group === "onDone") edge.kind = "done";
      else if (group === "history") edge.kind = "history-default";
      if (t.reenter === true) edge.reenter = true;
      if (typeof t["documentOrder"] === "number") edge.documentOrder = t["documentOrder"];
      if (t.guard !== undefined) edge.guard = guardSpec(t.guard);
      const actions = actionSpecs(t.actions);
      if (actions.length > 0) edge.actions = actions;
      if (typeof t.description === "string") edge.description = t.description;
      edges.push(edge);
    });
  });
  return { id: def.id, initial: formatConfiguration(chart, initialLeaves(chart)), states, finals, edges, events: [...events], context: def.context ?? {}, chart };
}

/** Lookups over a normalized machine, built once per machine: every question in O(1). */
export interface MachineIndex {
  states: ReadonlySet<string>;
  finals: ReadonlySet<string>;
  /** A state's own transitions by event, in XState's order. */
  byState: ReadonlyMap<string, ReadonlyMap<string, readonly Edge[]>>;
  /** Root-level transitions by event. */
  root: ReadonlyMap<string, readonly Edge[]>;
  /** `from\u0000to` of every declared transition with a target (a state's own). */
  pairs: ReadonlySet<string>;
  /** Targets of root-level transitions (declared from every non-final state). */
  rootTargets: ReadonlySet<string>;
}

const indexes = new WeakMap<NormalizedMachine, MachineIndex>();

export function machineIndex(m: NormalizedMachine): MachineIndex {
  const hit = indexes.get(m);
  if (hit) return hit;
  const byState = new Map<string, Map<string, Edge[]>>();
  const root = new Map<string, Edge[]>();
  const pairs = new Set<string>();
  const rootTargets = new Set<string>();
  for (const e of m.edges) {
    const events = e.from === ANY_STATE ? root : (byState.get(e.from) ?? byState.set(e.from, new Map()).get(e.from) ?? new Map<string, Edge[]>());
    const list = events.get(e.event);
    if (list) list.push(e);
    else events.set(e.event, [e]);
    if (e.targetless) continue;
    if (e.from === ANY_STATE) rootTargets.add(e.to);
    else pairs.add(`${e.from}\u0000${e.to}`);
  }
  const index: MachineIndex = { states: new Set(m.states), finals: new Set(m.finals), byState, root, pairs, rootTargets };
  indexes.set(m, index);
  return index;
}

/** Does the machine declare a transition from `from` to `to` (root-level transitions count from any state)? */
export function declaresTransition(m: NormalizedMachine, from: string, to: string): boolean {
  const ix = machineIndex(m);
  if (m.chart) return chartDeclares(m, m.chart, from, to);
  return ix.pairs.has(`${from}\u0000${to}`) || (ix.rootTargets.has(to) && !ix.finals.has(from));
}

/** Is `s` a state of the machine: a state's name, a statechart state's path, or a configuration of them (`a.x, b.y`)? */
export function isMachineState(m: NormalizedMachine, s: string): boolean {
  return machineIndex(m).states.has(s) || (m.chart !== undefined && parseConfiguration(m.chart, s) !== undefined);
}

const chartPairs = new WeakMap<NormalizedMachine, Map<string, boolean>>();

/**
 * A statechart's observed from → to is declared when a transition leaves a state the instance was
 * in (the state itself, one of its containers, or — for a log that names a container — a state
 * inside it) and enters a state the instance is now in (its target, inside it, or around it; a
 * history state's target is anywhere in its container).
 */
function chartDeclares(m: NormalizedMachine, chart: ChartInfo, from: string, to: string): boolean {
  let cache = chartPairs.get(m);
  if (!cache) chartPairs.set(m, (cache = new Map()));
  const key = `${from}\u0000${to}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const fromParts = parseConfiguration(chart, from) ?? [];
  const toParts = parseConfiguration(chart, to) ?? [];
  const finalFrom = fromParts.length > 0 && fromParts.every((p) => chart.nodes[p]?.kind === "final");
  const related = (a: string, b: string): boolean => isWithin(a, b) || isWithin(b, a);
  /** Entering `t` can put the instance in `p`: p is around t, or on t's default entry (a history state: anywhere in its container). */
  const enters = (t: string, p: string): boolean => {
    const node = chart.nodes[t];
    if (node?.kind === "history") return related(p, node.parent ?? t);
    return isWithin(t, p) || (isWithin(p, t) && defaultLeaves(chart, t).some((leaf) => isWithin(leaf, p)));
  };
  const answer = m.edges.some((e) => {
    if (e.targetless || e.kind === "history-default") return false;
    const leaves = e.from === ANY_STATE ? !finalFrom : fromParts.some((p) => related(p, e.from));
    return leaves && (e.targets ?? [e.to]).some((t) => toParts.some((p) => enters(t, p)));
  });
  cache.set(key, answer);
  return answer;
}
