/**
 * A plain-text log (Python logging, Rich console output, journald/syslog, a format of the user's
 * own) read with the regular expressions of a `text-log` source: transition lines become
 * transitions of the current instance, instance-start lines (a lease) switch the current instance,
 * restart lines break the trace (a gap), every other line is kept as an event. Pure: the caller
 * feeds `Line`s from the LineSplitter and says which file they came from.
 */
import type { Json } from "../machine/definition";
import type { InstanceSpec, TextLogSource } from "../profiles/profile";
import type { Line } from "./line-splitter";
import type { NewObservation } from "./observation";
import { isoFromMs, isoUtcInZone, parseRichMs, parseSyslogMs, syslogMonth, wallToUtcMs } from "./time";
import { compileRegex, isRefusal, type SafeRegex } from "../regex/safe-regex";

export interface TextLogParserOptions {
  /** Our clock (live only): the time of lines for which the log gives none. Offline: leave it out. */
  observedTs?: string;
  /** Year of syslog-style timestamps (`Nov 25 10:00:00` has none), e.g. the file's modification year. */
  defaultYear?: number;
  /** IANA zone of timestamps written without one (Rich, syslog, ISO without offset); default UTC. */
  timeZone?: string;
}

type TsFormat = NonNullable<TextLogSource["tsPatterns"]>[number]["format"];

interface TsPattern {
  re: SafeRegex;
  format: TsFormat;
}

/** Longest excerpt of a log line quoted in a message. */
const QUOTE_MAX = 160;

function quote(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > QUOTE_MAX ? `${t.slice(0, QUOTE_MAX)}…` : t);
}

function compile(what: string, source: string, groups: string[], problems: string[]): SafeRegex | undefined {
  const re = compileRegex(source);
  if (isRefusal(re)) {
    const why = re.kind === "syntax" ? "is not a valid regular expression" : "cannot be run in bounded time";
    problems.push(`${what} ${JSON.stringify(source)} ${why}: ${re.message} (at character ${re.index + 1}). ${re.hint}`);
    return undefined;
  }
  for (const g of groups) {
    if (!re.groupNames.includes(g)) problems.push(`${what} ${JSON.stringify(source)} has no named group "${g}" (write it as (?<${g}>...)).`);
  }
  return re;
}

interface Compiled {
  transition?: SafeRegex | undefined;
  instanceStart?: SafeRegex | undefined;
  restart?: SafeRegex | undefined;
  lineRe?: SafeRegex | undefined;
  ts: TsPattern[];
  problems: string[];
}

function compileSpec(spec: TextLogSource): Compiled {
  const problems: string[] = [];
  const c: Compiled = { ts: [], problems };
  c.transition = compile("transitionRegex", spec.transitionRegex, ["from", "to"], problems);
  if (spec.instanceStartRegex !== undefined) c.instanceStart = compile("instanceStartRegex", spec.instanceStartRegex, ["id"], problems);
  if (spec.restartRegex !== undefined) c.restart = compile("restartRegex", spec.restartRegex, [], problems);
  if (spec.lineRegex !== undefined) c.lineRe = compile("lineRegex", spec.lineRegex, [], problems);
  (spec.tsPatterns ?? []).forEach((p, i) => {
    if (p.format !== "iso" && p.format !== "rich" && p.format !== "syslog") {
      problems.push(`tsPatterns[${i}] has format ${JSON.stringify(p.format)}; use "iso", "rich" or "syslog".`);
      return;
    }
    const re = compile(`tsPatterns[${i}].regex`, p.regex, [], problems);
    if (re) c.ts.push({ re, format: p.format });
  });
  return c;
}

/** What is wrong with a text-log source's regular expressions (empty when it can be used). */
export function textLogSpecProblems(spec: TextLogSource): string[] {
  return compileSpec(spec).problems;
}

/**
 * Reads one text log, line by line, in order. Keeps the current instance (the lease the lines
 * belong to) and the current time (a line without a timestamp keeps the previous line's time, as
 * Rich blanks a repeated time). One parser per file. Throws only when the source's regular
 * expressions cannot be used (see `textLogSpecProblems`); never for a line of the log.
 */
export class TextLogParser {
  private readonly transition: SafeRegex;
  private readonly instanceStart: SafeRegex | undefined;
  private readonly restart: SafeRegex | undefined;
  private readonly lineRe: SafeRegex | undefined;
  private readonly tsPatterns: TsPattern[];
  private readonly fallback: string;
  private readonly switches: boolean;
  private instance: string;
  /** The last time the log gave (canonical UTC ISO), carried to the lines without one. */
  private lastTs: string | undefined;
  private syslogYear: number | undefined;
  private syslogLastMonth: number | undefined;
  private noYearReported = false;

  constructor(
    spec: TextLogSource,
    instances: InstanceSpec,
    private readonly opts: TextLogParserOptions = {},
  ) {
    const c = compileSpec(spec);
    if (c.problems.length > 0 || !c.transition) throw new Error(`The text-log source for ${spec.glob} cannot be used: ${c.problems.join(" ")}`);
    this.transition = c.transition;
    this.instanceStart = c.instanceStart;
    this.restart = c.restart;
    this.lineRe = c.lineRe;
    this.tsPatterns = c.ts;
    switch (instances.kind) {
      case "single":
        this.fallback = instances.id;
        this.switches = false;
        break;
      case "per-run":
        this.fallback = instances.fallbackId;
        this.switches = true;
        break;
      case "keyed":
        this.fallback = instances.label;
        this.switches = true;
        break;
    }
    this.instance = this.fallback;
    this.syslogYear = opts.defaultYear ?? (opts.observedTs !== undefined ? yearOf(opts.observedTs) : undefined);
  }

  /** The instance the next line belongs to (the last lease started, or the fallback id). */
  get currentInstance(): string {
    return this.instance;
  }

  /** The time carried to the next line without a timestamp (undefined while the log gave none). */
  get currentTs(): string | undefined {
    return this.lastTs;
  }

  /**
   * One line → its observations: usually one (a transition, an event, a gap, a bad-line warning),
   * none for a blank line. `observedTs` (live) overrides the constructor's for this line.
   */
  line(line: Line, file: string, observedTs: string | undefined = this.opts.observedTs): NewObservation[] {
    const source = { file, line: line.lineNo };
    if (line.truncatedFrom !== undefined) {
      const mb = (line.truncatedFrom / (1024 * 1024)).toFixed(1);
      const w: NewObservation = {
        kind: "warning",
        code: "bad-line",
        message: `line ${line.lineNo} of ${file} is ${mb} MB long; lines over 1 MB are skipped.`,
        instance: this.instance,
        tsFrom: "observed",
        source,
      };
      if (observedTs !== undefined) w.ts = observedTs;
      return [w];
    }
    const text = line.text;
    if (text.trim() === "") return [];
    const out: NewObservation[] = [];

    const stamp = this.timestamp(text, line, file, out);
    const rest = stamp ? text.slice(stamp.end) : text;
    const time: { ts?: string; tsFrom: "artifact" | "observed" } =
      this.lastTs !== undefined ? { ts: this.lastTs, tsFrom: "artifact" } : observedTs !== undefined ? { ts: observedTs, tsFrom: "observed" } : { tsFrom: "observed" };

    if (this.restart?.test(text)) {
      if (this.switches) this.instance = this.fallback;
      out.push({
        kind: "warning",
        code: "gap",
        key: `restart:${file}:${line.lineNo}`,
        message: `${file} line ${line.lineNo}: the program restarted (${quote(rest)}); transitions before this line do not continue after it.`,
        ...time,
        source,
      });
      return out;
    }

    if (this.switches && this.instanceStart) {
      const id = this.instanceStart.exec(text)?.groups["id"];
      if (id) this.instance = id;
    }

    const t = this.transition.exec(text);
    const from = t?.groups["from"];
    const to = t?.groups["to"];
    if (t && from && to) {
      const obs: NewObservation = { kind: "transition", instance: this.instance, from, to, ...time, source };
      const own = t.groups["ts"];
      const ownIso = own !== undefined ? isoUtcInZone(own, this.opts.timeZone) : undefined;
      if (ownIso !== undefined) {
        obs.ts = ownIso;
        obs.tsFrom = "artifact";
      }
      const event = t.groups["event"];
      if (event) obs.event = event;
      out.push(obs);
      return out;
    }

    const fields: Record<string, Json> = {};
    let name = "line";
    const parts = this.lineRe?.exec(rest);
    if (parts) {
      const g = parts.groups;
      if (g["level"] !== undefined) fields["level"] = g["level"];
      if (g["logger"] !== undefined) {
        fields["logger"] = g["logger"];
        name = g["logger"];
      }
      fields["message"] = (g["message"] ?? parts.text).trim();
    } else {
      fields["message"] = rest.trim();
      if (line.invalidUtf8) fields["invalidUtf8"] = true;
    }
    out.push({ kind: "event", instance: this.instance, name, fields, ...time, source });
    return out;
  }

  /** Finds the line's timestamp (first pattern that matches and parses) and makes it current. */
  private timestamp(text: string, line: Line, file: string, out: NewObservation[]): { end: number } | undefined {
    for (const p of this.tsPatterns) {
      const m = p.re.exec(text);
      if (!m) continue;
      const raw = m.groups["ts"] ?? m.text;
      const iso = this.toIso(raw, p.format, line, file, out);
      if (iso === undefined) continue;
      this.lastTs = iso;
      return { end: m.index === 0 ? m.text.length : 0 };
    }
    return undefined;
  }

  private toIso(raw: string, format: TsFormat, line: Line, file: string, out: NewObservation[]): string | undefined {
    switch (format) {
      case "iso":
        return isoUtcInZone(raw, this.opts.timeZone);
      case "rich": {
        const ms = parseRichMs(raw);
        return ms === undefined ? undefined : isoFromMs(wallToUtcMs(ms, this.opts.timeZone));
      }
      case "syslog": {
        const month = syslogMonth(raw);
        if (month === undefined) return undefined;
        if (this.syslogYear === undefined) {
          if (!this.noYearReported) {
            this.noYearReported = true;
            out.push({
              kind: "warning",
              code: "source-error",
              message: `${file} line ${line.lineNo}: syslog-style times such as ${quote(raw)} carry no year, and none was given; these lines are ordered by line, without times.`,
              tsFrom: "observed",
              source: { file, line: line.lineNo },
            });
          }
          return undefined;
        }
        // December then January: the log went into the next year.
        if (this.syslogLastMonth !== undefined && month < this.syslogLastMonth && this.syslogLastMonth - month > 6) this.syslogYear += 1;
        const ms = parseSyslogMs(raw, this.syslogYear);
        if (ms === undefined) return undefined;
        this.syslogLastMonth = month;
        return isoFromMs(wallToUtcMs(ms, this.opts.timeZone));
      }
    }
  }
}

function yearOf(iso: string): number | undefined {
  const y = Number(iso.slice(0, 4));
  return Number.isInteger(y) && y > 0 ? y : undefined;
}
