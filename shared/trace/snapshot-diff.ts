/**
 * Transitions derived from successive snapshots of keyed records: versions of a state file holding
 * many sessions (ecluse `state.json`, keyed by slug), or polls / CSV dumps of a table (duckgres
 * `worker_records`, keyed by worker_id). Between two snapshots, each key that appeared, changed
 * state, or disappeared is one transition; an epoch change without a state change is an event.
 * Several real steps may have collapsed between two snapshots: conformance judges that later.
 * Pure; the caller reads the files and says which snapshot each one is.
 */
import type { Json } from "../machine/definition";
import type { StateFileSource, TableSource } from "../profiles/profile";
import type { CsvRow } from "./csv";
import { getPath, isJsonObject } from "./fields";
import type { NewObservation, SourceRef } from "./observation";
import { isoUtc } from "./time";
import { dict, get, has } from "../dict";

/** One record of a snapshot: its state, when it got there (if the artifact says), and fields to show. */
export interface SnapshotRecord {
  state: string;
  /** Canonical UTC ISO-8601 (see `isoUtc`), when the artifact says. */
  ts?: string;
  fields: Record<string, Json>;
}

/** A snapshot: records by key. */
export type SnapshotRecords = Map<string, SnapshotRecord>;

export interface SnapshotDifferOptions {
  /** The machine's initial state: a record seen for the first time is assumed to have started there. */
  initial: string;
  /** The state of a key that is not in the snapshot at all (ecluse: "absent"). */
  absent?: string;
  /** A field whose change without a state change is an "epoch-change" event, not a transition (duckgres owner_epoch). */
  epochField?: string | undefined;
}

/** Something wrong in a snapshot document or table dump; `line` for CSV rows. */
export interface SnapshotProblem {
  message: string;
  line?: number;
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The first look at keyed records (a state file's sessions, a table's rows): each one's current
 * state, since its time when the record has one — not transitions from nothing. Live (with
 * `observedTs`, our clock) a record without a time is stamped when we saw it; offline it has none.
 */
export function currentStates(records: SnapshotRecords, source: SourceRef, observedTs?: string): NewObservation[] {
  const out: NewObservation[] = [];
  for (const [instance, r] of records) {
    const o: NewObservation = { kind: "state", instance, state: r.state, tsFrom: r.ts === undefined && observedTs !== undefined ? "observed" : "artifact", source: { ...source }, fields: r.fields };
    if (r.ts !== undefined) o.since = r.ts;
    if (observedTs !== undefined) o.ts = r.ts ?? observedTs;
    out.push(o);
  }
  return out;
}

/**
 * Diffs each snapshot against the previous one. The first snapshot is diffed against nothing: with
 * `absent`, every key comes from `absent`; without, from the machine's initial state.
 */
export class SnapshotDiffer {
  private previous: SnapshotRecords = new Map();
  /** Rows that disappeared (no absent state): remembered, in case they come back. */
  private readonly gone: SnapshotRecords = new Map();

  constructor(private readonly opts: SnapshotDifferOptions) {}

  /** The records of the last snapshot (what each key's state is now). */
  get current(): ReadonlyMap<string, SnapshotRecord> {
    return this.previous;
  }

  /**
   * The observations from the previous snapshot to this one, keys in this snapshot's order, then
   * the keys that disappeared. `observedTs` (live) stamps observations the artifact gives no time.
   */
  next(records: SnapshotRecords, source: SourceRef, observedTs?: string): NewObservation[] {
    const out: NewObservation[] = [];
    const src: SourceRef = { ...source };
    const when = (ts: string | undefined): { ts?: string; tsFrom: "artifact" | "observed" } =>
      ts !== undefined ? { ts, tsFrom: "artifact" } : observedTs !== undefined ? { ts: observedTs, tsFrom: "observed" } : { tsFrom: "observed" };
    const { initial, absent, epochField } = this.opts;

    for (const [key, rec] of records) {
      let before = this.previous.get(key);
      const back = this.gone.get(key);
      if (before === undefined && back !== undefined) {
        // A row that had disappeared is back: compare with what it was, and clear the warning.
        this.gone.delete(key);
        before = back;
        out.push({ kind: "warning", code: "source-error", key: `disappeared:${key}`, cleared: true, instance: key, message: `row ${key} is back.`, ...when(undefined), source: src });
      }
      if (before === undefined) {
        if (absent === undefined && rec.state === initial) {
          const obs: NewObservation = { kind: "state", instance: key, state: rec.state, fields: rec.fields, ...when(rec.ts), source: src };
          if (rec.ts !== undefined) obs.since = rec.ts;
          out.push(obs);
        } else {
          out.push({ kind: "transition", instance: key, from: absent ?? initial, to: rec.state, fields: rec.fields, ...when(rec.ts), source: src });
        }
        continue;
      }
      if (before.state !== rec.state) {
        out.push({ kind: "transition", instance: key, from: before.state, to: rec.state, fields: rec.fields, ...when(rec.ts), source: src });
        continue;
      }
      if (epochField !== undefined && !sameJson(before.fields[epochField], rec.fields[epochField])) {
        out.push({
          kind: "event",
          instance: key,
          name: "epoch-change",
          fields: { from: before.fields[epochField] ?? null, to: rec.fields[epochField] ?? null },
          ...when(rec.ts),
          source: src,
        });
      }
    }

    for (const [key, before] of this.previous) {
      if (records.has(key)) continue;
      if (absent !== undefined) {
        out.push({ kind: "transition", instance: key, from: before.state, to: absent, fields: before.fields, ...when(undefined), source: src });
      } else {
        const where = src.file !== undefined ? `${src.file}${src.line !== undefined ? ` line ${src.line}` : ""}` : "this snapshot";
        this.gone.set(key, before);
        out.push({
          kind: "warning",
          code: "source-error",
          key: `disappeared:${key}`,
          instance: key,
          message: `row ${key} disappeared (it was ${before.state}): it is not in ${where}. Its last state is kept.`,
          ...when(undefined),
          source: src,
        });
      }
    }

    this.previous = new Map(records);
    return out;
  }
}

function describeJson(v: Json | undefined): string {
  if (v === undefined) return "missing";
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * The records of one state-file document (ecluse: `{"version": 1, "sessions": [...]}`).
 * `records` is undefined when the document cannot be used at all (not an object, no array): do not
 * diff it, or every key would seem to disappear. A record without a usable key is left out and
 * reported; a duplicate key keeps its first record. A missing or null state is `whenMissing`.
 * Fields are the `show` paths when given, else every field of the record but the key and state.
 */
export function recordsFromStateFile(
  doc: Json,
  spec: NonNullable<StateFileSource["records"]>,
  opts: { file?: string | undefined; show?: string[] | undefined } = {},
): { records: SnapshotRecords | undefined; problems: SnapshotProblem[] } {
  const file = opts.file ?? "the state file";
  const problems: SnapshotProblem[] = [];
  if (!isJsonObject(doc)) return { records: undefined, problems: [{ message: `${file} is not a JSON object (it is ${describeJson(doc)}); it is ignored.` }] };
  const arr = getPath(doc, spec.array);
  if (!Array.isArray(arr)) {
    return { records: undefined, problems: [{ message: `${file} has no "${spec.array}" array (${describeJson(arr)}); it is ignored.` }] };
  }
  const records: SnapshotRecords = new Map();
  arr.forEach((item, i) => {
    const at = `${file}: ${spec.array}[${i}]`;
    if (!isJsonObject(item)) {
      problems.push({ message: `${at} is not an object (${describeJson(item)}); it is skipped.` });
      return;
    }
    const rawKey = getPath(item, spec.key);
    const key = typeof rawKey === "string" ? rawKey : typeof rawKey === "number" ? String(rawKey) : undefined;
    if (key === undefined || key === "") {
      problems.push({ message: `${at} has no "${spec.key}" (${describeJson(rawKey)}); it is skipped.` });
      return;
    }
    if (records.has(key)) {
      problems.push({ message: `${at}: ${spec.key} ${JSON.stringify(key)} appears twice; the first one is used.` });
      return;
    }
    const rawState = getPath(item, spec.state);
    let state: string;
    if (rawState === undefined || rawState === null) state = spec.whenMissing;
    else if (typeof rawState === "string") state = rawState;
    else {
      state = JSON.stringify(rawState);
      problems.push({ message: `${at} (${key}): "${spec.state}" is ${describeJson(rawState)}, not a string; it is shown as the state ${state}.` });
    }
    const rec: SnapshotRecord = { state, fields: dict() };
    if (spec.since !== undefined) {
      const rawSince = getPath(item, spec.since);
      if (typeof rawSince === "string") {
        const ts = isoUtc(rawSince);
        if (ts !== undefined) rec.ts = ts;
        else problems.push({ message: `${at} (${key}): "${spec.since}" is ${JSON.stringify(rawSince)}, not a timestamp; it is ignored.` });
      } else if (rawSince !== undefined && rawSince !== null) {
        problems.push({ message: `${at} (${key}): "${spec.since}" is ${describeJson(rawSince)}, not a timestamp; it is ignored.` });
      }
    }
    if (opts.show !== undefined) {
      for (const path of opts.show) {
        const v = getPath(item, path);
        if (v !== undefined) rec.fields[path] = v;
      }
    } else {
      for (const [k, v] of Object.entries(item)) if (k !== spec.key && k !== spec.state) rec.fields[k] = v;
    }
    records.set(key, rec);
  });
  return { records, problems };
}

/** One row of a table, its cells by column: text as the dump or the server wrote it, SQL NULL as null. */
export type TableCells = Readonly<Record<string, string | null>>;

/** A row of a table dump (`line`: where its CSV record starts) or of a polled result (no line). */
export interface TableRow {
  cells: TableCells;
  line?: number;
}

export interface TableRowsOptions {
  /** The dump file or the table, as problems name it. */
  name: string;
  /** The dump's header or the result's columns; else the first row's. */
  columns?: readonly string[] | undefined;
  /** What the problem of a missing key or state column says after the columns, punctuation first. */
  whenColumnsMissing: string;
  /** The header's line (a dump's), given to that problem. */
  headerLine?: number;
}

/** A problem with one row: a dump's names its line; a result row has none. */
function rowProblem(name: string, row: TableRow, message: string): SnapshotProblem {
  return row.line !== undefined ? { line: row.line, message: `${name} line ${row.line}: ${message}` } : { message: `${name}: ${message}` };
}

/** Said of a row's empty key or state cell: nothing in a dump (its line says which), else the cell quoted (NULL or ""). */
function emptyCell(row: TableRow, value: string | null | undefined): string {
  return row.line !== undefined ? "" : ` (${JSON.stringify(value ?? null)})`;
}

/**
 * The records of one read of a table — a dump (CSV rows with a header) or a poll (result rows) —
 * keyed by `spec.key`. `ts` is the `updatedAt` column; fields are the `show` columns plus the epoch
 * and owner columns (a NULL cell is null). `records` is undefined when the key or state column is
 * missing. A row without a key or state is skipped, a duplicate key keeps its first row and a
 * time that is not one is ignored, each with a problem.
 */
export function recordsFromTableRows(
  rows: readonly TableRow[],
  spec: TableSource,
  opts: TableRowsOptions,
): { records: SnapshotRecords | undefined; problems: SnapshotProblem[] } {
  const { name } = opts;
  const problems: SnapshotProblem[] = [];
  const records: SnapshotRecords = new Map();
  const columns = opts.columns ?? (rows[0] ? Object.keys(rows[0].cells) : undefined);
  if (columns !== undefined) {
    const missing = [spec.key, spec.state].filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      const message = `${name} has no column ${missing.map((c) => JSON.stringify(c)).join(" or ")} (its columns: ${columns.join(", ")})${opts.whenColumnsMissing}`;
      return { records: undefined, problems: [opts.headerLine !== undefined ? { line: opts.headerLine, message } : { message }] };
    }
  }
  const shown = [...(spec.show ?? [])];
  for (const c of [spec.epoch, spec.owner]) if (c !== undefined && !shown.includes(c)) shown.push(c);
  for (const row of rows) {
    const key = get(row.cells, spec.key);
    if (key === undefined || key === null || key === "") {
      // "line 7: the row has no ..." in a dump; "a row has no ... (null)" in a result.
      problems.push(rowProblem(name, row, `${row.line !== undefined ? "the" : "a"} row has no ${spec.key}${emptyCell(row, key)}; it is skipped.`));
      continue;
    }
    if (records.has(key)) {
      problems.push(rowProblem(name, row, `${spec.key} ${key} appears twice; the first row is used.`));
      continue;
    }
    const state = get(row.cells, spec.state);
    if (state === undefined || state === null || state === "") {
      problems.push(rowProblem(name, row, `row ${key} has no ${spec.state}${emptyCell(row, state)}; it is skipped.`));
      continue;
    }
    const rec: SnapshotRecord = { state, fields: dict() };
    for (const c of shown) {
      const v = get(row.cells, c);
      if (v !== undefined) rec.fields[c] = v;
    }
    if (spec.updatedAt !== undefined) {
      const raw = get(row.cells, spec.updatedAt);
      if (raw !== undefined && raw !== null && raw !== "") {
        const ts = isoUtc(raw);
        if (ts !== undefined) rec.ts = ts;
        else problems.push(rowProblem(name, row, `row ${key} has ${spec.updatedAt} ${JSON.stringify(raw)}, not a timestamp; it is ignored.`));
      }
    }
    records.set(key, rec);
  }
  return { records, problems };
}

/** A CSV record as a table row: its NULL cells (empty and unquoted) are null. */
function csvTableRow(row: CsvRow): TableRow {
  if (row.nulls === undefined || row.nulls.length === 0) return { line: row.line, cells: row.values };
  const cells = dict<string | null>(Object.entries(row.values));
  for (const c of row.nulls) if (has(cells, c)) cells[c] = null;
  return { line: row.line, cells };
}

/** The records of one table dump (CSV rows with a header): `recordsFromTableRows`, problems by line. */
export function recordsFromCsvRows(
  rows: readonly CsvRow[],
  spec: TableSource,
  opts: { file?: string | undefined; header?: readonly string[] | undefined } = {},
): { records: SnapshotRecords | undefined; problems: SnapshotProblem[] } {
  const tableRows = rows.map(csvTableRow);
  return recordsFromTableRows(tableRows, spec, { name: opts.file ?? "the table dump", columns: opts.header, whenColumnsMissing: "; it is ignored.", headerLine: 1 });
}
