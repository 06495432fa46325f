/**
 * String-keyed tables for names that come from files — states, events, instances, edges, paths.
 * "constructor", "toString" and "__proto__" are valid state names, so such tables never inherit
 * from Object.prototype: a Dict has a null prototype, and a plain object that crossed JSON is
 * rebuilt into one with `toDict` before anything reads it by a name.
 */
export type Dict<T> = { [key: string]: T };

/** An empty table, or one holding `entries` (later keys win). */
export function dict<T>(entries?: Iterable<readonly [string, T]>): Dict<T> {
  const d = Object.create(null) as Dict<T>;
  if (entries) for (const [k, v] of entries) d[k] = v;
  return d;
}

/** Whether `key` is in the table itself (never what an ordinary object inherits). */
export function has(d: Readonly<Dict<unknown>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(d, key);
}

/** The value under `key`, or undefined — also for ordinary objects, which inherit names. */
export function get<T>(d: Readonly<Dict<T>>, key: string): T | undefined {
  return has(d, key) ? d[key] : undefined;
}

/** A copy with `key` set to `value`. */
export function withEntry<T>(d: Readonly<Dict<T>>, key: string, value: T): Dict<T> {
  const out = toDict(d);
  out[key] = value;
  return out;
}

/** A copy without `key`. */
export function without<T>(d: Readonly<Dict<T>>, key: string): Dict<T> {
  const out = toDict(d);
  delete out[key];
  return out;
}

/** A null-prototype copy of any object's own enumerable entries (e.g. one that came through JSON). */
export function toDict<T>(obj: Readonly<Dict<T>> | null | undefined): Dict<T> {
  const out = Object.create(null) as Dict<T>;
  if (obj) for (const k of Object.keys(obj)) out[k] = (obj as Dict<T>)[k] as T;
  return out;
}
