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
  /** Target state name (XState also accepts ".NAME" or "#id.NAME"); several for parallel regions. Absent = targetless. */
  target?: string | string[];
  /** Exit and re-enter the source even when the target is inside it (XState v5's reenter; SCXML's external transitions). */
  reenter?: boolean;
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
  /** "compound" is implied by `states`; "parallel" runs every child (a region) at once; "history" remembers a parent's last children. */
  type?: "atomic" | "compound" | "parallel" | "final" | "history";
  /** Child states (a compound or parallel state). */
  states?: Record<string, StateDef>;
  /** A compound state's initial child (its key). */
  initial?: string;
  /** A history state's depth (default shallow). */
  history?: "shallow" | "deep";
  /** A history state's default target, when the parent has no history yet. */
  target?: string | string[];
  /** A custom id, for targets written `#id`. */
  id?: string;
  on?: Record<string, TransitionsDef>;
  /** Eventless transitions, checked right after entering the state (their guards see the event that led here). */
  always?: TransitionsDef;
  /** Delayed transitions by delay in milliseconds: taken when the state has been active that long (on a virtual clock). */
  after?: Record<string, TransitionsDef>;
  /** Taken when the state is done (a final child reached; every region of a parallel state final). */
  onDone?: TransitionsDef;
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
  /**
   * "scxml": event names in `on` are SCXML event descriptors (`t` matches `t`, `t.x` and `t.x.y`; `*`
   * matches any event) and a state's transitions are tried in document order (`documentOrder` on
   * each transition), as the SCXML file said. Absent: XState's own matching.
   */
  eventMatching?: "scxml";
  [key: string]: unknown;
}
