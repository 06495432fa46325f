/**
 * The backend's check of every call's argument, whichever transport carried it: a client may
 * send anything (null, numbers for strings, megabytes of text, `__proto__` keys), and each
 * mistake becomes a "bad-request" error naming the call and the field, never a TypeError.
 */
import type { CallArg, CallName } from "../../shared/ipc/contract";
import { FsmError } from "../../shared/errors";

/** Longest path or connection string accepted (Linux PATH_MAX). */
export const MAX_PATH_CHARS = 4096;
/** Longest id (session ids are UUIDs; profile ids are short names). */
export const MAX_ID_CHARS = 200;
/** Longest time zone name (the IANA database's longest is 32 characters). */
export const MAX_TIME_ZONE_CHARS = 64;
/** Polling interval bounds for a database session. */
export const MIN_POLL_MS = 100;
export const MAX_POLL_MS = 3_600_000;

type Field =
  | { kind: "string"; max: number; optional?: boolean }
  | { kind: "number"; min: number; max: number; optional?: boolean }
  | { kind: "boolean"; optional?: boolean }
  | { kind: "object"; optional?: boolean; check?: (v: Record<string, unknown>) => string | undefined };

const isStr = (v: unknown, max = MAX_ID_CHARS): boolean => typeof v === "string" && v.length <= max && !v.includes("\0");
const isPos = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** A replay filter: optional instance, state and event names. */
function checkFilter(v: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(v)) if (!["instance", "state", "event"].includes(k)) return `has an unknown field "${k}"`;
  for (const k of ["instance", "state", "event"]) if (v[k] !== undefined && !isStr(v[k], MAX_PATH_CHARS)) return `"${k}" must be a name`;
  return undefined;
}

/** Where to seek: {position}, {axis}, or {step, what, from, filter?}. */
function checkSeek(v: Record<string, unknown>): string | undefined {
  if ("position" in v) return isPos(v["position"]) ? undefined : `"position" must be a number ≥ 0`;
  if ("axis" in v) return isPos(v["axis"]) ? undefined : `"axis" must be a number ≥ 0`;
  if (v["step"] !== "next" && v["step"] !== "prev") return `needs "position", "axis", or "step" ("next" or "prev")`;
  if (!["observation", "transition", "anomaly"].includes(String(v["what"]))) return `"what" must be "observation", "transition" or "anomaly"`;
  if (!isPos(v["from"])) return `"from" must be a number ≥ 0`;
  const f = v["filter"];
  if (f !== undefined) {
    if (typeof f !== "object" || f === null || Array.isArray(f)) return `"filter" must be an object`;
    return checkFilter(f as Record<string, unknown>);
  }
  return undefined;
}

function checkRedact(v: Record<string, unknown>): string | undefined {
  for (const [k, x] of Object.entries(v)) {
    if (!["paths", "hosts", "sensitive"].includes(k)) return `has an unknown field "${k}"`;
    if (typeof x !== "boolean") return `"${k}" must be true or false`;
  }
  return undefined;
}

/** The largest exported diagram written (a PNG of a big machine at 2×, base64). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** Steps of a sandbox run at most (a person clicks them). */
export const MAX_SANDBOX_STEPS = 100_000;

/** A names-to-states table (a sandbox's instances at its start). */
function checkNames(v: Record<string, unknown>): string | undefined {
  const entries = Object.entries(v);
  if (entries.length > 10_000) return "has too many entries";
  for (const [k, x] of entries) if (!isStr(k, MAX_PATH_CHARS) || !isStr(x, MAX_PATH_CHARS)) return "must map names to state names";
  return undefined;
}

/** A sandbox step's shape (its meaning is checked by the writer: a step that does not follow is refused). */
function checkStep(v: Record<string, unknown>): string | undefined {
  for (const k of ["instance", "event", "from", "to", "outcome"]) if (!isStr(v[k], MAX_PATH_CHARS)) return `"${k}" must be a name`;
  if (typeof v["tsMs"] !== "number" || !Number.isFinite(v["tsMs"])) return `"tsMs" must be a number`;
  const p = v["path"];
  if (!Array.isArray(p) || p.length > 1000 || !p.every((s) => isStr(s, MAX_PATH_CHARS))) return `"path" must be a list of state names`;
  const payload = v["payload"];
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return `"payload" must be an object`;
  return undefined;
}

function checkRun(v: Record<string, unknown>): string | undefined {
  if (!isStr(v["profileId"])) return `"profileId" must be a profile id`;
  if (typeof v["startMs"] !== "number" || !Number.isFinite(v["startMs"])) return `"startMs" must be a number`;
  const initial = v["initial"];
  if (typeof initial !== "object" || initial === null || Array.isArray(initial)) return `"initial" must be an object`;
  const why = checkNames(initial as Record<string, unknown>);
  if (why) return `"initial" ${why}`;
  const steps = v["steps"];
  if (!Array.isArray(steps) || steps.length > MAX_SANDBOX_STEPS) return `"steps" must be a list of at most ${MAX_SANDBOX_STEPS} steps`;
  for (let i = 0; i < steps.length; i++) {
    const s: unknown = steps[i];
    if (typeof s !== "object" || s === null || Array.isArray(s)) return `step ${i + 1} must be an object`;
    const bad = checkStep(s as Record<string, unknown>);
    if (bad) return `step ${i + 1}: ${bad}`;
  }
  return undefined;
}

/** Each call's fields; calls absent here take no argument (whatever is sent is ignored). */
const SHAPES: { [K in CallName]?: Record<string, Field> } = {
  getSession: { sessionId: { kind: "string", max: MAX_ID_CHARS } },
  closeSession: { sessionId: { kind: "string", max: MAX_ID_CHARS } },
  openFolder: { path: { kind: "string", max: MAX_PATH_CHARS }, profileId: { kind: "string", max: MAX_ID_CHARS, optional: true } },
  openMachine: { profileId: { kind: "string", max: MAX_ID_CHARS } },
  openMachineFile: { path: { kind: "string", max: MAX_PATH_CHARS } },
  openDatabase: {
    connection: { kind: "string", max: MAX_PATH_CHARS },
    profileId: { kind: "string", max: MAX_ID_CHARS },
    intervalMs: { kind: "number", min: MIN_POLL_MS, max: MAX_POLL_MS, optional: true },
  },
  browseFolder: { path: { kind: "string", max: MAX_PATH_CHARS, optional: true } },
  getCachedLayout: { key: { kind: "string", max: MAX_PATH_CHARS } },
  setPreferences: { preferences: { kind: "object" } },
  cacheLayout: { key: { kind: "string", max: MAX_PATH_CHARS }, layout: { kind: "object" } },
  openLog: { path: { kind: "string", max: MAX_PATH_CHARS }, profileId: { kind: "string", max: MAX_ID_CHARS, optional: true }, timeZone: { kind: "string", max: MAX_TIME_ZONE_CHARS, optional: true } },
  cancelIndexing: { sessionId: { kind: "string", max: MAX_ID_CHARS } },
  replayTimeline: { sessionId: { kind: "string", max: MAX_ID_CHARS }, buckets: { kind: "number", min: 1, max: 4000 }, filter: { kind: "object", optional: true, check: checkFilter } },
  replaySeek: { sessionId: { kind: "string", max: MAX_ID_CHARS }, to: { kind: "object", check: checkSeek }, scope: { kind: "string", max: 8, optional: true } },
  replayPage: {
    sessionId: { kind: "string", max: MAX_ID_CHARS },
    from: { kind: "number", min: 0, max: Number.MAX_SAFE_INTEGER },
    count: { kind: "number", min: 0, max: 1000 },
    before: { kind: "boolean", optional: true },
    filter: { kind: "object", optional: true, check: checkFilter },
  },
  replayDetail: { sessionId: { kind: "string", max: MAX_ID_CHARS }, position: { kind: "number", min: 0, max: Number.MAX_SAFE_INTEGER } },
  pickSaveFile: { suggestedName: { kind: "string", max: 255 } },
  saveRecording: { sessionId: { kind: "string", max: MAX_ID_CHARS }, path: { kind: "string", max: MAX_PATH_CHARS }, redact: { kind: "object", optional: true, check: checkRedact } },
  exportSandbox: { run: { kind: "object", check: checkRun }, path: { kind: "string", max: MAX_PATH_CHARS } },
  startSandboxFiles: { profileId: { kind: "string", max: MAX_ID_CHARS }, initial: { kind: "object", check: checkNames }, startMs: { kind: "number", min: 0, max: 8.64e15 } },
  sandboxFilesStep: { writerId: { kind: "string", max: MAX_ID_CHARS }, step: { kind: "object", check: checkStep } },
  stopSandboxFiles: { writerId: { kind: "string", max: MAX_ID_CHARS } },
  embedSvgFonts: { svg: { kind: "string", max: MAX_EXPORT_CHARS } },
  saveExport: { path: { kind: "string", max: MAX_PATH_CHARS }, content: { kind: "string", max: MAX_EXPORT_CHARS }, encoding: { kind: "string", max: 6 } },
};

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `a string of ${v.length} characters`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v).slice(0, 40)}`;
}

function bad(call: CallName, message: string): FsmError {
  return new FsmError({ code: "bad-request", message: `${call}: ${message}`, hint: "This request did not come from the FSM Inspector UI, or the UI is out of date: reload the page." });
}

function checkField(call: CallName, name: string, f: Field, v: unknown): void {
  if (v === undefined || (v === null && f.optional)) {
    if (f.optional) return;
    throw bad(call, `"${name}" is missing.`);
  }
  if (f.kind === "object") {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(call, `"${name}" must be an object, got ${describe(v)}.`);
    const why = f.check?.(v as Record<string, unknown>);
    if (why !== undefined) throw bad(call, `"${name}" ${why}.`);
  } else if (f.kind === "boolean") {
    if (typeof v !== "boolean") throw bad(call, `"${name}" must be true or false, got ${describe(v)}.`);
  } else if (f.kind === "string") {
    if (typeof v !== "string" || v.length > f.max) throw bad(call, `"${name}" must be a string of at most ${f.max} characters, got ${describe(v)}.`);
    if (v.includes("\0")) throw bad(call, `"${name}" must not contain a NUL character.`);
  } else if (typeof v !== "number" || !Number.isFinite(v) || v < f.min || v > f.max) {
    throw bad(call, `"${name}" must be a number from ${f.min} to ${f.max}, got ${describe(v)}.`);
  }
}

/**
 * The argument of `call`, checked: a fresh plain object holding only the known fields (so no
 * inherited or extra keys reach a handler), or null for calls without an argument.
 */
export function checkArg<K extends CallName>(call: K, arg: unknown): CallArg<K> {
  const shape = SHAPES[call];
  if (!shape) return null as CallArg<K>;
  if (typeof arg !== "object" || arg === null || Array.isArray(arg)) throw bad(call, `the argument must be an object, got ${describe(arg)}.`);
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(shape)) {
    const v = Object.prototype.hasOwnProperty.call(arg, name) ? (arg as Record<string, unknown>)[name] : undefined;
    checkField(call, name, field, v);
    if (v !== undefined && v !== null) out[name] = v;
  }
  return out as CallArg<K>;
}
