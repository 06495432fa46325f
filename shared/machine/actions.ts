/**
 * Actions as data, like guards: what a machine remembers between events (XState's context) is set
 * by `assign` actions written in the profile, so step, the sandbox, check and live read one
 * definition. Pure.
 *
 * `{ "type": "assign", "params": { KEY: VALUE, ... } }` sets each KEY of the context. A VALUE is
 * JSON written as is (`true`, `"OFFLINE"`, `3`), or an object that computes it:
 * - `{ "payload": "field" }` — the event payload's field;
 * - `{ "payload": "field", "map": { "exit": "OFFLINE" }, "default": "LEASE_READY" }` — the field's
 *   value looked up in `map` (`default` when it is not there; nothing is set without a default);
 * - `{ "context": "key" }` — another key of the context (as it was before this action);
 * - `{ "value": { ... } }` — an object (or any JSON) written as is.
 */
import type { ActionRef, Json } from "./definition";
import { dict, get, type Dict } from "../dict";

/** What a machine remembers: a null-prototype table (its keys come from files). */
export type Context = Dict<Json>;

export interface ActionSpec {
  type: string;
  params: Record<string, Json>;
}

/** One key set by a step: its value before and after (`from` undefined: it was not set). */
export interface Assignment {
  key: string;
  from?: Json;
  to: Json;
}

export function actionSpecs(ref: ActionRef | readonly ActionRef[] | undefined): ActionSpec[] {
  if (ref === undefined) return [];
  const list: readonly ActionRef[] = Array.isArray(ref) ? ref : [ref as ActionRef];
  return list.map((a) => (typeof a === "string" ? { type: a, params: {} } : { type: a.type, params: a.params ?? {} }));
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** The way a VALUE computes, or undefined for a JSON value written as is. */
function expressionOf(v: Json): "payload" | "context" | "value" | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v["payload"] === "string") return "payload";
  if (typeof v["context"] === "string") return "context";
  if (Object.hasOwn(v, "value")) return "value";
  return undefined;
}

/** A VALUE's value for this event, or undefined when it sets nothing. */
export function valueOf(v: Json, context: Context, payload: Readonly<Record<string, Json>>): Json | undefined {
  const how = expressionOf(v);
  if (how === undefined || !isObject(v)) return v;
  if (how === "value") return get(v, "value");
  const raw = how === "payload" ? get(payload, v["payload"] as string) : get(context, v["context"] as string);
  const map = get(v, "map");
  const fallback = get(v, "default");
  if (isObject(map)) return typeof raw === "string" && Object.hasOwn(map, raw) ? map[raw] : fallback;
  return raw ?? fallback;
}

/** Runs one action on a context (a copy: the one given is not changed); records what it set. */
export function runAction(action: ActionSpec, context: Context, payload: Readonly<Record<string, Json>>, out: Assignment[]): Context {
  if (action.type !== "assign") return context;
  const next = dict<Json>(Object.entries(context));
  for (const [key, v] of Object.entries(action.params)) {
    const value = valueOf(v, context, payload);
    if (value === undefined) continue;
    const a: Assignment = { key, to: value };
    if (Object.hasOwn(context, key)) a.from = context[key] as Json;
    out.push(a);
    next[key] = value;
  }
  return next;
}

/** A readable form: `endRequested := true`, `status := onFailure → {exit: "OFFLINE"}`. */
export function describeAction(action: ActionSpec): string {
  if (action.type !== "assign") return action.type;
  return Object.entries(action.params)
    .map(([key, v]) => {
      const how = expressionOf(v);
      if (how === undefined || !isObject(v)) return `${key} := ${JSON.stringify(v)}`;
      if (how === "value") return `${key} := ${JSON.stringify(v["value"])}`;
      const src = how === "payload" ? `payload ${String(v["payload"])}` : `context ${String(v["context"])}`;
      const map = isObject(v["map"]) ? ` → ${JSON.stringify(v["map"])}` : "";
      const dflt = Object.hasOwn(v, "default") ? ` (else ${JSON.stringify(v["default"])})` : "";
      return `${key} := ${src}${map}${dflt}`;
    })
    .join(", ");
}

/** The payload fields an action reads (suggested in a payload editor). */
export function payloadKeysOf(action: ActionSpec): { key: string; values: Json[] }[] {
  const out: { key: string; values: Json[] }[] = [];
  for (const v of Object.values(action.params)) {
    if (expressionOf(v) !== "payload" || !isObject(v)) continue;
    const map = v["map"];
    out.push({ key: v["payload"] as string, values: isObject(map) ? Object.keys(map) : [] });
  }
  return out;
}

/** A problem with an action as written (for validation), or undefined. */
export function actionProblem(a: unknown): { message: string; hint: string } | undefined {
  const how = 'Write { "type": "assign", "params": { "key": VALUE } }.';
  if (typeof a === "string") return a.trim() === "" ? { message: "the action's name is empty", hint: how } : undefined;
  if (!isObject(a as Json) || typeof (a as Record<string, unknown>)["type"] !== "string") return { message: "an action must be a name or an object { \"type\": ..., \"params\": {...} }", hint: how };
  const r = a as Record<string, Json>;
  const params = r["params"];
  if (params !== undefined && !isObject(params)) return { message: "the action's \"params\" must be an object", hint: how };
  if (r["type"] !== "assign") return undefined;
  if (!isObject(params) || Object.keys(params).length === 0) return { message: "an assign action needs \"params\": the context keys it sets", hint: how };
  for (const [key, v] of Object.entries(params)) {
    if (!isObject(v)) continue;
    if (expressionOf(v) === undefined) return { message: `the value of "${key}" is an object, but not one that computes a value ({ "payload": ... }, { "context": ... } or { "value": ... })`, hint: `Write { "value": ${JSON.stringify(v)} } to set the object as is.` };
    if (v["map"] !== undefined && !isObject(v["map"])) return { message: `the "map" of "${key}" must be an object from values to values`, hint: 'Write "map": { "exit": "OFFLINE" }.' };
  }
  return undefined;
}

/** `key false → true, status "AVAILABLE" → "LEASE_READY"`. */
export function describeAssignments(list: readonly Assignment[]): string {
  return list.map((a) => `${a.key} ${a.from === undefined ? "" : `${JSON.stringify(a.from)} → `}${JSON.stringify(a.to)}`).join(", ");
}
