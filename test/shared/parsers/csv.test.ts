import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CsvReader, type CsvRow } from "../../../shared/trace/csv";
import type { Line } from "../../../shared/trace/line-splitter";
import { fileLines, fixture, linesOf, textLines } from "./fixture-files";

function read(lines: Line[], file?: string): { rows: CsvRow[]; reader: CsvReader } {
  const reader = new CsvReader(file !== undefined ? { file } : {});
  const rows = lines.flatMap((l) => reader.push(l));
  rows.push(...reader.end());
  return { rows, reader };
}

const readText = (text: string, file?: string) => read(textLines(text), file);

describe("CsvReader", () => {
  it("reads a header and rows, numbering each row by its line", () => {
    const { rows, reader } = readText("id,state\n1,idle\n2,hot\n");
    expect(reader.header).toEqual(["id", "state"]);
    expect(rows).toEqual([
      { line: 2, values: { id: "1", state: "idle" } },
      { line: 3, values: { id: "2", state: "hot" } },
    ]);
    expect(reader.problems).toEqual([]);
  });

  it("unquotes fields, with \"\" for a quote and delimiters kept inside quotes", () => {
    const { rows, reader } = readText('a,b,c\n"x,y","say ""hi""",plain\n"",z,"a""b"\n');
    expect(rows.map((r) => r.values)).toEqual([
      { a: "x,y", b: 'say "hi"', c: "plain" },
      { a: "", b: "z", c: 'a"b' },
    ]);
    expect(reader.problems).toEqual([]);
  });

  it("tells a NULL (empty, unquoted) from an empty string (\"\"), as Postgres writes them", () => {
    const { rows } = readText('a,b,c\n,"",x\n');
    expect(rows).toEqual([{ line: 2, values: { a: "", b: "", c: "x" }, nulls: ["a"] }]);
  });

  it("reads a quoted field over several lines and reports the record's first line", () => {
    const { rows, reader } = readText('id,note\n1,"first\nsecond\n\nfourth"\n2,after\n');
    expect(rows).toEqual([
      { line: 2, values: { id: "1", note: "first\nsecond\n\nfourth" } },
      { line: 6, values: { id: "2", note: "after" } },
    ]);
    expect(reader.problems).toEqual([]);
  });

  it("accepts CRLF line ends, and keeps a CRLF inside a quoted field", () => {
    const { rows, reader } = readText('id,note\r\n1,"a\r\nb"\r\n2,c\r\n');
    expect(rows).toEqual([
      { line: 2, values: { id: "1", note: "a\r\nb" } },
      { line: 4, values: { id: "2", note: "c" } },
    ]);
    expect(reader.problems).toEqual([]);
  });

  it("reports a row with the wrong number of fields, skips it, and reads on", () => {
    const { rows, reader } = readText("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12", "dump.csv");
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
    expect(reader.problems).toEqual([
      { line: 3, message: "dump.csv: line 3 has 2 fields but the header has 3; the row is skipped." },
      { line: 4, message: "dump.csv: line 4 has 4 fields but the header has 3; the row is skipped." },
    ]);
  });

  it("reports an unterminated quote at the end, with the line it was opened on", () => {
    const { rows, reader } = readText('a,b\n1,2\n3,"never closed\n4,5\n', "dump.csv");
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(reader.problems).toEqual([{ line: 3, message: "dump.csv: the quoted field opened on line 3 is never closed (unterminated quote); the record is skipped." }]);
  });

  it("keeps text after a closing quote, and says so", () => {
    const { rows, reader } = readText('a,b\n"x"y,2\n');
    expect(rows.map((r) => r.values)).toEqual([{ a: "xy", b: "2" }]);
    expect(reader.problems).toHaveLength(1);
    expect(reader.problems[0]?.message).toMatch(/^line 2: field 1 has text after its closing quote/);
  });

  it("skips blank lines and a byte-order mark, and keeps a stray quote inside an unquoted field", () => {
    const { rows, reader } = readText('\uFEFFa,b\n\n5"6,x\n\n');
    expect(reader.header).toEqual(["a", "b"]);
    expect(rows).toEqual([{ line: 3, values: { a: '5"6', b: "x" } }]);
    expect(reader.problems).toEqual([]);
  });

  it("reports an empty file, a doubled header name, a cut line and an oversized record", () => {
    expect(readText("").reader.problems).toEqual([{ line: 0, message: "there is no header row (the file is empty)." }]);
    expect(readText("a,a\n1,2\n").reader.problems[0]?.message).toBe('the header (line 1) names column "a" twice (columns 1 and 2); the later one is used.');

    const cut = read(linesOf(new TextEncoder().encode(`a,b\n1,${"x".repeat(50)}\n2,3\n`), [1000], 20));
    expect(cut.rows.map((r) => r.values)).toEqual([{ a: "2", b: "3" }]);
    expect(cut.reader.problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^line 2 is 0\.0 MB long; lines over 1 MB are skipped\.$/) });

    const big = new CsvReader({ maxRecordBytes: 30 });
    const lines = textLines(`a,b\n1,"${"y\n".repeat(40)}"\n2,3\n`);
    const rows = [...lines.flatMap((l) => big.push(l)), ...big.end()];
    expect(rows.map((r) => r.values)).toEqual([{ a: "2", b: "3" }]);
    expect(big.problems).toHaveLength(1);
    expect(big.problems[0]?.message).toMatch(/^the record starting at line 2 is still open at line \d+ and over 0\.0 MB/);
  });

  it("reads the real duckgres dump (psql \\copy ... CSV HEADER)", () => {
    const { rows, reader } = read(fileLines(fixture("duckgres", "dump.csv")), "dump.csv");
    expect(reader.problems).toEqual([]);
    expect(reader.header).toHaveLength(17);
    expect(rows.map((r) => [r.values["worker_id"], r.values["state"]])).toEqual([
      ["1", "lost"],
      ["2", "retired"],
      ["3", "retired"],
      ["4", "retired"],
      ["5", "retired"],
      ["6", "retired"],
    ]);
    expect(rows[0]?.values["profile_cpu"]).toBe("");
    expect(rows[0]?.nulls).toEqual(["activation_started_at"]);
    expect(rows[0]?.values["updated_at"]).toBe("2026-11-25 13:31:59.584356+00");
  });
});

// A CSV writer for the properties: quotes when it must (or when asked), LF or CRLF record ends.
function toCsv(table: string[][], quoteAll: boolean, crlf: boolean, finalNewline: boolean): string {
  const eol = crlf ? "\r\n" : "\n";
  const cell = (v: string): string => (quoteAll || /[",\r\n]/.test(v) || v === "" ? `"${v.replace(/"/g, '""')}"` : v);
  const body = table.map((r) => r.map(cell).join(",")).join(eol);
  return finalNewline ? body + eol : body;
}

const cellArb = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "é", "✓", "😀"), maxLength: 8 });

describe("CsvReader properties", () => {
  it("gives the same rows however the file is chunked and split into lines", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((ncols) => fc.array(fc.array(cellArb, { minLength: ncols, maxLength: ncols }), { minLength: 1, maxLength: 8 })),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        (table, quoteAll, crlf, finalNewline, chunks) => {
          const header = table[0]!.map((_, i) => `c${i}`);
          const text = toCsv([header, ...table], quoteAll, crlf, finalNewline);
          const bytes = new TextEncoder().encode(text);
          const whole = read(linesOf(bytes, [bytes.length + 1]));
          const chunked = read(linesOf(bytes, chunks));
          expect(chunked.rows).toEqual(whole.rows);
          expect(chunked.reader.problems).toEqual([]);
          expect(whole.rows.map((r) => header.map((h) => r.values[h]))).toEqual(table);
          // Each row is numbered by its first line: the line count of everything before it, plus one.
          let lineNo = 2;
          table.forEach((r, i) => {
            expect(whole.rows[i]?.line).toBe(lineNo);
            lineNo += r.join("").split("\n").length;
          });
        },
      ),
    );
  });

  it("never throws, whatever the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (bytes, chunks) => {
        const { reader } = read(linesOf(bytes, chunks, 32));
        for (const p of reader.problems) expect(typeof p.message).toBe("string");
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom("a", ",", '"', " ", "\r"), maxLength: 12 }), { maxLength: 12 }), (texts) => {
        expect(() => readText(texts.join("\n"))).not.toThrow();
      }),
    );
  });
});
