/**
 * Questions a sandbox asks of a machine, answered with step() (XState's own transition functions):
 * what each event would do from here, which payload fields an event's guards and actions read,
 * and the shortest sequence of events that reaches a state. Pure.
 */
import type { Json, MachineDefinition } from "./definition";
import type { Payload } from "./guards";
import { satisfyingValues } from "./guards";
import { payloadKeysOf } from "./actions";
import { normalize, type NormalizedMachine } from "./normalize";
import { chartStepResult, step, type StepResult } from "./step";
import { sendChart, type ChartRun } from "./chart-step";

/** What an event would do from a state, in the palette's order of usefulness. */
export interface EventPreview {
  event: string;
  /** "moves" (to another state), "stays" (handled without leaving: it may change what is remembered), "blocked" (a guard), "ignored". */
  effect: "moves" | "stays" | "blocked" | "ignored";
  result: StepResult;
}

const RANK: Record<EventPreview["effect"], number> = { moves: 0, stays: 1, blocked: 2, ignored: 3 };

/** Every event of the machine, tried from `state` with `context` and an empty payload (or the one given per event). */
export function previewEvents(def: MachineDefinition, state: string, context: Readonly<Record<string, Json>>, payloads: ReadonlyMap<string, Payload> = new Map(), run?: ChartRun): EventPreview[] {
  const m = normalize(def);
  const chart = m.chart;
  const out = m.events.map((event): EventPreview => {
    // A statechart's run knows what its history states remember: a preview from it is exact.
    const result = chart && run ? chartStepResult(chart, sendChart(def, run, event, payloads.get(event) ?? {}), state) : step(def, state, event, payloads.get(event) ?? {}, context);
    const effect = result.outcome === "guard-blocked" ? "blocked" : result.outcome === "ignored" ? "ignored" : result.next !== state || result.path.length > 1 ? "moves" : "stays";
    return { event, effect, result };
  });
  return out.sort((a, b) => RANK[a.effect] - RANK[b.effect]);
}

/** A payload field an event reads: from a guard (the values that make it hold) or an action (the values it maps). */
export interface PayloadField {
  key: string;
  /** Values worth offering; empty when any value goes. */
  values: Json[];
  /** Why it matters: "guard sleep_eligible", "sets status". */
  usedBy: string;
}

/** The payload fields `event`'s transitions read, for a payload editor's suggestions. */
export function payloadFields(def: MachineDefinition, event: string): PayloadField[] {
  const m = normalize(def);
  const byKey = new Map<string, PayloadField>();
  const add = (key: string, values: Json[], usedBy: string): void => {
    const f = byKey.get(key);
    if (!f) byKey.set(key, { key, values: [...values], usedBy });
    else for (const v of values) if (!f.values.some((x) => JSON.stringify(x) === JSON.stringify(v))) f.values.push(v);
  };
  const events = new Set([event]);
  for (const e of m.edges) {
    // Eventless transitions whose guard lets this event through read its payload too.
    const eventGuard = e.guard?.type === "event" && Array.isArray(e.guard.params["in"]) && e.guard.params["in"].includes(event);
    if (!events.has(e.event) && !eventGuard) continue;
    if (e.guard && e.guard.params["of"] !== "context") {
      const key = typeof e.guard.params["key"] === "string" ? e.guard.params["key"] : e.guard.type === "event" ? undefined : e.guard.name;
      if (key !== undefined) add(key, satisfyingValues(e.guard), `guard ${e.guard.name}`);
    }
    for (const a of e.actions ?? []) for (const f of payloadKeysOf(a)) add(f.key, f.values, `sets ${Object.keys(a.params).join(", ")}`);
  }
  return [...byKey.values()];
}

/** Payloads worth trying for an event when searching: none, and each suggested value of each field alone. */
export function payloadVariants(def: MachineDefinition, event: string): Payload[] {
  const out: Payload[] = [{}];
  for (const f of payloadFields(def, event)) for (const v of f.values) out.push({ [f.key]: v });
  return out;
}

export interface PathStep {
  event: string;
  payload: Payload;
  from: string;
  to: string;
}

/**
 * The shortest sequence of events from `state` (remembering `context`) that reaches `target` (the
 * last step may pass through it, when eventless transitions go on from there):
 * a breadth-first search over (state, context) pairs, each move one step(). Undefined when the
 * target cannot be reached; [] when already there. Searches at most `limit` pairs.
 */
export function shortestPath(def: MachineDefinition, state: string, context: Readonly<Record<string, Json>>, target: string, limit = 20_000): PathStep[] | undefined {
  if (state === target) return [];
  const m: NormalizedMachine = normalize(def);
  const moves = m.events.flatMap((event) => payloadVariants(def, event).map((payload) => ({ event, payload })));
  const key = (s: string, c: Readonly<Record<string, Json>>): string => `${s}\u0000${JSON.stringify(Object.entries(c))}`;
  const seen = new Set([key(state, context)]);
  const queue: { state: string; context: Readonly<Record<string, Json>>; path: PathStep[] }[] = [{ state, context, path: [] }];
  for (let head = 0; head < queue.length && seen.size < limit; head++) {
    const at = queue[head] as (typeof queue)[number];
    for (const { event, payload } of moves) {
      const r = step(def, at.state, event, payload, at.context);
      if (r.outcome !== "taken") continue;
      const k = key(r.next, r.context);
      if (seen.has(k)) continue;
      seen.add(k);
      const path = [...at.path, { event, payload, from: at.state, to: r.next }];
      // Reached, or passed through on the way (eventless transitions do not stop there).
      if (r.path.includes(target)) return path;
      queue.push({ state: r.next, context: r.context, path });
    }
  }
  return undefined;
}
