/** CSV dumps: written → read gives the same rows, columns named like Object members included; any bytes are read without an exception. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { CsvReader, type CsvRow } from "../../../shared/trace/csv";
import { LineSplitter } from "../../../shared/trace/line-splitter";
import { nameArb } from "./arbitraries";

const RUNS = 300;

function read(bytes: Uint8Array, chunk: number): { rows: CsvRow[]; reader: CsvReader } {
  const reader = new CsvReader({ file: "dump.csv" });
  const splitter = new LineSplitter();
  const rows: CsvRow[] = [];
  for (let i = 0; i < bytes.length; i += chunk) for (const line of splitter.push(bytes.subarray(i, i + chunk))) rows.push(...reader.push(line));
  for (const line of splitter.flush()) rows.push(...reader.push(line));
  rows.push(...reader.end());
  return { rows, reader };
}

/** As Postgres writes it: quoted when needed, "" for an empty string, nothing for NULL. */
function field(v: string | null): string {
  if (v === null) return "";
  return v === "" || /[",\r\n]/.test(v) || v.trim() !== v ? `"${v.replace(/"/g, '""')}"` : v;
}

const valueArb = fc.option(fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "é", "x", "__proto__") }), { nil: null, freq: 5 });

describe("CSV", () => {
  it("rows written as Postgres writes them read back exactly, whatever the column names and chunking", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(nameArb.filter((n) => n !== ""), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(valueArb, { minLength: 4, maxLength: 4 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        (columns, rawRows, chunk, crlf) => {
          const eol = crlf ? "\r\n" : "\n";
          const rows = rawRows.map((r) => columns.map((_, i) => r[i] ?? null));
          // A one-column row holding NULL is an empty line, which the reader takes as NULL too.
          const text = [columns.map(field).join(","), ...rows.map((r) => r.map(field).join(","))].join(eol) + eol;
          const { rows: got, reader } = read(new TextEncoder().encode(text), chunk);
          expect(reader.problems).toEqual([]);
          expect(reader.header).toEqual(columns);
          expect(got).toHaveLength(rows.length);
          got.forEach((row, i) => {
            expect(Object.getPrototypeOf(row.values)).toBeNull();
            expect(Object.keys(row.values)).toEqual(columns);
            columns.forEach((c, j) => {
              const want = rows[i]?.[j] ?? null;
              expect(row.values[c]).toBe(want ?? "");
              expect(row.nulls?.includes(c) ?? false).toBe(want === null);
            });
          });
        },
      ),
      { numRuns: runs(RUNS) },
    );
  });

  it("any bytes: rows and problems with their line, never an exception", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (bytes, chunk) => {
        const { rows, reader } = read(bytes, chunk);
        for (const r of rows) expect(r.line).toBeGreaterThan(0);
        for (const p of reader.problems) {
          expect(p.message).toMatch(/^dump\.csv: /);
          expect(p.line).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: runs(RUNS * 3) },
    );
  });
});
