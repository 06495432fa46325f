/**
 * One log file's lines turned into observations, for `check` and replay alike: each line parsed by
 * the profile's parser, with the byte offset of its line and its time in epoch ms, and the lines
 * that are odd but readable (repeated, stamped earlier than the line before, the file changing
 * meanwhile) as warnings. Runs in the reading thread or in a parse worker (parse-worker.ts).
 */
import type { Profile } from "../../../shared/profiles/profile";
import type { Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { parseIsoMs } from "../../../shared/trace/time";
import { lineParserFor } from "../sources/line-parsers";
import { SuspiciousLines, changedWhileRead, fileState, type SuspiciousKind } from "./suspicious";
import { STDIN, type CheckInput } from "../target/target";

/** One observation, where its line starts in its file (logs only), and its time in epoch ms (when it has one). */
export interface TargetItem {
  obs: NewObservation;
  offset?: number;
  /** `obs.ts` parsed, once (a million lines are not parsed again by each reader of them). */
  tsMs?: number;
  /** A suspicious line's warning, from a part of a file read on its own: its kind, for the whole's tally. */
  suspicious?: SuspiciousKind;
}

/** A batch of a log's observations, and how many of its lines it covers. */
export interface LogBatch {
  items: TargetItem[];
  /** Lines read for this batch, and the last one's number (0 when the batch reads none: the closing warnings). */
  lines: number;
  lastLine: number;
}

export interface LogItemsOptions {
  profile: Profile;
  /** The instance of lines that name none. */
  instance: string;
  /** Keep each line's other fields (`check` and the replay index do without them). */
  fields: boolean;
  /** The file's name as observations' sources give it. */
  name: string;
  /**
   * A part of the file, read on its own: the lines just before it (read to know the line and the
   * time before its first one, not yielded); every suspicious line listed with its kind; no closing
   * warnings (the reader of the whole file counts and closes).
   */
  part?: { before: Line[] };
}

export async function* logItems(input: CheckInput, opts: LogItemsOptions, lines: () => AsyncGenerator<Line[]>): AsyncGenerator<LogBatch> {
  if (input.source.kind !== "jsonl-log" && input.source.kind !== "text-log") return;
  const parser = lineParserFor(input.source, opts.profile, opts.instance, { fields: opts.fields });
  const parsed: NewObservation[] = [];
  const part = opts.part;
  const odd = new SuspiciousLines(input.file, { listAll: part !== undefined });
  const oddOnes: NewObservation[] = [];
  const oddKinds: SuspiciousKind[] | undefined = part ? [] : undefined;
  if (part) {
    for (const line of part.before) {
      parser.into(parsed, line, opts.name);
      odd.line(line, parsed, []);
      parsed.length = 0;
    }
  }
  const before = input.file !== STDIN && !part ? await fileState(input.file) : undefined;
  let count = 0;
  for await (const batch of lines()) {
    const out: TargetItem[] = [];
    for (const line of batch) {
      parser.into(parsed, line, opts.name);
      for (const obs of parsed) {
        // Just parsed while reading the line: its time is still in parseIsoMs's memo.
        const tsMs = obs.ts !== undefined ? parseIsoMs(obs.ts) : undefined;
        out.push(tsMs !== undefined ? { obs, offset: line.offset, tsMs } : { obs, offset: line.offset });
      }
      odd.line(line, parsed, oddOnes, oddKinds);
      if (oddOnes.length) {
        for (let k = 0; k < oddOnes.length; k++) {
          const obs = oddOnes[k] as NewObservation;
          const kind = oddKinds?.[k];
          out.push(kind ? { obs, offset: line.offset, suspicious: kind } : { obs, offset: line.offset });
        }
        oddOnes.length = 0;
        if (oddKinds) oddKinds.length = 0;
      }
      // Emptied one by one: mostly one observation, and pop() is cheaper than setting the length.
      while (parsed.length > 0) parsed.pop();
    }
    count = batch[batch.length - 1]?.lineNo ?? count;
    yield { items: out, lines: batch.length, lastLine: count };
  }
  if (part) return;
  const changed = await changedWhileRead(input.file, before, count);
  const tail = [...odd.end(), ...(changed ? [changed] : [])];
  if (tail.length) yield { items: tail.map((obs) => ({ obs })), lines: 0, lastLine: 0 };
}
