/**
 * The canonical machine format: an XState v5 machine config as plain JSON,
 * so a machine drawn in Stately Studio imports as is.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * An action as data: `{ "type": "assign", "params": { "endRequested": true } }` sets what the
 * machine remembers (its context). See actions.ts for the values an assign can compute.
 */
export type ActionRef = string | { type: string; params?: Record<string, Json> };

/** A named guard, optionally with params: `{ "type": "payload", "params": { "key": "sleep_eligible" } }`. */
export type GuardRef = string | { type: string; params?: Record<string, Json> };

export interface TransitionDef {
  /** Target state name (XState also accepts ".NAME" or "#id.NAME"). Absent = targetless. */
  target?: string | string[];
  guard?: GuardRef;
  /** Run when the transition is taken, in order: assign actions set the machine's context. */
  actions?: ActionRef | ActionRef[];
  description?: string;
  meta?: Record<string, Json>;
  /** Any XState key we do not interpret (actions, reenter ...) is kept. */
  [key: string]: unknown;
}

export type TransitionsDef = string | TransitionDef | ReadonlyArray<string | TransitionDef>;

export interface StateDef {
  type?: "atomic" | "final";
  on?: Record<string, TransitionsDef>;
  /** Eventless transitions, checked right after entering the state (their guards see the event that led here). */
  always?: TransitionsDef;
  description?: string;
  meta?: Record<string, Json>;
  [key: string]: unknown;
}

export interface MachineDefinition {
  id: string;
  initial: string;
  description?: string;
  states: Record<string, StateDef>;
  /** What the machine remembers between events, and its values at the start (XState's context). */
  context?: Record<string, Json>;
  /** Root-level transitions: taken from any state. */
  on?: Record<string, TransitionsDef>;
  [key: string]: unknown;
}
