/**
 * A streaming CSV reader (RFC 4180, as Postgres' `COPY ... CSV HEADER` writes it) over the lines
 * of the LineSplitter: the first record is the header; fields may be quoted, `""` is a quote
 * inside a quoted field, a quoted field may span several lines (the record is then numbered by its
 * first line), CRLF or LF line ends. It holds at most one record, never the whole file; bad data
 * becomes a problem with its line, never an exception. Pure.
 */
import type { Line } from "./line-splitter";
import { dict } from "../dict";

export interface CsvRow {
  /** 1-based line number of the record's first line. */
  line: number;
  /** Field values by header name. */
  values: Record<string, string>;
  /**
   * Columns whose field was empty and unquoted. Postgres writes NULL so (and an empty string as
   * `""`); other writers may not make the difference.
   */
  nulls?: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvReaderOptions {
  /** Named in problem messages. */
  file?: string;
  /** Field separator (one character); `,` by default. */
  delimiter?: string;
  /** A record (a quoted field spanning lines) larger than this is dropped and reported. Default 4 MB. */
  maxRecordBytes?: number;
}

const QUOTE = 34; // "

/** UTF-8 length of a string (lone surrogates never come out of TextDecoder). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The line break the splitter removed after this line: "\r\n" when it ended with CR LF. */
function lineBreakOf(line: Line): string {
  if (line.invalidUtf8 || line.truncatedFrom !== undefined) return "\n";
  return line.bytes - utf8Length(line.text) === 2 ? "\r\n" : "\n";
}

export class CsvReader {
  /** Everything wrong found so far, in line order. */
  readonly problems: CsvProblem[] = [];
  private columns: string[] | undefined;
  private readonly delimiter: number;
  private readonly delimiterChar: string;
  private readonly maxRecordBytes: number;

  // The record being read.
  private fields: string[] = [];
  private quoted: boolean[] = [];
  private field = "";
  private fieldQuoted = false;
  private inQuotes = false;
  private afterClosingQuote = false;
  private recordLine = 0;
  private recordBytes = 0;
  private recordProblem: string | undefined;
  /** The record is over maxRecordBytes: read on to its end, keeping nothing. */
  private discard = false;

  constructor(private readonly opts: CsvReaderOptions = {}) {
    const d = opts.delimiter ?? ",";
    if (d.length !== 1 || d === '"' || d === "\n" || d === "\r") throw new Error(`CSV delimiter must be one character other than a quote or a line break, not ${JSON.stringify(d)}.`);
    this.delimiterChar = d;
    this.delimiter = d.charCodeAt(0);
    this.maxRecordBytes = opts.maxRecordBytes ?? 4 * 1024 * 1024;
  }

  /** The header's column names, once the first record is read. */
  get header(): readonly string[] | undefined {
    return this.columns;
  }

  /** One line → the records it completes (none while a quoted field continues on the next line). */
  push(line: Line): CsvRow[] {
    if (line.truncatedFrom !== undefined) {
      const mb = (line.truncatedFrom / (1024 * 1024)).toFixed(1);
      if (this.inQuotes && !this.discard) {
        this.problem(this.recordLine, `the record starting at line ${this.recordLine} has a ${mb} MB line (line ${line.lineNo}); the record is skipped.`);
      } else if (!this.inQuotes) this.problem(line.lineNo, `line ${line.lineNo} is ${mb} MB long; lines over 1 MB are skipped.`);
      this.resetRecord();
      return [];
    }
    let text = line.text;
    if (!this.inQuotes) {
      // An empty line is no record, except in a one-column file where it is a NULL (as Postgres writes it).
      if (text === "" && this.columns?.length !== 1) return [];
      this.recordLine = line.lineNo;
      this.recordBytes = 0;
      if (this.columns === undefined && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.recordBytes += line.bytes;
    if (this.recordBytes > this.maxRecordBytes && !this.discard) {
      const mb = (this.maxRecordBytes / (1024 * 1024)).toFixed(1);
      this.problem(this.recordLine, `the record starting at line ${this.recordLine} is still open at line ${line.lineNo} and over ${mb} MB (a quote never closed?); it is skipped.`);
      this.discard = true;
    }
    this.scan(text);
    if (this.discard) {
      // Keep lexing (to find where the record ends) but hold none of it.
      this.fields = [];
      this.quoted = [];
      this.field = "";
    }
    if (this.inQuotes) {
      if (!this.discard) this.field += lineBreakOf(line);
      return [];
    }
    if (this.discard) {
      this.resetRecord();
      return [];
    }
    this.endField();
    return this.endRecord();
  }

  /** At end of input: reports a quoted field never closed, and an input without even a header. */
  end(): CsvRow[] {
    if (this.inQuotes) {
      if (!this.discard) this.problem(this.recordLine, `the quoted field opened on line ${this.recordLine} is never closed (unterminated quote); the record is skipped.`);
      this.resetRecord();
    }
    if (this.columns === undefined && this.problems.length === 0) this.problem(0, `there is no header row (the file is empty).`);
    return [];
  }

  private scan(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.field += text.slice(i);
          return;
        }
        this.field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          this.field += '"';
          i = q + 2;
        } else {
          this.inQuotes = false;
          this.afterClosingQuote = true;
          i = q + 1;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === this.delimiter) {
        this.endField();
        i += 1;
        continue;
      }
      if (c === QUOTE && this.field === "" && !this.fieldQuoted) {
        this.inQuotes = true;
        this.fieldQuoted = true;
        i += 1;
        continue;
      }
      // Plain text up to the next delimiter (a quote inside an unquoted field is kept as is).
      let j = text.indexOf(this.delimiterChar, i);
      if (j < 0) j = n;
      if (this.afterClosingQuote && this.recordProblem === undefined) {
        this.recordProblem = `field ${this.fields.length + 1} has text after its closing quote (${JSON.stringify(text.slice(i, Math.min(j, i + 40)))}); it is kept.`;
      }
      this.field += text.slice(i, j);
      i = j;
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.quoted.push(this.fieldQuoted);
    this.field = "";
    this.fieldQuoted = false;
    this.afterClosingQuote = false;
  }

  private endRecord(): CsvRow[] {
    const fields = this.fields;
    const quoted = this.quoted;
    const line = this.recordLine;
    const note = this.recordProblem;
    this.resetRecord();
    if (note !== undefined) this.problem(line, `line ${line}: ${note}`);
    if (this.columns === undefined) {
      this.columns = fields;
      const seen = new Map<string, number>();
      fields.forEach((name, i) => {
        const before = seen.get(name);
        if (before !== undefined) this.problem(line, `the header (line ${line}) names column ${JSON.stringify(name)} twice (columns ${before + 1} and ${i + 1}); the later one is used.`);
        else seen.set(name, i);
      });
      return [];
    }
    if (fields.length !== this.columns.length) {
      this.problem(line, `line ${line} has ${fields.length} field${fields.length === 1 ? "" : "s"} but the header has ${this.columns.length}; the row is skipped.`);
      return [];
    }
    const values = dict<string>();
    const nulls: string[] = [];
    this.columns.forEach((name, i) => {
      const v = fields[i] ?? "";
      values[name] = v;
      if (v === "" && !quoted[i]) nulls.push(name);
    });
    const row: CsvRow = { line, values };
    if (nulls.length > 0) row.nulls = nulls;
    return [row];
  }

  private resetRecord(): void {
    this.fields = [];
    this.quoted = [];
    this.field = "";
    this.fieldQuoted = false;
    this.inQuotes = false;
    this.afterClosingQuote = false;
    this.recordProblem = undefined;
    this.recordBytes = 0;
    this.discard = false;
  }

  private problem(line: number, message: string): void {
    const where = this.opts.file !== undefined ? `${this.opts.file}: ` : "";
    this.problems.push({ line, message: `${where}${message}` });
  }
}
