import type { Json } from "../machine/definition";
import type { JsonlLogSource } from "../profiles/profile";
import { getPath, getString, isJsonObject } from "./fields";
import { dict } from "../dict";
import type { Line } from "./line-splitter";
import type { NewObservation } from "./observation";
import { isUtcZone, isoHasZone, isoUtcInZone, parseIsoMs } from "./time";

export interface LineContext {
  file: string;
  instance: string;
  /** Our clock (live only), used when the line has no usable timestamp; offline reading leaves it out. */
  observedTs?: string;
  /** Keep an event line's other fields (default); `check` and the replay index do without them. */
  fields?: boolean;
  /** IANA zone of timestamps written without one (ISO without offset); default UTC. */
  timeZone?: string | undefined;
}

function badLine(line: Line, ctx: LineContext, message: string): NewObservation {
  const w: NewObservation = { kind: "warning", code: "bad-line", message, tsFrom: "observed", source: { file: ctx.file, line: line.lineNo } };
  if (ctx.observedTs !== undefined) w.ts = ctx.observedTs;
  return w;
}

/** A line's time is its own stamp, as written (no object per line: a check reads millions). */
const AS_WRITTEN: { ts?: string; tsFrom: "artifact" | "observed" } = { tsFrom: "artifact" };

/**
 * The line's own time when it has a valid one (AS_WRITTEN: the stamp itself), else our clock's
 * (when live), else none.
 */
function lineTime(text: string | undefined, ctx: LineContext): { ts?: string; tsFrom: "artifact" | "observed" } {
  if (text !== undefined && parseIsoMs(text) !== undefined) {
    // A time without a zone, in a zone other than UTC: stored as the UTC instant it stands for.
    if (!isUtcZone(ctx.timeZone) && isoHasZone(text) === false) return { ts: isoUtcInZone(text, ctx.timeZone) ?? text, tsFrom: "artifact" };
    return AS_WRITTEN;
  }
  return ctx.observedTs !== undefined ? { ts: ctx.observedTs, tsFrom: "observed" } : { tsFrom: "observed" };
}

/**
 * One JSON-lines log line → a transition, an event (any other kind of line: kept, never dropped),
 * a warning (bad line, with file and line), or nothing (blank line).
 */
export function parseJsonlLine(spec: JsonlLogSource, line: Line, ctx: LineContext): NewObservation | null {
  if (line.truncatedFrom !== undefined) {
    const mb = (line.truncatedFrom / (1024 * 1024)).toFixed(1);
    return badLine(line, ctx, `line ${line.lineNo} is ${mb} MB long; lines over 1 MB are skipped.`);
  }
  const text = line.text.trim();
  if (text === "") return null;
  if (line.invalidUtf8) {
    // Even when it parses: the bytes that do not decode became U+FFFD, and would become part of a state name.
    return badLine(line, ctx, `line ${line.lineNo} is not valid UTF-8 (bytes that do not decode: binary data, or another encoding?). The line is skipped; the program must write its log as UTF-8.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return badLine(line, ctx, `line ${line.lineNo} is not valid JSON: ${why}. The line is skipped.`);
  }
  if (!isJsonObject(value)) {
    return badLine(line, ctx, `line ${line.lineNo} is JSON but not an object. The line is skipped.`);
  }
  const obj = value;
  // Built field by field (no spread): a check or a replay reads millions of lines.
  const stamp = getString(obj, spec.ts);
  const time = lineTime(stamp, ctx);
  const source = { file: ctx.file, line: line.lineNo };
  const instance = (spec.instance && getString(obj, spec.instance)) || ctx.instance;
  const kind = getPath(obj, spec.kindField);
  let obs: NewObservation;
  if (kind === spec.transitionKind) {
    const from = getString(obj, spec.from);
    const to = getString(obj, spec.to);
    if (from === undefined || to === undefined) {
      return badLine(line, ctx, `line ${line.lineNo} is a ${spec.transitionKind} without string "${spec.from}" and "${spec.to}" fields. The line is skipped.`);
    }
    obs = { kind: "transition", instance, from, to, tsFrom: time.tsFrom, source };
    const event = spec.event ? getString(obj, spec.event) : undefined;
    if (event !== undefined) obs.event = event;
  } else {
    const name = typeof kind === "string" ? kind : `(line without "${spec.kindField}")`;
    obs = { kind: "event", instance, name, tsFrom: time.tsFrom, source };
    if (ctx.fields !== false) {
      const fields = dict<Json>();
      for (const [k, v] of Object.entries(obj)) if (k !== spec.ts && k !== spec.kindField) fields[k] = v;
      obs.fields = fields;
    }
  }
  if (time === AS_WRITTEN && stamp !== undefined) obs.ts = stamp;
  else if (time.ts !== undefined) obs.ts = time.ts;
  return obs;
}
