import type { Json } from "./definition";
import type { GuardSpec } from "./normalize";

export type Payload = Record<string, Json>;

/**
 * How a guard is evaluated against an event's payload. Guards are data:
 * - `{ type: "payload", params: { key, equals?, in? } }` — the payload's `key` is truthy,
 *   or equals `equals`, or is one of `in`;
 * - `{ type: "not", params: { key } }` — the payload's `key` is falsy;
 * - any other name (`"sleep_eligible"`, or an SCXML cond) — the payload field of that name is truthy.
 */
export function evaluateGuard(guard: GuardSpec, payload: Payload): boolean {
  const p = guard.params;
  const key = typeof p["key"] === "string" ? p["key"] : guard.name;
  const value = payload[key];
  if (guard.type === "not") return !truthy(value);
  if ("equals" in p) return jsonEqual(value, p["equals"]);
  if (Array.isArray(p["in"])) return p["in"].some((v) => jsonEqual(value, v));
  return truthy(value);
}

function truthy(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  return true;
}

function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A readable form of a guard for explanations: `sleep_eligible`, `mode = "exit"`. */
export function describeGuard(guard: GuardSpec): string {
  const p = guard.params;
  if ("equals" in p) return `${guard.name} = ${JSON.stringify(p["equals"])}`;
  if (Array.isArray(p["in"])) return `${guard.name} in ${JSON.stringify(p["in"])}`;
  if (guard.type === "not") return `not ${guard.name}`;
  return guard.name;
}
