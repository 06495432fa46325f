/**
 * Logs for the fault-injection suite: numbered iai-mcp logs written to disk (with each line's
 * byte offset, to reason about 64 KiB read boundaries and history limits), and the numbers of
 * the lines a `watch --json` reported.
 */
import fs from "node:fs";
import path from "node:path";
import { tempDir } from "./tmp";
import { logLine, nOfTs, tsOf, type LineOptions } from "./writers/iai-lines";
import type { WatchJsonLine } from "./watch-cli";

export interface WrittenLog {
  file: string;
  /** Numbers of the lines, in file order. */
  ns: number[];
  /** Byte offset of each line's first byte (same order as ns), and the file's size. */
  offsets: number[];
  size: number;
  longest: number;
}

/** Write lines [from, from + count) to `file` in one go (created or replaced), remembering offsets. */
export function writeLog(file: string, from: number, count: number, opts: LineOptions = {}): WrittenLog {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const parts: Buffer[] = [];
  const ns: number[] = [];
  const offsets: number[] = [];
  let size = 0;
  let longest = 0;
  for (let n = from; n < from + count; n++) {
    const b = Buffer.from(`${logLine(n, opts)}\n`);
    ns.push(n);
    offsets.push(size);
    size += b.length;
    longest = Math.max(longest, b.length);
    parts.push(b);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  return { file, ns, offsets, size, longest };
}

/** Multiples of `every` (64 KiB) that fall strictly inside a line: where a chunked reader must join two reads. */
export function straddledBoundaries(log: WrittenLog, every = 64 * 1024): number[] {
  const out: number[] = [];
  const starts = new Set(log.offsets);
  for (let b = every; b < log.size; b += every) if (!starts.has(b)) out.push(b);
  return out;
}

/**
 * The number of each transition and event line a watch reported from `file` (all files when
 * omitted), in the order printed: a transition by its ts (one second per n), an event by its `n` field.
 */
export function reportedNs(lines: readonly WatchJsonLine[], file?: string): number[] {
  const out: number[] = [];
  for (const l of lines) {
    if (file !== undefined && l.file !== file) continue;
    if (l.kind === "transition" && l.ts) out.push(nOfTs(l.ts));
    else if (l.kind === "event" && typeof l.fields?.["n"] === "number") out.push(l.fields["n"]);
  }
  return out;
}

/** Whether a watch reported line number n (a transition's ts, or an event's n) from `file`. */
export function reportedN(lines: readonly WatchJsonLine[], n: number, file?: string): boolean {
  const ts = tsOf(n);
  return lines.some((l) => (file === undefined || l.file === file) && ((l.kind === "transition" && l.ts === ts) || (l.kind === "event" && l.fields?.["n"] === n)));
}

/** Transition and event lines a watch reported (from `file`, when given). */
export function logLinesReported(lines: readonly WatchJsonLine[], file?: string): number {
  return lines.filter((l) => (l.kind === "transition" || l.kind === "event") && (file === undefined || l.file === file)).length;
}

/** The seed for seeded randomness: FSM_FAULT_SEED when set, else the given default. */
export function faultSeed(fallback: number): number {
  const env = process.env["FSM_FAULT_SEED"];
  return env !== undefined && env !== "" && Number.isInteger(Number(env)) ? Number(env) : fallback;
}

/** Longer than one safety-net poll (1 s): what a watcher will ever see of a change, it has seen by then. */
export const settle = (ms = 1300): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An iai-mcp data folder (named .iai-mcp, so `watch --profile iai-mcp` takes it as the data folder even while empty). */
export function dataFolder(): { dir: string; logs: string } {
  const dir = path.join(tempDir("fsm-fault-"), ".iai-mcp");
  const logs = path.join(dir, "logs");
  fs.mkdirSync(logs, { recursive: true });
  return { dir, logs };
}
