/**
 * Stepping a statechart with XState's own pure functions (initialTransition, getMicrosteps):
 * configurations in and out, history kept, delayed (`after`) transitions on a virtual clock the
 * caller advances — never a real timer. Every state gets an XState id of its own (`s0`, `s1` ...),
 * so no name from a file is ever parsed as a path by XState.
 */
import { createMachine, getMicrosteps, initialTransition, type AnyMachineSnapshot, type AnyStateMachine } from "xstate";
import type { Json, MachineDefinition } from "./definition";
import { describeGuard, evaluateGuard, readsContext, type Payload } from "./guards";
import { describeAssignments, type Assignment, type Context } from "./actions";
import { dict, get, type Dict } from "../dict";
import { ALWAYS, ANY_STATE, normalize, type Edge, type GuardSpec, type NormalizedMachine } from "./normalize";
import { AFTER_PREFIX, ancestors, buildChart, DONE_PREFIX, formatConfiguration, formatDelay, inDocumentOrder, isXStateWildcard, parseConfiguration, scxmlDescriptorMatches, xstateMatches, type ChartInfo } from "./chart";
import { eventlessChartLoop } from "./validate-chart";
import { dec, decodeContext, enc, encodeContext, recordAssignments, runAssign, xTransition, type GuardImpl, type XContext, type XTransition } from "./xstate-encoding";
import { FsmError } from "../errors";

/** Where a statechart is: what `step` needs besides the event, and what it returns. */
export interface ChartRun {
  /** Active atomic (and final) states, as paths, in document order. */
  configuration: string[];
  context: Context;
  /** What each history state would restore (its path → state paths). */
  history: Dict<string[]>;
  /** Delayed transitions waiting on the virtual clock, in the order they were started. */
  timers: ChartTimer[];
  /** The virtual clock, in milliseconds since the machine started. */
  nowMs: number;
  /** The machine reached a top-level final state. */
  done: boolean;
}

export interface ChartTimer {
  /** XState's id of the delayed event (cancelled when its state is left). */
  id: string;
  /** The state that waits, and how long. */
  state: string;
  delayMs: number;
  dueMs: number;
}

export interface ChartStep {
  run: ChartRun;
  outcome: "taken" | "ignored" | "guard-blocked";
  /** Configurations after each microstep (eventless transitions continue a step). */
  path: string[][];
  /** The declared transitions taken first (several when parallel regions each take one). */
  edges: Edge[];
  guard?: { name: string; type: string; params: GuardSpec["params"]; payload: Payload };
  assignments: Assignment[];
  explanation: string;
}

interface CompiledChart {
  machine: AnyStateMachine;
  normalized: NormalizedMachine;
  chart: ChartInfo;
  xid: Map<string, string>;
  pathOf: Map<string, string>;
  edges: Map<string, Edge>;
  scxml: boolean;
  loop?: string[];
}

const cache = new WeakMap<MachineDefinition, CompiledChart>();

export function compileChart(def: MachineDefinition): CompiledChart {
  const hit = cache.get(def);
  if (hit) return hit;
  const normalized = normalize(def);
  // A flat machine is a chart of one level (its states' names are their paths).
  const chart = normalized.chart ?? buildChart(def);
  const paths = Object.keys(chart.nodes);
  const xid = new Map(paths.map((p, i) => [p, `s${i}`]));
  const pathOf = new Map(paths.map((p, i) => [`s${i}`, p]));
  const ref = (p: string): string => `#${xid.get(p) ?? ""}`;
  const guards: Record<string, GuardImpl> = {};
  const edges = new Map<string, Edge>();
  const scxml = def.eventMatching === "scxml";
  /** The SCXML name of an event as XState carries it. */
  const eventName = (type: string): string => {
    if (type.startsWith(DONE_PREFIX)) {
      const p = pathOf.get(type.slice(DONE_PREFIX.length));
      const node = p === undefined ? undefined : get(chart.nodes, p);
      return `done.state.${node?.id ?? node?.key ?? ""}`;
    }
    return type.startsWith("$") ? dec(type) : type;
  };
  /**
   * The transitions of a state listed under XState's `*`, each guarded by its own descriptors (and
   * its own guard after them): SCXML's matching, or XState's wildcards — which take only the events
   * someone sends: XState's own (a state done, a delay) would make `*` loop on a final state forever.
   */
  guards["descriptor"] = (args, params) => {
    const { descriptors, inner } = params as { descriptors: string[]; inner?: GuardSpec };
    if (!scxml && !args.event.type.startsWith("$")) return false;
    const name = eventName(args.event.type);
    if (!descriptors.some((d) => (scxml ? scxmlDescriptorMatches(name, d) : xstateMatches(name, d)))) return false;
    return inner === undefined || evaluateGuard(inner, args.event.payload ?? {}, name, decodeContext(args.context));
  };
  const underStar = (list: { events: string[]; edge: Edge }[]): unknown[] =>
    list.map(({ events, edge }) => {
      const t = build(edge);
      t.guard = { type: "descriptor", params: { descriptors: events, ...(edge.guard ? { inner: edge.guard } : {}) } as unknown as GuardSpec["params"] };
      return t;
    });

  const byFrom = new Map<string, Edge[]>();
  for (const e of normalized.edges) {
    const l = byFrom.get(e.from);
    if (l) l.push(e);
    else byFrom.set(e.from, [e]);
  }
  const build = (e: Edge): XTransition & { edgeId: string; reenter?: boolean } => {
    edges.set(e.id, e);
    const t: XTransition & { edgeId: string; reenter?: boolean } = { ...xTransition(e, guards), edgeId: e.id };
    if (!e.targetless) t.target = (e.targets ?? [e.to]).map(ref);
    if (e.reenter) t.reenter = true;
    return t;
  };
  const transitions = (from: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const on: Record<string, unknown[]> = {};
    const after: Record<string, unknown[]> = {};
    const onDone: unknown[] = [];
    const always: unknown[] = [];
    const ordered: { order: number; events: string[]; edge: Edge }[] = [];
    const wild: Edge[] = [];
    for (const e of byFrom.get(from) ?? []) {
      if (e.kind === "history-default") continue;
      if (e.kind === "after") (after[String(e.delayMs)] ??= []).push(build(e));
      else if (e.kind === "done") onDone.push(build(e));
      else if (e.event === ALWAYS) always.push(build(e));
      else if (scxml) {
        const order = e.documentOrder ?? ordered.length + 1e9;
        const same = ordered.find((o) => o.order === order && e.documentOrder !== undefined);
        if (same) same.events.push(e.event);
        else ordered.push({ order, events: [e.event], edge: e });
      } else if (isXStateWildcard(e.event)) wild.push(e);
      else (on[enc(e.event)] ??= []).push(build(e));
    }
    // XState's order: transitions for the event itself first, then wildcard descriptors, the longest first.
    if (wild.length > 0) on["*"] = underStar(wild.sort((a, b) => b.event.length - a.event.length).map((edge) => ({ events: [edge.event], edge })));
    // SCXML's: every transition of the state in document order.
    if (ordered.length > 0) on["*"] = underStar(ordered.sort((a, b) => a.order - b.order));
    if (Object.keys(on).length > 0) out["on"] = on;
    if (Object.keys(after).length > 0) out["after"] = after;
    if (onDone.length > 0) out["onDone"] = onDone;
    if (always.length > 0) out["always"] = always;
    return out;
  };
  const node = (path: string): Record<string, unknown> => {
    const n = chart.nodes[path];
    if (!n) return {};
    const cfg: Record<string, unknown> = { id: xid.get(path), ...transitions(path) };
    if (n.kind === "final") cfg["type"] = "final";
    if (n.kind === "parallel") cfg["type"] = "parallel";
    if (n.kind === "history") {
      cfg["type"] = "history";
      cfg["history"] = n.history;
      const d = (byFrom.get(path) ?? []).find((e) => e.kind === "history-default");
      if (d && !d.targetless) cfg["target"] = (d.targets ?? [d.to]).map(ref);
    }
    if (n.children.length > 0) cfg["states"] = Object.fromEntries(n.children.map((c) => [enc(chart.nodes[c]?.key ?? ""), node(c)]));
    if (n.kind === "compound" && n.initial !== undefined) cfg["initial"] = enc(chart.nodes[n.initial]?.key ?? "");
    return cfg;
  };
  const topKey = chart.nodes[chart.initial ?? ""]?.key ?? "";
  const config = { id: "root", initial: enc(topKey), context: encodeContext(normalized.context), ...transitions(ANY_STATE), states: Object.fromEntries(chart.top.map((p) => [enc(chart.nodes[p]?.key ?? ""), node(p)])) };
  const machine = createMachine(config as Parameters<typeof createMachine>[0]).provide({ guards, actions: { run: runAssign } } as never);
  const compiled: CompiledChart = { machine, normalized, chart, xid, pathOf, edges, scxml };
  const loop = eventlessChartLoop(
    chart,
    normalized.edges.map((e) => ({ from: e.from, event: e.event, target: e.to, targetless: e.targetless, guarded: e.guard !== undefined, path: e.id })),
    true,
    scxml,
  );
  if (loop) compiled.loop = loop.states;
  cache.set(def, compiled);
  return compiled;
}

function refuseLoop(def: MachineDefinition, c: CompiledChart): void {
  if (c.loop) {
    throw new FsmError({
      code: "eventless-loop",
      message: `${def.id} has a loop of eventless (always) transitions: ${c.loop.join(" → ")}. Stepping it could run forever.`,
      hint: "Give one of these transitions an event, or a guard that cannot hold around the whole loop.",
    });
  }
}

type Action = { type: string; params?: unknown };

function applyActions(c: CompiledChart, timers: ChartTimer[], actions: readonly Action[], nowMs: number): ChartTimer[] {
  let out = timers;
  for (const a of actions) {
    const p = (a.params ?? {}) as { id?: string; delay?: number; sendId?: string; event?: { type?: string } };
    if (a.type === "xstate.raise" && typeof p.delay === "number" && typeof p.id === "string") {
      // XState's id of the timer: `xstate.after.DELAY.STATE_ID`.
      const xs = p.id.startsWith(AFTER_PREFIX) ? p.id.slice(p.id.indexOf(".", AFTER_PREFIX.length) + 1) : "";
      out = [...out.filter((t) => t.id !== p.id), { id: p.id, state: c.pathOf.get(xs) ?? xs, delayMs: p.delay, dueMs: nowMs + p.delay }];
    } else if (a.type === "xstate.cancel" && typeof p.sendId === "string") {
      const id = p.sendId;
      out = out.filter((t) => t.id !== id);
    }
  }
  return out;
}

function configurationOf(c: CompiledChart, snap: AnyMachineSnapshot): string[] {
  const leaves: string[] = [];
  for (const n of snap._nodes) {
    if (n.type !== "atomic" && n.type !== "final") continue;
    const p = c.pathOf.get(n.id);
    if (p !== undefined) leaves.push(p);
  }
  return inDocumentOrder(c.chart, leaves);
}

function runOf(c: CompiledChart, snap: AnyMachineSnapshot, timers: ChartTimer[], nowMs: number): ChartRun {
  const history = dict<string[]>();
  for (const [id, nodes] of Object.entries((snap.historyValue ?? {}) as Record<string, { id: string }[]>)) {
    const p = c.pathOf.get(id);
    if (p !== undefined) history[p] = nodes.flatMap((n) => c.pathOf.get(n.id) ?? []);
  }
  return { configuration: configurationOf(c, snap), context: decodeContext(snap.context as XContext), history, timers, nowMs, done: snap.status === "done" };
}

/** XState's state value for a configuration: `{ a: { r1: { x: {} }, r2: { y: {} } } }` (a state without children is `{}`). */
function stateValue(c: CompiledChart, paths: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const leaf of paths) {
    let at = root;
    for (const p of [...ancestors(c.chart, leaf).reverse(), leaf]) at = (at[enc(c.chart.nodes[p]?.key ?? "")] ??= {}) as Record<string, unknown>;
  }
  return root;
}

function snapshotOf(c: CompiledChart, run: ChartRun): AnyMachineSnapshot {
  const historyValue: Record<string, unknown[]> = {};
  for (const [p, list] of Object.entries(run.history)) {
    const id = c.xid.get(p);
    if (id !== undefined) historyValue[id] = list.flatMap((s) => (c.xid.has(s) ? [c.machine.getStateNodeById(c.xid.get(s) ?? "")] : []));
  }
  return c.machine.resolveState({ value: stateValue(c, run.configuration), context: encodeContext(run.context), historyValue } as never) as AnyMachineSnapshot;
}

/** A new instance: the initial configuration, its eventless transitions taken, its delays started at `nowMs`. */
export function startChart(def: MachineDefinition, nowMs = 0): ChartRun {
  const c = compileChart(def);
  refuseLoop(def, c);
  const [snap, actions] = initialTransition(c.machine);
  return runOf(c, snap as AnyMachineSnapshot, applyActions(c, [], actions as Action[], nowMs), nowMs);
}

/** A run standing in a configuration (or a compound state, entered by default), with no history and no delays started. */
export function chartRunAt(def: MachineDefinition, state: string, context?: Readonly<Record<string, Json>>): ChartRun | undefined {
  const c = compileChart(def);
  const parts = parseConfiguration(c.chart, state);
  if (!parts) return undefined;
  const probe: ChartRun = { configuration: parts, context: dict(Object.entries(context ?? c.normalized.context)), history: dict(), timers: [], nowMs: 0, done: false };
  return { ...runOf(c, snapshotOf(c, probe), [], 0), context: probe.context };
}

/** Send `event` (with `payload`) to a run: XState's macrostep, delays started and cancelled on the run's clock. */
export function sendChart(def: MachineDefinition, run: ChartRun, event: string, payload: Payload = {}): ChartStep {
  const c = compileChart(def);
  refuseLoop(def, c);
  const here = formatConfiguration(c.chart, run.configuration);
  const stay = (outcome: ChartStep["outcome"], explanation: string): ChartStep => ({ run, outcome, path: [run.configuration], edges: [], assignments: [], explanation });
  if (run.done) return stay("ignored", `${def.id} is done (it reached ${here}): ${event} does nothing.`);
  const snap = snapshotOf(c, run);
  const xevent = event.startsWith(AFTER_PREFIX) ? { type: event } : { type: enc(event), payload };
  const enabled = c.machine.getTransitionData(snap as never, xevent as never) as { edgeId?: string }[];
  if (enabled.length === 0) {
    const blocked = candidatesFor(c, run.configuration, event).find((e) => e.guard);
    if (blocked?.guard) {
      const g = blocked.guard;
      const saw = readsContext(g) ? `: the machine remembers ${g.name} = ${JSON.stringify(get(run.context, g.name) ?? null)}` : ` for payload ${JSON.stringify(payload)}`;
      return { ...stay("guard-blocked", `${event} in ${blocked.from} would go to ${blocked.to}, but guard ${describeGuard(g)} does not hold${saw}.`), guard: { name: g.name, type: g.type, params: g.params, payload } };
    }
    return stay("ignored", `${here} has no transition for ${event}: nothing happens.`);
  }
  const { result: steps, assignments } = recordAssignments(() => getMicrosteps(c.machine, snap as never, xevent as never));
  let timers = run.timers;
  const path: string[][] = [run.configuration];
  let last = snap;
  for (const [s, actions] of steps) {
    last = s as AnyMachineSnapshot;
    timers = applyActions(c, timers, actions as Action[], run.nowMs);
    path.push(configurationOf(c, last));
  }
  const next = runOf(c, last, timers, run.nowMs);
  const edges = enabled.flatMap((t) => (t.edgeId !== undefined ? (c.edges.get(t.edgeId) ?? []) : []));
  const to = formatConfiguration(c.chart, next.configuration);
  const label = event.startsWith(AFTER_PREFIX) ? `after ${formatDelay(edges[0]?.delayMs ?? 0)}` : event;
  const remembers = assignments.length > 0 ? `; it remembers ${describeAssignments(assignments)}` : "";
  const explanation = to === here ? `${label} is handled in ${here} without leaving it${remembers}.` : `${label} moves ${here} to ${to}${remembers}.`;
  return { run: next, outcome: "taken", path, edges, assignments, explanation };
}

/** Transitions for `event` declared on the active states or their ancestors, then at the root. */
function candidatesFor(c: CompiledChart, configuration: readonly string[], event: string): Edge[] {
  const sources = new Set<string>();
  for (const leaf of configuration) for (const s of [leaf, ...ancestors(c.chart, leaf)]) sources.add(s);
  const matches = (e: Edge): boolean => !e.kind && e.event !== ALWAYS && (c.scxml ? scxmlDescriptorMatches(event, e.event) : xstateMatches(event, e.event));
  return c.normalized.edges.filter((e) => (e.from === ANY_STATE || sources.has(e.from)) && matches(e));
}

/**
 * Advance the virtual clock by `ms`: each delayed transition whose time has come fires, earliest
 * first (in the order they were started when due together), each one a step of its own.
 */
export function advanceChart(def: MachineDefinition, run: ChartRun, ms: number): { run: ChartRun; steps: ChartStep[] } {
  const until = run.nowMs + Math.max(0, ms);
  const steps: ChartStep[] = [];
  let at = run;
  for (let guard = 0; guard < 10_000; guard++) {
    const due = at.timers.filter((t) => t.dueMs <= until).sort((a, b) => a.dueMs - b.dueMs)[0];
    if (!due) break;
    const clock: ChartRun = { ...at, nowMs: due.dueMs, timers: at.timers.filter((t) => t !== due) };
    const s = sendChart(def, clock, due.id);
    steps.push(s);
    at = s.run;
  }
  return { run: { ...at, nowMs: until }, steps };
}
