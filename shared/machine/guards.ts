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
 */
export function evaluateGuard(guard: GuardSpec, payload: Payload, eventType?: string): boolean {
  const p = guard.params;
  if (guard.type === "event") {
    const allowed = Array.isArray(p["in"]) ? p["in"] : [];
    if (eventType === undefined || !allowed.includes(eventType)) return false;
    if (typeof p["key"] !== "string") return true;
    return testValue(get(payload, p["key"]), get(p, "equals"), undefined);
  }
  const key = typeof p["key"] === "string" ? p["key"] : guard.name;
  if (guard.type === "not") return !truthy(get(payload, key));
  const oneOf = get(p, "in");
  return testValue(get(payload, key), get(p, "equals"), Array.isArray(oneOf) ? oneOf : undefined);
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
  if (guard.type === "event") {
    const events = Array.isArray(p["in"]) ? p["in"].join(" | ") : "?";
    return typeof p["key"] === "string" ? `${events} with ${p["key"]}` : `on ${events}`;
  }
  if (Object.hasOwn(p, "equals")) return `${guard.name} = ${JSON.stringify(p["equals"])}`;
  if (Array.isArray(p["in"])) return `${guard.name} in ${JSON.stringify(p["in"])}`;
  if (guard.type === "not") return `not ${guard.name}`;
  return guard.name;
}
