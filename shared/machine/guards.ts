import type { Json } from "./definition";
import { get } from "../dict";
import type { GuardSpec } from "./normalize";

export type Payload = Record<string, Json>;

/**
 * How a guard is evaluated. Guards are data, so profiles stay pure JSON:
 * - `{ type: "payload", params: { key, equals?, in? } }` — the payload's `key` is truthy, or equals
 *   `equals`, or is one of `in`;
 * - `{ type: "not", params: { key } }` — the payload's `key` is falsy;
 * - `{ type: "event", params: { in: [...], key?, equals? } }` — the event being processed is one of
 *   `in` (and, with `key`, the payload test above holds); used on eventless (`always`) transitions
 *   that continue a step, like jumpstarter's hook completion;
 * - any other name (`"sleep_eligible"`, an SCXML cond) — the payload field of that name is truthy.
 * With `"of": "context"` in params, `key` is read from what the machine remembers (its context,
 * set by assign actions: actions.ts) instead of the event's payload.
 */
export function evaluateGuard(guard: GuardSpec, payload: Payload, eventType?: string, context: Readonly<Record<string, Json>> = {}): boolean {
  const p = guard.params;
  const source = readsContext(guard) ? context : payload;
  if (guard.type === "event") {
    const allowed = Array.isArray(p["in"]) ? p["in"] : [];
    if (eventType === undefined || !allowed.includes(eventType)) return false;
    if (typeof p["key"] !== "string") return true;
    return testValue(get(source, p["key"]), get(p, "equals"), undefined);
  }
  const key = typeof p["key"] === "string" ? p["key"] : guard.name;
  if (guard.type === "not") return !truthy(get(source, key));
  const oneOf = get(p, "in");
  return testValue(get(source, key), get(p, "equals"), Array.isArray(oneOf) ? oneOf : undefined);
}

/** Whether a guard tests the machine's context rather than the event's payload. */
export function readsContext(guard: GuardSpec): boolean {
  return guard.params["of"] === "context";
}

/** Payloads that make a payload guard hold: true for a truthy test, each value it compares with. */
export function satisfyingValues(guard: GuardSpec): Json[] {
  const p = guard.params;
  if (readsContext(guard)) return [];
  if (guard.type === "not") return [false];
  if (Object.hasOwn(p, "equals")) return [p["equals"] as Json];
  if (Array.isArray(p["in"]) && guard.type !== "event") return p["in"];
  if (guard.type === "event" && typeof p["key"] !== "string") return [];
  return [true];
}

/** `equals` when given, else one of `oneOf` when given, else truthy. */
function testValue(value: Json | undefined, equals: Json | undefined, oneOf: Json[] | undefined): boolean {
  if (equals !== undefined) return jsonEqual(value, equals);
  if (oneOf) return oneOf.some((v) => jsonEqual(value, v));
  return truthy(value);
}

function truthy(v: Json | undefined): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === "");
}

function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A readable form of a guard: `sleep_eligible`, `onFailure = "exit"`, `after the hook events`. */
export function describeGuard(guard: GuardSpec): string {
  const p = guard.params;
  const name = readsContext(guard) ? `${guard.name} (remembered)` : guard.name;
  if (guard.type === "event") {
    const events = Array.isArray(p["in"]) ? p["in"].join(" | ") : "?";
    return typeof p["key"] === "string" ? `${events} with ${name}` : `on ${events}`;
  }
  if (Object.hasOwn(p, "equals")) return `${name} = ${JSON.stringify(p["equals"])}`;
  if (Array.isArray(p["in"])) return `${name} in ${JSON.stringify(p["in"])}`;
  if (guard.type === "not") return `not ${name}`;
  return name;
}
