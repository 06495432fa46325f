import type { JsonlLogSource, Profile, TextLogSource } from "../../../shared/profiles/profile";
import { parseJsonlLine } from "../../../shared/trace/parse-jsonl";
import { TextLogParser } from "../../../shared/trace/parse-text";
import type { Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";

/** Turns one line of one file into observations; one parser per file (text logs keep context). */
export interface LineParser {
  /** `observedTs`: our clock, live only — offline reading leaves it out. */
  line(line: Line, file: string, observedTs?: string): NewObservation[];
}

/** The parser for a log source's lines: the same for live tailing and for `check`. */
export function lineParserFor(spec: JsonlLogSource | TextLogSource, profile: Profile, instance: string): LineParser {
  if (spec.kind === "text-log") {
    const parser = new TextLogParser(spec, profile.instances);
    return { line: (line, file, observedTs) => parser.line(line, file, observedTs) };
  }
  return {
    line: (line, file, observedTs) => {
      const o = parseJsonlLine(spec, line, observedTs !== undefined ? { file, instance, observedTs } : { file, instance });
      return o ? [o] : [];
    },
  };
}
