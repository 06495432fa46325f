/**
 * A poll's result rows as records: each value as text (what the source reads already, as a
 * `\copy ... CSV` dump holds it), then the same row-to-record reading as a dump's
 * (`recordsFromTableRows`), its problems naming the table.
 */
import type { TableSource } from "../../../../shared/profiles/profile";
import { recordsFromTableRows, type SnapshotProblem, type SnapshotRecords, type TableCells } from "../../../../shared/trace/snapshot-diff";
import { dict } from "../../../../shared/dict";

/**
 * A value of a result row as text. The source reads every value as the server prints it, so this
 * is a string or NULL (null); pg's default parsers give other types, read as the server would
 * print them where it matters (a Date as canonical UTC ISO, bytes as `\x` hex).
 */
function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString("hex")}`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function textCells(row: Readonly<Record<string, unknown>>): TableCells {
  return dict(Object.entries(row).map(([column, v]) => [column, cellText(v)] as const));
}

/**
 * The records of one poll (pg result rows): `recordsFromTableRows`, problems naming the table
 * (`opts.table`, else the profile's) and quoting an empty key or state. `records` is undefined
 * when the key or state column is missing (`columns` = the result's column names).
 */
export function recordsFromRows(
  rows: readonly Readonly<Record<string, unknown>>[],
  spec: TableSource,
  opts: { table?: string; columns?: readonly string[] } = {},
): { records: SnapshotRecords | undefined; problems: SnapshotProblem[] } {
  return recordsFromTableRows(
    rows.map((row) => ({ cells: textCells(row) })),
    spec,
    { name: opts.table ?? spec.table, columns: opts.columns, whenColumnsMissing: ": is the profile's table right?" },
  );
}
