/**
 * Reads every input of a target as one stream of observations, for `check` and for replay alike:
 * each file a chunk at a time (never whole), each line parsed by the profile's parser, each with
 * the byte offset of its line (to read it again later). Logs of several files are merged by their
 * own timestamps (a file's lines keep their order; files without times follow each other);
 * snapshots and state files follow. What cannot be read — an empty, binary or unreadable file, a
 * day of logs missing — becomes a warning observation with its file and line; reading goes on.
 */
import path from "node:path";
import type { Json } from "../../../shared/machine/definition";
import type { Profile } from "../../../shared/profiles/profile";
import { CsvReader } from "../../../shared/trace/csv";
import { getString } from "../../../shared/trace/fields";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { SnapshotDiffer, currentStates, recordsFromCsvRows, recordsFromStateFile, type SnapshotRecords } from "../../../shared/trace/snapshot-diff";
import { parseIsoMs } from "../../../shared/trace/time";
import { assertOrdinaryPath, readRegularFile } from "../fs/regular-file";
import { defaultInstance } from "../../../shared/profiles/profile";
import { lineParserFor } from "../sources/line-parsers";
import { head, looksBinary, readLines, splitLines } from "../fs/read-lines";
import { logItems, type TargetItem } from "./log-items";
import type { CheckReport } from "./report";
import { STDIN, STDIN_LABEL, entryProblem, isSnapshotSequence, type CheckInput, type CheckTarget } from "../target/target";


export interface ReadProgress {
  file: string;
  /** Bytes read of all files so far, and in all. */
  bytesRead: number;
  bytesTotal: number;
  lines: number;
}

export interface ReadHooks {
  /** Where `-` reads from (standard input). */
  stdin?: NodeJS.ReadableStream;
  onProgress?: (p: ReadProgress) => void;
  /** The state the judged trace is in now: a current-state file is cross-checked against it. */
  current?(instance: string): string | undefined;
  /** A remark on the whole run (sources that disagree). */
  note?(message: string): void;
  /** Checked between batches: true stops reading (Cancel). */
  stopped?(): boolean;
  /** Keep each log line's other fields (default true; `check` and the replay index do without them). */
  fields?: boolean;
}

export type FileSummary = CheckReport["files"][number];

const DAY_RE = /(\d{4}-\d\d-\d\d)/;
const BATCH = 2048;

/** Daily files whose dates are not consecutive: the record has a hole between them. */
function missingDays(prev: string | undefined, next: string): number {
  const a = prev && DAY_RE.exec(path.basename(prev))?.[1];
  const b = DAY_RE.exec(path.basename(next))?.[1];
  if (!a || !b) return 0;
  const days = Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
  return days > 1 ? days - 1 : 0;
}

function problem(file: string, line: number | null, message: string, code: "unreadable" | "gap" = "unreadable"): TargetItem {
  const w: NewObservation = { kind: "warning", code, message, tsFrom: "observed", source: line !== null ? { file, line } : { file } };
  return { obs: w };
}

/** Keyed snapshots (ecluse state.json versions, duckgres table dumps) turned into observations. */
class Snapshots {
  private readonly differ: SnapshotDiffer;

  constructor(
    profile: Profile,
    readonly sequence: boolean,
  ) {
    const opts: ConstructorParameters<typeof SnapshotDiffer>[0] = { initial: profile.machine.initial };
    for (const s of profile.sources) {
      if (s.kind === "state-file" && s.records) opts.absent = s.records.absent;
      if (s.kind === "table" && s.epoch) opts.epochField = s.epoch;
    }
    this.differ = new SnapshotDiffer(opts);
  }

  observe(records: SnapshotRecords, file: string): NewObservation[] {
    if (this.sequence) return this.differ.next(records, { file });
    return currentStates(records, { file });
  }
}

interface Ctx {
  target: CheckTarget;
  hooks: ReadHooks;
  instance: string;
  snapshots: Snapshots;
  files: FileSummary[];
  bytesTotal: number;
  /** Bytes of files already finished, and of each file being read. */
  bytesDone: number;
  reading: Map<string, number>;
  lines: number;
}

function progress(ctx: Ctx, file: string): void {
  let now = ctx.bytesDone;
  for (const b of ctx.reading.values()) now += b;
  ctx.hooks.onProgress?.({ file, bytesRead: now, bytesTotal: ctx.bytesTotal, lines: ctx.lines });
}

/** Checks a file before reading it: readable, not empty, not binary. Undefined when it can be read; else the problem. */
async function preflight(input: CheckInput, files: FileSummary[]): Promise<{ size: number; problem?: TargetItem }> {
  const name = path.basename(input.file);
  let size: number;
  try {
    size = (await assertOrdinaryPath(input.file)).size;
  } catch (err) {
    return { size: 0, problem: problem(input.file, null, `${name} ${entryProblem(err)}`) };
  }
  if (size === 0) {
    files.push({ file: input.file, kind: input.kind, lines: 0, bytes: 0 });
    return { size, problem: problem(input.file, null, `${name} is empty.`) };
  }
  try {
    if (looksBinary(await head(input.file, 8192))) {
      files.push({ file: input.file, kind: input.kind, lines: 0, bytes: size });
      return { size, problem: problem(input.file, 1, `${name} is a binary file, not a ${input.kind === "csv" ? "CSV dump" : input.kind === "state-json" ? "state file" : "log"}; it was skipped.`) };
    }
  } catch (err) {
    return { size, problem: problem(input.file, null, `cannot read ${name}: ${(err as Error).message}.`) };
  }
  return { size };
}

/** One input's observations, in batches. */
async function* readInput(ctx: Ctx, input: CheckInput, lines: () => AsyncGenerator<Line[]>, name: string, size: number): AsyncGenerator<TargetItem[]> {
  let count = 0;
  try {
    switch (input.kind) {
      case "jsonl":
      case "text": {
        const opts = { profile: ctx.target.profile, instance: ctx.instance, fields: ctx.hooks.fields !== false, name };
        for await (const b of logItems(input, opts, lines)) {
          if (b.lastLine) count = b.lastLine;
          ctx.lines += b.lines;
          yield b.items;
          if (ctx.hooks.stopped?.()) return;
        }
        return;
      }
      case "csv": {
        if (input.source.kind !== "table") return;
        const reader = new CsvReader({ file: input.file });
        const rows = [];
        for await (const batch of lines()) {
          for (const line of batch) rows.push(...reader.push(line));
          count = batch[batch.length - 1]?.lineNo ?? count;
          ctx.lines += batch.length;
        }
        rows.push(...reader.end());
        const out = reader.problems.map((p) => problem(input.file, p.line, p.message));
        const header = reader.header;
        const { records, problems } = recordsFromCsvRows(rows, input.source, header ? { file: path.basename(input.file), header } : { file: path.basename(input.file) });
        out.push(...problems.map((p) => problem(input.file, p.line ?? null, p.message)));
        if (records) out.push(...ctx.snapshots.observe(records, input.file).map((obs) => ({ obs })));
        yield out;
        return;
      }
      case "state-json": {
        if (input.source.kind !== "state-file") return;
        const text = await readRegularFile(input.file);
        count = text.split("\n").length;
        ctx.lines += count;
        let doc: Json;
        try {
          doc = JSON.parse(text) as Json;
        } catch (err) {
          yield [problem(input.file, null, `not valid JSON: ${(err as Error).message}.`)];
          return;
        }
        if (input.source.records) {
          const { records, problems } = recordsFromStateFile(doc, input.source.records, { file: path.basename(input.file), ...(input.source.show ? { show: input.source.show } : {}) });
          const out = problems.map((p) => problem(input.file, p.line ?? null, p.message));
          if (records) out.push(...ctx.snapshots.observe(records, input.file).map((obs) => ({ obs })));
          yield out;
        } else if (input.source.state) {
          const state = getString(doc, input.source.state);
          if (state === undefined) {
            yield [problem(input.file, null, `has no string field "${input.source.state}".`)];
            return;
          }
          const since = input.source.since ? getString(doc, input.source.since) : undefined;
          const last = ctx.hooks.current?.(ctx.instance);
          if (last !== undefined && last !== state) ctx.hooks.note?.(`${path.basename(input.file)} says ${state}, but the last logged transition ended in ${last}: the sources disagree.`);
          const obs: NewObservation = { kind: "state", instance: ctx.instance, state, tsFrom: "artifact", source: { file: input.file } };
          if (since !== undefined) obs.since = since;
          if (last === undefined) yield [{ obs }];
        }
        return;
      }
    }
  } catch (err) {
    yield [problem(name, count ? count + 1 : null, `reading stopped: ${(err as Error).message}.`)];
  } finally {
    if (input.file !== STDIN) {
      ctx.reading.delete(input.file);
      ctx.bytesDone += size;
      ctx.files.push({ file: input.file, kind: input.kind, lines: count, bytes: size });
      progress(ctx, name);
    } else ctx.files.push({ file: STDIN_LABEL, kind: input.kind, lines: count, bytes: 0 });
  }
}

/** A log being merged: its buffered observations, and the time that orders its next one. */
interface Stream {
  index: number;
  input: CheckInput;
  it: AsyncGenerator<TargetItem[]>;
  buf: TargetItem[];
  at: number;
  lastMs: number;
  done: boolean;
}

function itemMs(item: TargetItem): number | undefined {
  return item.obs.ts !== undefined && item.obs.tsFrom === "artifact" ? parseIsoMs(item.obs.ts) : undefined;
}

/** The time of a log's first timestamped line (from its first bytes), for ordering logs before reading them. */
async function firstMs(ctx: Ctx, input: CheckInput): Promise<number | undefined> {
  if (input.source.kind !== "jsonl-log" && input.source.kind !== "text-log") return undefined;
  let bytes: Buffer;
  try {
    bytes = await head(input.file, 64 * 1024);
  } catch {
    return undefined;
  }
  const parser = lineParserFor(input.source, ctx.target.profile, ctx.instance);
  for (const line of new LineSplitter().push(bytes).slice(0, 200)) {
    for (const obs of parser.line(line, input.file)) {
      const ms = itemMs({ obs });
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}

/**
 * Every observation of a target, in order, in batches; returns what was read of each file. Logs
 * are merged by their timestamps; everything else follows in the target's order.
 */
export async function* readTarget(target: CheckTarget, hooks: ReadHooks = {}): AsyncGenerator<TargetItem[], FileSummary[]> {
  const ctx: Ctx = { target, hooks, instance: defaultInstance(target.profile), snapshots: new Snapshots(target.profile, isSnapshotSequence(target)), files: [], bytesTotal: 0, bytesDone: 0, reading: new Map(), lines: 0 };
  if (target.skipped?.length) yield target.skipped.map((s) => problem(s.file, null, s.message));

  const logs: LogInput[] = [];
  const rest: CheckInput[] = [];
  let previousLog: string | undefined;
  const early: TargetItem[] = [];
  for (const input of target.inputs) {
    if (input.file === STDIN) {
      rest.push(input);
      continue;
    }
    const checked = await preflight(input, ctx.files);
    if (checked.problem) {
      early.push(checked.problem);
      continue;
    }
    ctx.bytesTotal += checked.size;
    if (input.kind === "jsonl" || input.kind === "text") {
      const gapDays = missingDays(previousLog, input.file);
      const log: LogInput = { input, size: checked.size };
      if (gapDays > 0) log.gap = problem(input.file, 1, `${gapDays} day(s) of logs are missing before ${path.basename(input.file)}.`, "gap");
      logs.push(log);
      previousLog = input.file;
    } else rest.push(input);
  }
  if (early.length) yield early;
  yield* mergeLogs(ctx, logs);

  for (const input of rest) {
    if (hooks.stopped?.()) break;
    if (input.file === STDIN) {
      if (!hooks.stdin) throw new Error("no standard input to read");
      const stream = hooks.stdin as AsyncIterable<Buffer | string>;
      yield* readInput(ctx, input, () => splitLines(stream), STDIN_LABEL, 0);
      continue;
    }
    const size = (await assertOrdinaryPath(input.file).catch(() => undefined))?.size ?? 0;
    yield* readInput(ctx, input, () => readLines(input.file), input.file, size);
  }
  return ctx.files;
}

interface LogInput {
  input: CheckInput;
  size: number;
  /** A gap to report where this file starts (days of logs missing before it). */
  gap?: TargetItem;
}

/** Logs merged by timestamp, each opened only when the merged stream reaches its first time. */
async function* mergeLogs(ctx: Ctx, logs: LogInput[]): AsyncGenerator<TargetItem[]> {
  const open = ({ input, size, gap }: LogInput, index: number, first: number | undefined): Stream => {
    ctx.reading.set(input.file, 0);
    const onBytes = (bytes: number): void => {
      ctx.reading.set(input.file, Math.min(bytes, size));
      progress(ctx, input.file);
    };
    const lines = (): AsyncGenerator<Line[]> => readLines(input.file, { onProgress: onBytes });
    return { index, input, it: readInput(ctx, input, lines, input.file, size), buf: gap ? [gap] : [], at: 0, lastMs: first ?? -Infinity, done: false };
  };
  if (logs.length <= 1) {
    const only = logs[0];
    if (!only) return;
    const { gap, ...plain } = only;
    if (gap) yield [gap];
    yield* open(plain, 0, undefined).it;
    return;
  }
  // Waiting logs, by the time of their first line (logs without one keep their place at the end).
  const firsts = await Promise.all(logs.map((l) => firstMs(ctx, l.input)));
  const waiting = logs.map((l, index) => ({ ...l, index, first: firsts[index] })).sort((x, y) => (x.first ?? Infinity) - (y.first ?? Infinity) || x.index - y.index);
  const active: Stream[] = [];
  const fill = async (s: Stream): Promise<void> => {
    while (s.at >= s.buf.length && !s.done) {
      const next = await s.it.next();
      if (next.done) s.done = true;
      else {
        s.buf = next.value;
        s.at = 0;
      }
    }
  };
  const key = (s: Stream): number => {
    const ms = itemMs(s.buf[s.at] as TargetItem);
    return ms ?? s.lastMs;
  };
  let out: TargetItem[] = [];
  for (;;) {
    if (active.length === 0) {
      const next = waiting.shift();
      if (!next) break;
      const s = open(next, next.index, next.first);
      await fill(s);
      if (!s.done) active.push(s);
      continue;
    }
    // The stream whose next line is earliest (ties: the file that comes first).
    let best = active[0] as Stream;
    for (const s of active) if (key(s) < key(best) || (key(s) === key(best) && s.index < best.index)) best = s;
    const k = key(best);
    // A log that starts before that line joins the merge first.
    const head = waiting[0];
    if (head?.first !== undefined && head.first < k) {
      waiting.shift();
      const s = open(head, head.index, head.first);
      await fill(s);
      if (!s.done) active.push(s);
      continue;
    }
    const item = best.buf[best.at++] as TargetItem;
    best.lastMs = itemMs(item) ?? best.lastMs;
    out.push(item);
    if (out.length >= BATCH) {
      yield out;
      out = [];
      if (ctx.hooks.stopped?.()) return;
    }
    await fill(best);
    if (best.done) active.splice(active.indexOf(best), 1);
  }
  if (out.length) yield out;
}
