import { createMachine, getMicrosteps, type AnyStateMachine } from "xstate";
import type { MachineDefinition } from "./definition";
import { evaluateGuard, describeGuard, type Payload } from "./guards";
import { ALWAYS, ANY_STATE, normalize, type Edge, type GuardSpec, type NormalizedMachine } from "./normalize";
import { FsmError } from "../ipc/errors";

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
}

interface Compiled {
  machine: AnyStateMachine;
  normalized: NormalizedMachine;
  /** States of a loop of eventless transitions, if the machine has one (XState would spin on it forever). */
  eventlessLoop?: string[];
}

/** A cycle through eventless (`always`) transitions, as the states on it; undefined when none. */
export function eventlessLoop(m: NormalizedMachine): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of m.edges) if (e.event === ALWAYS && e.from !== ANY_STATE) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (s: string): string[] | undefined => {
    state.set(s, "open");
    stack.push(s);
    for (const t of next.get(s) ?? []) {
      if (state.get(t) === "open") return [...stack.slice(stack.indexOf(t)), t];
      if (!state.has(t)) {
        const found = visit(t);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(s, "done");
    return undefined;
  };
  for (const s of next.keys()) {
    if (state.has(s)) continue;
    const found = visit(s);
    if (found) return found;
  }
  return undefined;
}

type GuardImpl = (args: { event: { type: string; payload?: Payload } }, params: unknown) => boolean;

const cache = new WeakMap<MachineDefinition, Compiled>();

/** Compile once per definition object: an XState machine with our data guards supplied. */
export function compile(def: MachineDefinition): Compiled {
  const hit = cache.get(def);
  if (hit) return hit;
  const normalized = normalize(def);
  const guards: Record<string, GuardImpl> = {};
  for (const e of normalized.edges) {
    const g = e.guard;
    if (!g || guards[g.type]) continue;
    guards[g.type] = ({ event }, params) =>
      evaluateGuard({ ...g, params: (params as GuardSpec["params"] | undefined) ?? {} }, event.payload ?? {}, event.type);
  }
  // The definition is plain JSON checked by validate(); XState's config type is far wider than ours.
  const machine = createMachine(def as Parameters<typeof createMachine>[0]).provide({ guards } as never);
  const compiled: Compiled = { machine, normalized };
  const loop = eventlessLoop(normalized);
  if (loop) compiled.eventlessLoop = loop;
  cache.set(def, compiled);
  return compiled;
}

/** Transitions for `event` that may leave `state`, in the order XState tries them (the state's own first, then root-level). */
export function candidates(m: NormalizedMachine, state: string, event: string): Edge[] {
  if (m.finals.includes(state) || event === ALWAYS) return [];
  const own = m.edges.filter((e) => e.from === state && e.event === event);
  const root = m.edges.filter((e) => e.from === ANY_STATE && e.event === event);
  return [...own, ...root];
}

function stateName(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

/**
 * Pure step: where does `event` (with `payload`) take the machine from `state`?
 * No clock, no I/O; XState's own pure transition functions decide, eventless transitions included.
 */
export function step(def: MachineDefinition, state: string, event: string, payload: Payload = {}): StepResult {
  const { machine, normalized, eventlessLoop: loop } = compile(def);
  if (loop) {
    throw new FsmError({
      code: "eventless-loop",
      message: `${def.id} has a loop of eventless (always) transitions: ${loop.join(" → ")}. Stepping it could run forever.`,
      hint: "Give one of these transitions an event, or a guard that cannot hold around the whole loop.",
    });
  }
  const stay = (outcome: StepOutcome, explanation: string): StepResult => ({ next: state, outcome, path: [state], explanation });
  if (!normalized.states.includes(state)) return stay("ignored", `${state} is not a state of ${def.id}, so ${event} cannot be applied.`);
  if (normalized.finals.includes(state)) return stay("ignored", `${state} is a final state: ${event} does nothing.`);
  if (event === ALWAYS) return stay("ignored", "An event needs a name.");

  const snapshot = machine.resolveState({ value: state, context: {} });
  const xevent = { type: event, payload };
  const cands = candidates(normalized, state, event);
  const enabled = machine.getTransitionData(snapshot, xevent);
  if (enabled.length > 0) {
    const path = [state, ...getMicrosteps(machine, snapshot, xevent).map(([snap]) => stateName(snap.value, state))];
    const next = path[path.length - 1] ?? state;
    const edge = cands.find((e) => !e.guard || evaluateGuard(e.guard, payload, event));
    const via = edge?.guard ? ` (guard ${describeGuard(edge.guard)} holds)` : "";
    const anyState = edge?.from === ANY_STATE ? " from any state" : "";
    const effect = edge?.description ? `: ${edge.description}` : "";
    let explanation: string;
    if (edge?.targetless) explanation = `${event} is handled in ${state} without leaving it${effect}.`;
    else if (path.length > 2) explanation = `${event} moves ${path.join(" → ")}${via}.`;
    else explanation = `${event} moves ${state} to ${next}${anyState}${via}${effect}.`;
    const result: StepResult = { next, outcome: "taken", path: edge?.targetless ? [state] : path, explanation };
    if (edge) result.edge = edge;
    return result;
  }
  const blocked = cands.find((e) => e.guard);
  if (blocked?.guard) {
    const g = blocked.guard;
    return {
      ...stay("guard-blocked", `${event} in ${state} would go to ${blocked.to}, but guard ${describeGuard(g)} does not hold for payload ${JSON.stringify(payload)}.`),
      guard: { name: g.name, type: g.type, params: g.params, payload },
    };
  }
  return stay("ignored", `${state} has no transition for ${event}: nothing happens.`);
}
