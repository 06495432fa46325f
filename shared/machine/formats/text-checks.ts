import type { Diagnostic, Position } from "../diagnostics";

/** Start offset of every line, for turning an offset into a line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** 1-based line and column (in UTF-16 code units) of an offset. */
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

/** Drops a UTF-8 byte order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Largest machine or profile file read, in characters (a machine of 50,000 transitions is about 5 MB). */
export const MAX_TEXT_LENGTH = 16 * 1024 * 1024;

/**
 * Problems that make a file unreadable before any format is tried: too large, empty, binary (a NUL
 * byte), or not UTF-8 (the decoder left U+FFFD replacement characters).
 */
export function checkText(text: string, file: string, what = "a machine definition (JSON, YAML or SCXML)"): Diagnostic | undefined {
  if (text.length > MAX_TEXT_LENGTH) {
    const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
    return { severity: "error", file, path: "", message: `the file is ${mb(text.length)} MB; the limit for ${what} is ${mb(MAX_TEXT_LENGTH)} MB`, hint: "Check that it is the right file; split a machine this large into several." };
  }
  const at = (offset: number): Position => new LineIndex(text).position(offset);
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    return {
      severity: "error",
      file,
      ...at(nul),
      path: "",
      message: "the file is binary (it contains a NUL byte), not a text file",
      hint: `Open the file that holds ${what}.`,
    };
  }
  const bad = text.indexOf("\ufffd");
  if (bad >= 0) {
    return {
      severity: "error",
      file,
      ...at(bad),
      path: "",
      message: "the file is not valid UTF-8 text (it has bytes that do not decode)",
      hint: "Save it as UTF-8, or check that it is the right file.",
    };
  }
  if (stripBom(text).trim() === "") {
    return { severity: "error", file, path: "", message: "the file is empty", hint: `Write ${what} in it.` };
  }
  return undefined;
}

