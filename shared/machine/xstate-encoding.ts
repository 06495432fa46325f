/**
 * How our machines are handed to XState: names encoded so that no name from a file is read as
 * syntax, guards and assign actions written as data evaluated by our own functions.
 */
import { assign } from "xstate";
import type { Json } from "./definition";
import { evaluateGuard, type Payload } from "./guards";
import { runAction, type ActionSpec, type Assignment, type Context } from "./actions";
import { dict } from "../dict";
import type { Edge, GuardSpec } from "./normalize";

/**
 * Names as XState sees them. XState keeps states, events and guards in plain objects and reads
 * `*` and `foo.*` as wildcards, so every name from a file is written `$` + the name with `%`, `.`
 * and `*` escaped: "__proto__", "constructor" or "*" are then ordinary keys.
 */
export const enc = (name: string): string => `$${name.replace(/%/g, "%25").replace(/\./g, "%2E").replace(/\*/g, "%2A")}`;
export const dec = (key: string): string => key.slice(1).replace(/%2A/g, "*").replace(/%2E/g, ".").replace(/%25/g, "%");

export type XContext = Record<string, Json>;
export type GuardImpl = (args: { context: XContext; event: { type: string; payload?: Payload } }, params: unknown) => boolean;
export interface XTransition {
  target?: string | string[];
  guard?: { type: string; params: GuardSpec["params"] };
  actions?: { type: string; params: { action: ActionSpec } }[];
}

/** Context as XState holds it (keys encoded like names: "__proto__" is a key like any other), and back. */
export function encodeContext(c: Readonly<Record<string, Json>>): XContext {
  const out: XContext = {};
  for (const [k, v] of Object.entries(c)) out[enc(k)] = v;
  return out;
}

export function decodeContext(x: XContext): Context {
  return dict(Object.entries(x).map(([k, v]) => [dec(k), v] as const));
}

/** Assignments made while one step runs (XState runs assign actions inside its pure transition functions). */
let recording: Assignment[] | undefined;

/** The one action implementation: an assign written as data (actions.ts), run on the decoded context. */
export const runAssign = assign(({ context, event }: { context: XContext; event: { type: string; payload?: Payload } }, params: { action: ActionSpec }) => {
  const out: Assignment[] = [];
  const next = runAction(params.action, decodeContext(context), event.payload ?? {}, out);
  recording?.push(...out);
  return encodeContext(next);
});


/** Record the assignments made while `run` runs (XState runs assign actions inside its pure transition functions). */
export function recordAssignments<T>(run: () => T): { result: T; assignments: Assignment[] } {
  const assignments: Assignment[] = [];
  recording = assignments;
  try {
    return { result: run(), assignments };
  } finally {
    recording = undefined;
  }
}

/** An edge's guard and actions as XState reads them (the guard's implementation added to `guards`); the target is the caller's. */
export function xTransition(e: Edge, guards: Record<string, GuardImpl>): XTransition {
  const t: XTransition = {};
  if (e.guard) {
    const g = e.guard;
    t.guard = { type: enc(g.type), params: g.params };
    guards[enc(g.type)] ??= ({ context, event }, params) => evaluateGuard({ ...g, params: (params as GuardSpec["params"] | undefined) ?? {} }, event.payload ?? {}, dec(event.type), decodeContext(context));
  }
  if (e.actions) t.actions = e.actions.map((action) => ({ type: "run", params: { action } }));
  return t;
}
