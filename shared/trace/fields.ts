import type { Json } from "../machine/definition";
import { get } from "../dict";

export type JsonObject = { [key: string]: Json };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Read a dotted path ("pending_op.since") from a JSON value; undefined when any step is missing (own members only: "constructor" is not in every object). */
export function getPath(obj: Json | undefined, path: string): Json | undefined {
  // Most paths are one field ("ts", "from"): no split, no array.
  if (!path.includes(".")) return isJsonObject(obj) ? own(obj, path) : undefined;
  let cur: Json | undefined = obj;
  for (const part of path.split(".")) {
    if (!isJsonObject(cur)) return undefined;
    cur = own(cur, part);
  }
  return cur;
}

/**
 * A JSON object's own member. What an object inherits is a function (Object.prototype's methods)
 * or, under "__proto__", Object.prototype itself — never a JSON value: only those cases need the
 * slower own-property check.
 */
function own(obj: JsonObject, key: string): Json | undefined {
  const v = (obj as Record<string, unknown>)[key];
  if (typeof v === "function") return undefined;
  if (key === "__proto__") return get(obj, key);
  return v as Json | undefined;
}

export function getString(obj: Json | undefined, path: string): string | undefined {
  const v = getPath(obj, path);
  return typeof v === "string" ? v : undefined;
}
