import type { MachineDefinition } from "../machine/definition";
import { DiagnosticList, describeValue, didYouMean, hasErrors, isRecord, pointer, type Diagnostic, type Locate } from "../machine/diagnostics";
import { parseDocument } from "../machine/document";
import { importScxml } from "../machine/formats/scxml";
import { importXState } from "../machine/formats/xstate-json";
import { validateMachine } from "../machine/validate";
import { checkRegex } from "./check-regex";
import { has } from "../dict";
import { parseGlob } from "./glob";
import type { Profile, SourceSpec } from "./profile";
import { isValidTimeZone, knownTimeZones } from "../time-zones";

/** Most sources a profile may list (the built-in ones have at most 7). */
export const MAX_SOURCES = 64;

export interface LoadContext {
  file: string;
  locate?: Locate;
}

export interface ProfileResult {
  /** Present only when there is no error. */
  profile?: Profile;
  diagnostics: Diagnostic[];
}

/** One field of a profile object and what it must hold. */
interface Rule {
  key: string;
  kind: "string" | "strings" | "number" | "path" | "glob" | "regex" | "object" | "array";
  required?: boolean;
  /** Allowed values of a string. */
  values?: readonly string[];
  /** Named groups a regex must capture. */
  groups?: readonly string[];
}

const TOP: readonly Rule[] = [
  { key: "id", kind: "string", required: true },
  { key: "title", kind: "string", required: true },
  { key: "description", kind: "string", required: true },
  { key: "machine", kind: "object", required: true },
  { key: "detect", kind: "object", required: true },
  { key: "instances", kind: "object", required: true },
  { key: "sources", kind: "array", required: true },
  { key: "warnings", kind: "object" },
  { key: "gapAfterMs", kind: "number" },
  { key: "timeZone", kind: "string" },
  { key: "sensitiveFields", kind: "strings" },
];

const DETECT: readonly Rule[] = [
  { key: "roots", kind: "strings", required: true },
  { key: "anyOf", kind: "strings", required: true },
];

const INSTANCES: Record<string, readonly Rule[]> = {
  single: [{ key: "id", kind: "string", required: true }],
  keyed: [{ key: "label", kind: "string", required: true }],
  "per-run": [
    { key: "label", kind: "string", required: true },
    { key: "fallbackId", kind: "string", required: true },
  ],
};

const WARNINGS: readonly Rule[] = [
  { key: "pendingState", kind: "string" },
  { key: "pendingAfterMs", kind: "number" },
  { key: "pendingHint", kind: "string" },
  { key: "disagreeGraceMs", kind: "number" },
];

const MEANING: Rule = { key: "meaning", kind: "string" };

const SOURCES: Record<SourceSpec["kind"], readonly Rule[]> = {
  "state-file": [
    { key: "path", kind: "path", required: true },
    { key: "snapshotGlob", kind: "glob" },
    { key: "state", kind: "string" },
    { key: "since", kind: "string" },
    { key: "records", kind: "object" },
    { key: "show", kind: "strings" },
  ],
  "jsonl-log": [
    { key: "glob", kind: "glob", required: true },
    { key: "kindField", kind: "string", required: true },
    { key: "transitionKind", kind: "string", required: true },
    { key: "from", kind: "string", required: true },
    { key: "to", kind: "string", required: true },
    { key: "event", kind: "string" },
    { key: "ts", kind: "string", required: true },
    { key: "instance", kind: "string" },
  ],
  "text-log": [
    { key: "glob", kind: "glob", required: true },
    { key: "transitionRegex", kind: "regex", required: true, groups: ["from", "to"] },
    { key: "instanceStartRegex", kind: "regex", groups: ["id"] },
    { key: "restartRegex", kind: "regex" },
    { key: "tsPatterns", kind: "array" },
    { key: "lineRegex", kind: "regex" },
  ],
  lock: [{ key: "path", kind: "path", required: true }, { key: "lockType", kind: "string", required: true, values: ["flock", "posix"] }, MEANING],
  pidfile: [{ key: "path", kind: "path", required: true }, { key: "pidField", kind: "string", required: true }, MEANING],
  signal: [{ key: "glob", kind: "glob", required: true }, { key: "staleAfterMs", kind: "number" }, MEANING],
  table: [
    { key: "table", kind: "string", required: true },
    { key: "key", kind: "string", required: true },
    { key: "state", kind: "string", required: true },
    { key: "owner", kind: "string" },
    { key: "show", kind: "strings" },
    { key: "epoch", kind: "string" },
    { key: "updatedAt", kind: "string" },
    { key: "dumpGlob", kind: "glob" },
    { key: "runtimeSchemaSuffix", kind: "string" },
    { key: "databaseHint", kind: "string" },
    { key: "missingTableHint", kind: "string" },
  ],
};

const RECORDS: readonly Rule[] = [
  { key: "array", kind: "string", required: true },
  { key: "key", kind: "string", required: true },
  { key: "state", kind: "string", required: true },
  { key: "whenMissing", kind: "string", required: true },
  { key: "absent", kind: "string", required: true },
  { key: "since", kind: "string" },
];

const TS_PATTERN: readonly Rule[] = [
  { key: "regex", kind: "regex", required: true, groups: ["ts"] },
  { key: "format", kind: "string", required: true, values: ["iso", "rich", "syslog"] },
];

/**
 * Check a profile (parsed JSON or YAML) against the shape of profile.ts: its machine (validated),
 * how it is detected, its instances, each source's required fields, regular expressions that must
 * compile (with their named groups) and globs that must parse. Unknown keys are warnings.
 */
export function loadProfile(value: unknown, ctx: LoadContext): ProfileResult {
  const out = new DiagnosticList(ctx.file, ctx.locate);
  if (!isRecord(value)) {
    out.error("", `a profile must be an object, but this is ${describeValue(value)}`, 'Write { "id": ..., "title": ..., "description": ..., "machine": {...}, "detect": {...}, "instances": {...}, "sources": [...] }.');
    return { diagnostics: out.items };
  }
  checkFields(out, value, "", TOP, "the profile");
  const machine = isRecord(value["machine"]) ? validateMachine(value["machine"], { file: ctx.file, locate: ctx.locate, basePath: "/machine" }) : undefined;
  const detect = value["detect"];
  if (isRecord(detect)) {
    checkFields(out, detect, "/detect", DETECT, '"detect"');
    nonEmpty(out, detect, "/detect", ["roots", "anyOf"]);
    if (Array.isArray(detect["anyOf"])) detect["anyOf"].forEach((g: unknown, i) => typeof g === "string" && checkGlob(out, g, pointer("/detect/anyOf", i)));
  }
  checkInstances(out, value["instances"]);
  const sources = value["sources"];
  if (Array.isArray(sources)) {
    if (sources.length === 0) out.warning("/sources", "the profile has no sources, so nothing would be watched (it can still be stepped)", 'Add a source, e.g. { "kind": "state-file", "path": "state.json", "state": "state" }.');
    if (sources.length > MAX_SOURCES) out.error("/sources", `the profile has ${sources.length} sources; the limit is ${MAX_SOURCES}`, "Use globs: one source can read a whole family of files.");
    sources.slice(0, MAX_SOURCES).forEach((s: unknown, i) => checkSource(out, s, pointer("/sources", i)));
  }
  if (isRecord(value["warnings"])) checkWarnings(out, value["warnings"], machine?.definition);
  if (typeof value["timeZone"] === "string" && value["timeZone"] !== "") checkTimeZone(out, value["timeZone"]);
  if (Array.isArray(value["sensitiveFields"])) checkSensitiveFields(out, value["sensitiveFields"]);
  const diagnostics = [...out.items, ...(machine?.diagnostics ?? [])];
  if (hasErrors(diagnostics) || !machine?.definition) return { diagnostics };
  return { profile: { ...(value as unknown as Profile), machine: machine.definition }, diagnostics };
}

function checkFields(out: DiagnosticList, obj: Record<string, unknown>, path: string, rules: readonly Rule[], what: string, known: readonly string[] = []): void {
  for (const rule of rules) {
    const v = obj[rule.key];
    const p = pointer(path, rule.key);
    if (v === undefined) {
      if (rule.required) out.error(path, `${what} has no "${rule.key}"`, `Add "${rule.key}": ${example(rule)}.`);
      continue;
    }
    checkValue(out, rule, v, p, what);
  }
  const keys = [...rules.map((r) => r.key), ...known];
  for (const key of Object.keys(obj)) {
    if (keys.includes(key)) continue;
    out.warning(pointer(path, key), `${what} has the unknown key "${key}", which is ignored`, didYouMean(key, keys) ?? `Known keys: ${keys.join(", ")}.`);
  }
}

function example(rule: Rule): string {
  if (rule.values) return `"${rule.values[0] ?? ""}"`;
  if (rule.kind === "strings" || rule.kind === "array") return "[...]";
  if (rule.kind === "object") return "{...}";
  if (rule.kind === "number") return "1000";
  return '"..."';
}

function checkValue(out: DiagnosticList, rule: Rule, v: unknown, p: string, what: string): void {
  const wrong = (expected: string): void => out.error(p, `"${rule.key}" of ${what} must be ${expected}, but it is ${describeValue(v)}`, `Write "${rule.key}": ${example(rule)}.`);
  switch (rule.kind) {
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) wrong("a number of 0 or more");
      return;
    case "object":
      if (!isRecord(v)) wrong("an object");
      return;
    case "array":
      if (!Array.isArray(v)) wrong("a list");
      return;
    case "strings":
      if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) wrong("a list of strings");
      return;
  }
  if (typeof v !== "string" || v === "") return wrong(rule.values ? `one of ${rule.values.map((x) => `"${x}"`).join(", ")}` : "a non-empty string");
  if (rule.values && !rule.values.includes(v)) {
    out.error(p, `"${rule.key}" of ${what} is "${v}", which is not one of ${rule.values.map((x) => `"${x}"`).join(", ")}`, didYouMean(v, rule.values) ?? `Use one of ${rule.values.join(", ")}.`);
  }
  if (rule.kind === "glob") checkGlob(out, v, p);
  if (rule.kind === "path" && /[*?{]/.test(v)) out.error(p, `"${rule.key}" names one file, but "${v}" is a pattern`, "Write the file's path; for several files use a source that takes a glob.");
  if (rule.kind === "regex") checkRegex(out, v, p, rule.key, rule.groups);
}

function checkGlob(out: DiagnosticList, glob: string, p: string): void {
  try {
    parseGlob(glob);
  } catch (e) {
    out.error(p, `${e instanceof Error ? e.message : String(e)}`, "Keep folders literal, e.g. logs/events-*.jsonl; to watch several folders, add one source per folder.");
  }
}

function nonEmpty(out: DiagnosticList, obj: Record<string, unknown>, path: string, keys: string[]): void {
  for (const key of keys) {
    const v = obj[key];
    if (Array.isArray(v) && v.length === 0) out.error(pointer(path, key), `"${key}" is empty`, key === "roots" ? 'List the folders to try, e.g. ["."].' : "List at least one file or glob that marks this program's data folder.");
  }
}

function checkInstances(out: DiagnosticList, instances: unknown): void {
  if (!isRecord(instances)) return;
  const kind = instances["kind"];
  const kinds = Object.keys(INSTANCES);
  const rules = typeof kind === "string" && Object.hasOwn(INSTANCES, kind) ? INSTANCES[kind] : undefined;
  if (!rules) {
    out.error(kind === undefined ? "/instances" : "/instances/kind", `"instances.kind" must be one of ${kinds.map((k) => `"${k}"`).join(", ")}, but it is ${describeValue(kind)}`, (typeof kind === "string" ? didYouMean(kind, kinds) : undefined) ?? 'Use "single" for one machine, "keyed" for one per key, "per-run" for one per run.');
    return;
  }
  checkFields(out, instances, "/instances", rules, `"instances" (${String(kind)})`, ["kind"]);
}

function checkSource(out: DiagnosticList, source: unknown, path: string): void {
  if (!isRecord(source)) return out.error(path, `a source must be an object with a "kind", but this is ${describeValue(source)}`, 'Write { "kind": "state-file", "path": "state.json", "state": "state" }.');
  const kind = source["kind"];
  const kinds = Object.keys(SOURCES);
  const rules = typeof kind === "string" && Object.hasOwn(SOURCES, kind) ? SOURCES[kind as SourceSpec["kind"]] : undefined;
  if (!rules) {
    out.error(kind === undefined ? path : `${path}/kind`, `the source's "kind" must be one of ${kinds.join(", ")}, but it is ${describeValue(kind)}`, (typeof kind === "string" ? didYouMean(kind, kinds) : undefined) ?? `Use one of ${kinds.join(", ")}.`);
    return;
  }
  const what = `the ${kind} source`;
  checkFields(out, source, path, rules, what, ["kind"]);
  if (kind === "state-file") {
    const records = source["records"];
    if (source["state"] === undefined && records === undefined) out.error(path, `${what} has neither "state" (one instance) nor "records" (one per key)`, 'Add "state": "field.holding.the.state", or "records": { "array", "key", "state", "whenMissing", "absent" }.');
    if (isRecord(records)) checkFields(out, records, `${path}/records`, RECORDS, '"records"');
  }
  if (kind === "text-log" && Array.isArray(source["tsPatterns"])) {
    source["tsPatterns"].forEach((t: unknown, i) => {
      const p = pointer(`${path}/tsPatterns`, i);
      if (isRecord(t)) checkFields(out, t, p, TS_PATTERN, "a timestamp pattern");
      else out.error(p, `a timestamp pattern must be an object, but this is ${describeValue(t)}`, 'Write { "regex": "^(?<ts>...)", "format": "iso" }.');
    });
  }
}

function checkWarnings(out: DiagnosticList, warnings: Record<string, unknown>, machine: MachineDefinition | undefined): void {
  checkFields(out, warnings, "/warnings", WARNINGS, '"warnings"');
  const pending = warnings["pendingState"];
  if (machine && typeof pending === "string" && !has(machine.states, pending)) {
    out.error("/warnings/pendingState", `"pendingState" is "${pending}", which is not a state of the machine`, didYouMean(pending, Object.keys(machine.states)) ?? `Use one of ${Object.keys(machine.states).join(", ")}.`);
  }
}

function checkTimeZone(out: DiagnosticList, zone: string): void {
  if (isValidTimeZone(zone)) return;
  const offset = /^(?:UTC|GMT)?[+-]\d{1,2}(?::?\d\d)?$/i.test(zone);
  out.error(
    "/timeZone",
    `"timeZone" is "${zone}", which is not an IANA time zone name`,
    offset
      ? `Write the zone's name, e.g. "Europe/Paris" (a fixed offset such as "${zone}" does not follow summer time; for a fixed one write "Etc/GMT-2" for +02:00).`
      : (didYouMean(zone, knownTimeZones()) ?? 'Write a name from the IANA time zone database, e.g. "Europe/Paris", "America/New_York" or "UTC".'),
  );
}

function checkSensitiveFields(out: DiagnosticList, fields: readonly unknown[]): void {
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (typeof f !== "string") return;
    const p = pointer("/sensitiveFields", i);
    if (f === "" || f.split(".").some((part) => part.trim() === "")) {
      out.error(p, `"sensitiveFields" holds "${f}", which is not a field path (an empty name between dots)`, 'Write dotted field names, e.g. "org_id" or "owner.org_id".');
    } else if (seen.has(f)) {
      out.warning(p, `"sensitiveFields" lists "${f}" twice`, "Remove the second one.");
    }
    seen.add(f);
  });
}

export interface DefinitionTextResult {
  kind: "profile" | "machine";
  profile?: Profile;
  definition?: MachineDefinition;
  diagnostics: Diagnostic[];
}

/** Keys only a profile has: with `machine`, they make a document a profile rather than a wrapped machine. */
const PROFILE_KEYS = ["detect", "sources", "instances", "title", "warnings", "gapAfterMs", "timeZone", "sensitiveFields"];

/**
 * Read a file a user opened as a machine or a profile: SCXML (.scxml, .xml, or text starting
 * with "<"), else JSON or YAML — a profile when it has a `machine` beside profile keys, otherwise an
 * XState machine config (as Stately Studio exports it).
 */
export function loadDefinitionText(text: string, file: string): DefinitionTextResult {
  const lower = file.toLowerCase();
  if (lower.endsWith(".scxml") || lower.endsWith(".xml") || /^\uFEFF?\s*</.test(text)) {
    const r = importScxml(text, file);
    return r.definition ? { kind: "machine", definition: r.definition, diagnostics: r.diagnostics } : { kind: "machine", diagnostics: r.diagnostics };
  }
  const doc = parseDocument(text, file);
  const value = doc.value;
  const isProfile = isRecord(value) && value["machine"] !== undefined && PROFILE_KEYS.some((k) => k in value);
  if (!("value" in doc)) return { kind: "machine", diagnostics: doc.diagnostics };
  if (isProfile) {
    const r = loadProfile(value, { file, locate: doc.locate });
    const diagnostics = [...doc.diagnostics, ...r.diagnostics];
    return r.profile && !hasErrors(diagnostics) ? { kind: "profile", profile: r.profile, diagnostics } : { kind: "profile", diagnostics };
  }
  const r = importXState(value, file, doc.locate);
  const diagnostics = [...doc.diagnostics, ...r.diagnostics];
  return r.definition && !hasErrors(diagnostics) ? { kind: "machine", definition: r.definition, diagnostics } : { kind: "machine", diagnostics };
}
