import type { GuardRef } from "../definition";

export const SCXML_NS = "http://www.w3.org/2005/07/scxml";
/** Our extension attributes (`fsm:guard`, `fsm:description`, `fsm:meta`) keep what SCXML cannot say. */
export const FSM_NS = "https://fsm-inspector.dev/scxml";

const KEY = /^(?:_event\.data\.)?([A-Za-z_$][\w$]*)$/;

/**
 * An SCXML `cond` as a guard: `x` or `_event.data.x` tests the payload field x, `!x` or `not x`
 * its negation; any other expression becomes a guard named by its text (a payload flag of that name).
 */
export function guardFromCond(cond: string): GuardRef {
  const c = cond.trim();
  const negated = /^(?:!\s*|not\s+)(.+)$/.exec(c)?.[1];
  const negatedKey = negated === undefined ? undefined : KEY.exec(negated.trim())?.[1];
  if (negatedKey !== undefined) return { type: "not", params: { key: negatedKey } };
  const key = KEY.exec(c)?.[1];
  if (key !== undefined) return { type: "payload", params: { key } };
  return c;
}

/** A readable `cond` for a guard (ECMAScript-style, over `_event`). */
export function condFromGuard(guard: GuardRef): string {
  if (typeof guard === "string") return guard;
  const p = guard.params ?? {};
  const key = typeof p["key"] === "string" ? p["key"] : undefined;
  const field = key === undefined ? "" : KEY.test(key) ? `_event.data.${key}` : `_event.data[${JSON.stringify(key)}]`;
  if ((guard.type === "payload" || guard.type === "not") && key !== undefined) {
    if (Object.hasOwn(p, "equals")) return `${guard.type === "not" ? "!" : ""}(${field} === ${JSON.stringify(p["equals"])})`;
    if (Array.isArray(p["in"])) return `${JSON.stringify(p["in"])}.includes(${field})`;
    if (!KEY.test(key)) return guard.type === "not" ? `!${field}` : field;
    return guard.type === "not" ? `!${key}` : key;
  }
  if (guard.type === "event" && Array.isArray(p["in"])) {
    const names = p["in"].map((e) => `_event.name === ${JSON.stringify(e)}`).join(" || ");
    return key === undefined ? names : `(${names}) && ${field}`;
  }
  return Object.keys(p).length === 0 ? guard.type : `${guard.type}(${JSON.stringify(p)})`;
}

/** Does `cond` alone read back as exactly this guard (so no `fsm:guard` is needed)? */
export function condRoundTrips(guard: GuardRef, cond: string): boolean {
  return JSON.stringify(guardFromCond(cond)) === JSON.stringify(guard);
}
