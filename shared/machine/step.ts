import { createMachine, getMicrosteps, type AnyStateMachine } from "xstate";
import type { Json, MachineDefinition } from "./definition";
import { evaluateGuard, describeGuard, readsContext, type Payload } from "./guards";
import { dec, decodeContext, enc, encodeContext, recordAssignments, runAssign, xTransition, type GuardImpl, type XContext, type XTransition } from "./xstate-encoding";
import { describeAssignments, type Assignment, type Context } from "./actions";
import { dict, get } from "../dict";
import { ALWAYS, ANY_STATE, machineIndex, normalize, type Edge, type GuardSpec, type MachineIndex, type NormalizedMachine } from "./normalize";
import { FsmError } from "../errors";
import { formatConfiguration, type ChartInfo } from "./chart";
import { chartRunAt, sendChart, type ChartStep } from "./chart-step";

export type StepOutcome = "taken" | "ignored" | "guard-blocked";

export interface StepResult {
  /** The state after the event (the same state unless outcome is "taken" with a target). */
  next: string;
  outcome: StepOutcome;
  /** States passed through, `from` first, `next` last (eventless transitions can continue a step). */
  path: string[];
  /** The declared transition the event took. */
  edge?: Edge;
  /** The guard that blocked the event, with the payload it saw. */
  guard?: { name: string; type: string; params: GuardSpec["params"]; payload: Payload };
  /** One sentence for people. */
  explanation: string;
  /** What the machine remembers after the event (its context). */
  context: Context;
  /** What the event set in the context, in the order it was set (the same key may be set twice). */
  assignments: Assignment[];
  /** A statechart's active atomic states after the event (paths); `next` writes them as one string. */
  configuration?: string[];
}

interface Compiled {
  machine: AnyStateMachine;
  normalized: NormalizedMachine;
  index: MachineIndex;
  /** States of a loop of eventless transitions, if the machine has one (XState would spin on it forever). */
  eventlessLoop?: string[];
}

/** A cycle through eventless (`always`) transitions, as the states on it; undefined when none. */
export function eventlessLoop(m: NormalizedMachine): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of m.edges) {
    if (e.event !== ALWAYS || e.from === ANY_STATE) continue;
    const list = next.get(e.from);
    if (list) list.push(e.to);
    else next.set(e.from, [e.to]);
  }
  // Depth-first, without recursion (a chain of 10,000 states would overflow the call stack).
  const state = new Map<string, "open" | "done">();
  for (const root of next.keys()) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, number];
      const targets = next.get(top[0]) ?? [];
      if (top[1] >= targets.length) {
        state.set(top[0], "done");
        stack.pop();
        continue;
      }
      const t = targets[top[1]] as string;
      top[1] += 1;
      if (state.get(t) === "open") {
        const path = stack.map(([s]) => s);
        return [...path.slice(path.indexOf(t)), t];
      }
      if (!state.has(t)) {
        state.set(t, "open");
        stack.push([t, 0]);
      }
    }
  }
  return undefined;
}

/** The XState config of a flat machine, from its edges: only what step() needs (no actions, no delays). */
function xstateConfig(def: MachineDefinition, m: NormalizedMachine): { config: Record<string, unknown>; guards: Record<string, GuardImpl> } {
  const guards: Record<string, GuardImpl> = {};
  const finals = new Set(m.finals);
  const states: Record<string, { type?: "final"; on: Record<string, XTransition[]>; always: XTransition[] }> = {};
  for (const s of m.states) states[enc(s)] = finals.has(s) ? { type: "final", on: {}, always: [] } : { on: {}, always: [] };
  const rootOn: Record<string, XTransition[]> = {};
  for (const e of m.edges) {
    const owner = e.from === ANY_STATE ? undefined : states[enc(e.from)];
    if (owner?.type === "final") continue;
    const t = xTransition(e, guards);
    if (!e.targetless) t.target = e.from === ANY_STATE ? `.${enc(e.to)}` : enc(e.to);
    if (e.event === ALWAYS) owner?.always.push(t);
    else {
      const on = owner ? owner.on : rootOn;
      (on[enc(e.event)] ??= []).push(t);
    }
  }
  return { config: { id: "machine", initial: enc(def.initial), context: encodeContext(m.context), on: rootOn, states }, guards };
}

const cache = new WeakMap<MachineDefinition, Compiled>();

/** Compile once per definition object: an XState machine with our data guards supplied. */
export function compile(def: MachineDefinition): Compiled {
  const hit = cache.get(def);
  if (hit) return hit;
  const normalized = normalize(def);
  const { config, guards } = xstateConfig(def, normalized);
  // The config is built above from checked edges; XState's config type is far wider than ours.
  const machine = createMachine(config as Parameters<typeof createMachine>[0]).provide({ guards, actions: { run: runAssign } } as never);
  const compiled: Compiled = { machine, normalized, index: machineIndex(normalized) };
  const loop = eventlessLoop(normalized);
  if (loop) compiled.eventlessLoop = loop;
  cache.set(def, compiled);
  return compiled;
}

/** Transitions for `event` that may leave `state`, in the order XState tries them (the state's own first, then root-level). */
export function candidates(m: NormalizedMachine, state: string, event: string): Edge[] {
  const ix = machineIndex(m);
  if (ix.finals.has(state) || event === ALWAYS) return [];
  return [...(ix.byState.get(state)?.get(event) ?? []), ...(ix.root.get(event) ?? [])];
}

function stateName(value: unknown, fallback: string): string {
  return typeof value === "string" ? dec(value) : fallback;
}


/**
 * Pure step: where does `event` (with `payload`) take the machine from `state`, remembering
 * `context` (default: the machine's initial context)? No clock, no I/O; XState's own pure
 * transition functions decide, eventless transitions and assign actions included.
 */
export function step(def: MachineDefinition, state: string, event: string, payload: Payload = {}, context?: Readonly<Record<string, Json>>): StepResult {
  const chart = normalize(def).chart;
  if (chart) return stepChartState(def, chart, state, event, payload, context);
  const { machine, normalized, index, eventlessLoop: loop } = compile(def);
  if (loop) {
    throw new FsmError({
      code: "eventless-loop",
      message: `${def.id} has a loop of eventless (always) transitions: ${loop.join(" → ")}. Stepping it could run forever.`,
      hint: "Give one of these transitions an event, or a guard that cannot hold around the whole loop.",
    });
  }
  const before = dict(Object.entries(context ?? normalized.context));
  const stay = (outcome: StepOutcome, explanation: string): StepResult => ({ next: state, outcome, path: [state], explanation, context: before, assignments: [] });
  if (!index.states.has(state)) return stay("ignored", `${state} is not a state of ${def.id}, so ${event} cannot be applied.`);
  if (index.finals.has(state)) return stay("ignored", `${state} is a final state: ${event} does nothing.`);
  if (event === ALWAYS) return stay("ignored", "An event needs a name.");

  const snapshot = machine.resolveState({ value: enc(state), context: encodeContext(before) });
  const xevent = { type: enc(event), payload };
  const cands = candidates(normalized, state, event);
  const enabled = machine.getTransitionData(snapshot, xevent);
  if (enabled.length > 0) {
    const { result: steps, assignments } = recordAssignments(() => getMicrosteps(machine, snapshot, xevent));
    const path = [state, ...steps.map(([snap]) => stateName(snap.value, state))];
    const last = steps[steps.length - 1]?.[0];
    const after = last ? decodeContext(last.context as XContext) : before;
    const next = path[path.length - 1] ?? state;
    const edge = cands.find((e) => !e.guard || evaluateGuard(e.guard, payload, event, before));
    const via = edge?.guard ? ` (guard ${describeGuard(edge.guard)} holds)` : "";
    const anyState = edge?.from === ANY_STATE ? " from any state" : "";
    const effect = edge?.description ? `: ${edge.description}` : "";
    const remembers = assignments.length > 0 ? `; it remembers ${describeAssignments(assignments)}` : "";
    let explanation: string;
    if (edge?.targetless) explanation = `${event} is handled in ${state} without leaving it${effect}${remembers}.`;
    else if (path.length > 2) explanation = `${event} moves ${path.join(" → ")}${via}${remembers}.`;
    else explanation = `${event} moves ${state} to ${next}${anyState}${via}${effect}${remembers}.`;
    const result: StepResult = { next, outcome: "taken", path: edge?.targetless ? [state] : path, explanation, context: after, assignments };
    if (edge) result.edge = edge;
    return result;
  }
  const blocked = cands.find((e) => e.guard);
  if (blocked?.guard) {
    const g = blocked.guard;
    const saw = readsContext(g) ? `: the machine remembers ${g.name} = ${JSON.stringify(get(before, g.name) ?? null)}` : ` for payload ${JSON.stringify(payload)}`;
    return {
      ...stay("guard-blocked", `${event} in ${state} would go to ${blocked.to}, but guard ${describeGuard(g)} does not hold${saw}.`),
      guard: { name: g.name, type: g.type, params: g.params, payload },
    };
  }
  return stay("ignored", `${state} has no transition for ${event}: nothing happens.`);
}

/** step() for a statechart: `state` is a configuration (or a path; a compound state is entered by default). */
function stepChartState(def: MachineDefinition, chart: ChartInfo, state: string, event: string, payload: Payload, context: Readonly<Record<string, Json>> | undefined): StepResult {
  const run = chartRunAt(def, state, context);
  if (!run) return { next: state, outcome: "ignored", path: [state], explanation: `${state} is not a state of ${def.id}, so ${event} cannot be applied.`, context: dict(Object.entries(context ?? {})), assignments: [] };
  return chartStepResult(chart, sendChart(def, run, event, payload), state);
}

/** A statechart's step as step() answers it: configurations written as strings. */
export function chartStepResult(chart: ChartInfo, s: ChartStep, state: string): StepResult {
  const path = s.path.map((c) => formatConfiguration(chart, c));
  const result: StepResult = { next: path[path.length - 1] ?? state, outcome: s.outcome, path, explanation: s.explanation, context: s.run.context, assignments: s.assignments, configuration: s.run.configuration };
  if (s.edges[0]) result.edge = s.edges[0];
  if (s.guard) result.guard = s.guard;
  return result;
}
