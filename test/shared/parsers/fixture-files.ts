/** Reading fixtures for the parser tests: files as Lines (through the real LineSplitter), TSV tables. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures");

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** Bytes → Lines, fed in chunks of the given sizes (cycled), as a file tail would read them. */
export function linesOf(bytes: Uint8Array, chunkSizes: number[] = [64 * 1024], maxLineBytes?: number): Line[] {
  const s = new LineSplitter(maxLineBytes);
  const out: Line[] = [];
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = Math.max(1, chunkSizes[k++ % chunkSizes.length] ?? 1);
    out.push(...s.push(bytes.subarray(i, i + n)));
    i += n;
  }
  out.push(...s.flush());
  return out;
}

export function fileLines(file: string): Line[] {
  return linesOf(new Uint8Array(fs.readFileSync(file)));
}

export function textLines(text: string): Line[] {
  return linesOf(new TextEncoder().encode(text));
}

/** A TSV with a header row → one object per row. */
export function readTsv(file: string): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
  const cols = (head ?? "").split("\t");
  return rows.map((r) => {
    const cells = r.split("\t");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}
