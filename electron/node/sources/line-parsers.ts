import type { JsonlLogSource, Profile, TextLogSource } from "../../../shared/profiles/profile";
import { parseJsonlLine } from "../../../shared/trace/parse-jsonl";
import { TextLogParser } from "../../../shared/trace/parse-text";
import type { Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";

/** Turns one line of one file into observations; one parser per file (text logs keep context). */
export interface LineParser {
  /** `observedTs`: our clock, live only — offline reading leaves it out. */
  line(line: Line, file: string, observedTs?: string): NewObservation[];
  /** The same, pushed onto `out` (no array per line: for reading millions of them). */
  into(out: NewObservation[], line: Line, file: string): void;
}

export interface ParserOptions {
  /** Keep each line's other fields (default true); `check` and the replay index do without them. */
  fields?: boolean;
}

/** The parser for a log source's lines: the same for live tailing, `check` and replay. */
export function lineParserFor(spec: JsonlLogSource | TextLogSource, profile: Profile, instance: string, opts: ParserOptions = {}): LineParser {
  if (spec.kind === "text-log") {
    const parser = new TextLogParser(spec, profile.instances, profile.timeZone !== undefined ? { timeZone: profile.timeZone } : {});
    return {
      line: (line, file, observedTs) => parser.line(line, file, observedTs),
      into: (out, line, file) => {
        for (const o of parser.line(line, file)) out.push(o);
      },
    };
  }
  const fields = opts.fields !== false;
  // Timestamps without a zone are read in the profile's (set by the profile or when opening); default UTC.
  const timeZone = profile.timeZone;
  return {
    line: (line, file, observedTs) => {
      const o = parseJsonlLine(spec, line, observedTs !== undefined ? { file, instance, observedTs, fields, timeZone } : { file, instance, fields, timeZone });
      return o ? [o] : [];
    },
    into: (out, line, file) => {
      const o = parseJsonlLine(spec, line, { file, instance, fields, timeZone });
      if (o) out.push(o);
    },
  };
}
