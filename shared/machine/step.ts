import { createMachine, transition, type AnyStateMachine } from "xstate";
import type { MachineDefinition } from "./definition";
import { evaluateGuard, describeGuard, type Payload } from "./guards";
import { ANY_STATE, normalize, type Edge, type GuardSpec, type NormalizedMachine } from "./normalize";

export type StepOutcome = "taken" | "ignored" | "guard-blocked";

export interface StepResult {
  /** The state after the event (the same state unless outcome is "taken"). */
  next: string;
  outcome: StepOutcome;
  /** The declared transition that was taken. */
  edge?: Edge;
  /** The guard that blocked the event, with the payload it saw. */
  guard?: { name: string; type: string; params: GuardSpec["params"]; payload: Payload };
  /** One sentence for people. */
  explanation: string;
}

interface Compiled {
  machine: AnyStateMachine;
  normalized: NormalizedMachine;
}

const cache = new WeakMap<MachineDefinition, Compiled>();

/** Compile once per definition object: XState machine with our data guards supplied. */
export function compile(def: MachineDefinition): Compiled {
  const hit = cache.get(def);
  if (hit) return hit;
  const normalized = normalize(def);
  const guards: Record<string, (args: { event: { payload?: Payload } }, params: unknown) => boolean> = {};
  for (const e of normalized.edges) {
    const g = e.guard;
    if (!g || guards[g.type]) continue;
    guards[g.type] = ({ event }, params) =>
      evaluateGuard({ ...g, params: (params as GuardSpec["params"] | undefined) ?? {} }, event.payload ?? {});
  }
  // The definition is plain JSON checked by validate(); XState's config type is far wider than ours.
  const machine = createMachine(def as Parameters<typeof createMachine>[0]).provide({ guards } as never);
  const compiled = { machine, normalized };
  cache.set(def, compiled);
  return compiled;
}

/** Transitions for `event` that may leave `state`, in the order XState tries them (the state's own first, then root-level). */
export function candidates(m: NormalizedMachine, state: string, event: string): Edge[] {
  if (m.finals.includes(state)) return [];
  const own = m.edges.filter((e) => e.from === state && e.event === event);
  const root = m.edges.filter((e) => e.from === ANY_STATE && e.event === event);
  return [...own, ...root];
}

/**
 * Pure step: where does `event` (with `payload`) take the machine from `state`?
 * No clock, no I/O; XState's own pure `transition()` decides.
 */
export function step(def: MachineDefinition, state: string, event: string, payload: Payload = {}): StepResult {
  const { machine, normalized } = compile(def);
  if (!normalized.states.includes(state)) {
    return { next: state, outcome: "ignored", explanation: `${state} is not a state of ${def.id}, so ${event} cannot be applied.` };
  }
  if (normalized.finals.includes(state)) {
    return { next: state, outcome: "ignored", explanation: `${state} is a final state: ${event} does nothing.` };
  }
  const snapshot = machine.resolveState({ value: state, context: {} });
  const xevent = { type: event, payload };
  const enabled = machine.getTransitionData(snapshot, xevent);
  const cands = candidates(normalized, state, event);
  if (enabled.length > 0) {
    const [nextSnap] = transition(machine, snapshot, xevent);
    const next = typeof nextSnap.value === "string" ? nextSnap.value : state;
    const edge = cands.find((e) => !e.guard || evaluateGuard(e.guard, payload));
    const via = edge?.guard ? ` (guard ${describeGuard(edge.guard)} passed)` : "";
    const kind = edge?.from === ANY_STATE ? " from any state" : "";
    const explanation = edge?.targetless
      ? `${event} is handled in ${state} without leaving it${via}.`
      : `${event} moves ${state} to ${next}${kind}${via}.`;
    const result: StepResult = { next, outcome: "taken", explanation };
    if (edge) result.edge = edge;
    return result;
  }
  const blocked = cands.find((e) => e.guard);
  if (blocked?.guard) {
    const g = blocked.guard;
    return {
      next: state,
      outcome: "guard-blocked",
      guard: { name: g.name, type: g.type, params: g.params, payload },
      explanation: `${event} in ${state} would go to ${blocked.to}, but guard ${describeGuard(g)} is false for payload ${JSON.stringify(payload)}.`,
    };
  }
  return { next: state, outcome: "ignored", explanation: `${state} has no transition for ${event}: nothing happens.` };
}
