/**
 * `check`: reads every input of a target in order, streaming line by line, and builds the report.
 * Bad lines, binary files and unreadable files become errors with file and line; reading goes on.
 */
import path from "node:path";
import type { Json } from "../../../shared/machine/definition";
import { getString } from "../../../shared/trace/fields";
import { lineParserFor } from "../sources/line-parsers";
import { defaultInstance } from "../session/sources-for-profile";
import { CsvReader } from "../../../shared/trace/csv";
import { SnapshotDiffer, recordsFromCsvRows, recordsFromStateFile, type SnapshotRecords } from "../../../shared/trace/snapshot-diff";
import type { NewObservation } from "../../../shared/trace/observation";
import type { Profile } from "../../../shared/profiles/profile";
import type { CheckReport } from "./report";
import { ReportSink } from "./sink";
import { head, looksBinary, readLines, splitLines } from "./read-lines";
import type { Line } from "../../../shared/trace/line-splitter";
import { STDIN, STDIN_LABEL, entryProblem, type CheckInput, type CheckTarget } from "./target";
import { assertOrdinaryPath, readRegularFile } from "../fs/regular-file";

export interface CheckOptions {
  keepDetails: boolean;
  /** Where `-` reads from (standard input). */
  stdin?: NodeJS.ReadableStream;
  /** Called as bytes are read: (file, bytesRead, fileSize). */
  onProgress?: (file: string, bytesRead: number, size: number) => void;
}

const DAY_RE = /(\d{4}-\d\d-\d\d)/;

/** Daily files whose dates are not consecutive: the record has a hole between them. */
function missingDays(prev: string | undefined, next: string): number {
  const a = prev && DAY_RE.exec(path.basename(prev))?.[1];
  const b = DAY_RE.exec(path.basename(next))?.[1];
  if (!a || !b) return 0;
  const days = Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
  return days > 1 ? days - 1 : 0;
}

export async function runCheck(target: CheckTarget, opts: CheckOptions): Promise<CheckReport> {
  const snapshotInputs = target.inputs.filter((i) => i.kind === "csv" || (i.kind === "state-json" && i.source.kind === "state-file" && i.source.records));
  // One snapshot is the current state; several are a sequence whose differences are transitions.
  const snapshots = new Snapshots(target.profile, snapshotInputs.length > 1);
  const sink = new ReportSink(target.profile, { keepDetails: opts.keepDetails, sampled: snapshots.sequence });
  const files: CheckReport["files"] = [];
  let previousLog: string | undefined;

  for (const s of target.skipped ?? []) sink.error(s.file, null, s.message);
  for (const input of target.inputs) {
    if (input.file === STDIN) {
      if (!opts.stdin) throw new Error("no standard input to read");
      const stream = opts.stdin as AsyncIterable<Buffer | string>;
      const lines = await readInput(input, sink, defaultInstance(target.profile), snapshots, () => splitLines(stream), STDIN_LABEL);
      files.push({ file: STDIN_LABEL, kind: input.kind, lines, bytes: 0 });
      continue;
    }
    const rel = input.file;
    let size = 0;
    try {
      size = (await assertOrdinaryPath(input.file)).size;
    } catch (err) {
      sink.error(rel, null, `${path.basename(input.file)} ${entryProblem(err)}`);
      continue;
    }
    if (size === 0) {
      sink.error(rel, null, `${path.basename(input.file)} is empty.`);
      files.push({ file: rel, kind: input.kind, lines: 0, bytes: 0 });
      continue;
    }
    try {
      if (looksBinary(await head(input.file, 8192))) {
        sink.error(rel, 1, `${path.basename(input.file)} is a binary file, not a ${input.kind === "csv" ? "CSV dump" : input.kind === "state-json" ? "state file" : "log"}; it was skipped.`);
        files.push({ file: rel, kind: input.kind, lines: 0, bytes: size });
        continue;
      }
    } catch (err) {
      sink.error(rel, null, `cannot read ${path.basename(input.file)}: ${(err as Error).message}.`);
      continue;
    }
    if (input.kind === "jsonl" || input.kind === "text") {
      const gapDays = missingDays(previousLog, input.file);
      if (gapDays > 0) sink.gap(`${gapDays} day(s) of logs are missing before ${path.basename(input.file)}.`, rel, 1);
      previousLog = input.file;
    }
    const lines = await readInput(input, sink, defaultInstance(target.profile), snapshots, () => readLines(input.file, { onProgress: (bytes) => opts.onProgress?.(input.file, bytes, size) }));
    files.push({ file: rel, kind: input.kind, lines, bytes: size });
  }
  return sink.report(target.target, files);
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
    return [...records].map(([instance, r]) => {
      const o: NewObservation = { kind: "state", instance, state: r.state, tsFrom: "artifact", source: { file }, fields: r.fields };
      if (r.ts !== undefined) o.since = r.ts;
      return o;
    });
  }
}

async function readInput(input: CheckInput, sink: ReportSink, instance: string, snapshots: Snapshots, lines: () => AsyncGenerator<Line[]>, name = input.file): Promise<number> {
  let count = 0;
  try {
    switch (input.kind) {
      case "csv": {
        if (input.source.kind !== "table") return 0;
        const reader = new CsvReader({ file: input.file });
        const rows = [];
        for await (const batch of lines()) {
          for (const line of batch) rows.push(...reader.push(line));
          count = batch[batch.length - 1]?.lineNo ?? count;
        }
        rows.push(...reader.end());
        for (const p of reader.problems) sink.error(input.file, p.line, p.message);
        const header = reader.header;
        const { records, problems } = recordsFromCsvRows(rows, input.source, header ? { file: path.basename(input.file), header } : { file: path.basename(input.file) });
        for (const p of problems) sink.error(input.file, p.line ?? null, p.message);
        if (records) sink.push(snapshots.observe(records, input.file));
        return count;
      }
      case "jsonl":
      case "text": {
        if (input.source.kind !== "jsonl-log" && input.source.kind !== "text-log") return 0;
        const parser = lineParserFor(input.source, sink.profile, instance);
        for await (const batch of lines()) {
          for (const line of batch) sink.push(parser.line(line, name));
          count = batch[batch.length - 1]?.lineNo ?? count;
        }
        return count;
      }
      case "state-json": {
        if (input.source.kind !== "state-file") return 0;
        const text = await readRegularFile(input.file);
        let doc: Json;
        try {
          doc = JSON.parse(text) as Json;
        } catch (err) {
          sink.error(input.file, null, `not valid JSON: ${(err as Error).message}.`);
          return text.split("\n").length;
        }
        if (input.source.records) {
          const { records, problems } = recordsFromStateFile(doc, input.source.records, { file: path.basename(input.file), ...(input.source.show ? { show: input.source.show } : {}) });
          for (const p of problems) sink.error(input.file, p.line ?? null, p.message);
          if (records) sink.push(snapshots.observe(records, input.file));
        } else if (input.source.state) {
          const state = getString(doc, input.source.state);
          if (state === undefined) sink.error(input.file, null, `has no string field "${input.source.state}".`);
          else {
            const since = input.source.since ? getString(doc, input.source.since) : undefined;
            const last = sink.current(instance);
            if (last !== undefined && last !== state) {
              sink.note(`${path.basename(input.file)} says ${state}, but the last logged transition ended in ${last}: the sources disagree.`);
            }
            const obs: Parameters<ReportSink["push"]>[0][number] = { kind: "state", instance, state, tsFrom: "artifact", source: { file: input.file } };
            if (since !== undefined) obs.since = since;
            if (last === undefined) sink.push([obs]);
          }
        }
        return text.split("\n").length;
      }
    }
  } catch (err) {
    sink.error(name, count ? count + 1 : null, `reading stopped: ${(err as Error).message}.`);
    return count;
  }
}
