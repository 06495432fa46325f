/**
 * Streams a file as lines, a chunk at a time (never the whole file in one string), gunzipping
 * `.gz` files on the way. Reports progress in bytes of the file on disk.
 */
import { createGunzip } from "node:zlib";
import type { FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import { regularReadStream } from "./regular-file";

export interface ReadOptions {
  maxLineBytes?: number;
  onProgress?: (bytesRead: number) => void;
}

/** Batches of complete lines; the last batch includes an unterminated final line. */
export async function* readLines(file: string, opts: ReadOptions = {}): AsyncGenerator<Line[]> {
  const { stream: raw } = await regularReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  raw.on("data", (chunk: Buffer | string) => {
    bytes += chunk.length;
    opts.onProgress?.(bytes);
  });
  const stream: Readable = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (err) => stream.destroy(err));
  try {
    yield* splitLines(stream, opts.maxLineBytes);
  } finally {
    raw.destroy();
  }
}

/** Batches of lines of any byte stream (standard input, a decompressed file). */
export async function* splitLines(stream: AsyncIterable<Buffer | string>, maxLineBytes?: number): AsyncGenerator<Line[]> {
  const splitter = new LineSplitter(maxLineBytes);
  for await (const chunk of stream) {
    const lines = splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    if (lines.length) yield lines;
  }
  const last = splitter.flush();
  if (last.length) yield last;
}

/** The first bytes of a file (decompressed for .gz), for sniffing its format. */
export async function head(file: string, maxBytes = 64 * 1024): Promise<Buffer> {
  const { stream: raw } = await regularReadStream(file, file.endsWith(".gz") ? {} : { start: 0, end: maxBytes - 1 });
  const stream: Readable = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (err) => stream.destroy(err));
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) break;
    }
  } catch (err) {
    if (size === 0) throw err;
  } finally {
    raw.destroy();
  }
  return Buffer.concat(parts).subarray(0, maxBytes);
}

/** Looks binary: NUL bytes in the first bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Reads [pos, pos + length) of an open file (fewer bytes at its end). */
async function readAt(fh: FileHandle, pos: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await fh.read(buf, 0, length, pos);
  return buf.subarray(0, bytesRead);
}

const BLOCK = 1024 * 1024;

/** How many newlines a buffer holds. */
function newlinesIn(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Where the first line starting at or after byte `pos` starts (the file's size when none does). */
export async function lineStartAtOrAfter(fh: FileHandle, pos: number, size: number): Promise<number> {
  if (pos <= 0) return 0;
  if (pos >= size) return size;
  // The byte before pos ends a line: pos starts one. Else the line running through pos ends at the next newline.
  for (let at = pos - 1; at < size; at += BLOCK) {
    const bytes = await readAt(fh, at, Math.min(BLOCK, size - at));
    const nl = bytes.indexOf(10);
    if (nl >= 0) return at + nl + 1;
    if (bytes.length === 0) break;
  }
  return size;
}

/** How many newlines [from, to) of a file holds. */
export async function countNewlines(fh: FileHandle, from: number, to: number): Promise<number> {
  let n = 0;
  for (let at = from; at < to; at += BLOCK) {
    const bytes = await readAt(fh, at, Math.min(BLOCK, to - at));
    n += newlinesIn(bytes);
    if (bytes.length === 0) break;
  }
  return n;
}

/**
 * The whole lines just before byte `end` (a line start), within `window` bytes: what a reader
 * starting at `end` needs to know of the lines before it. `endLine` is the number of lines before `end`.
 */
export async function linesBefore(fh: FileHandle, end: number, endLine: number, window = 64 * 1024, maxLineBytes?: number): Promise<Line[]> {
  const from = Math.max(0, end - window);
  const bytes = await readAt(fh, from, end - from);
  // Skip the part of a line cut by the window's start (unless the window starts the file).
  let start = 0;
  if (from > 0) {
    const nl = bytes.indexOf(10);
    if (nl < 0) return [];
    start = nl + 1;
  }
  const body = bytes.subarray(start);
  const splitter = new LineSplitter(maxLineBytes, from + start, endLine - newlinesIn(body));
  return splitter.push(body);
}

/**
 * The lines starting in [start, end) of a plain (not compressed) file, `start` and `end` being line
 * starts (or the file's end) and `startLine` the number of lines before `start`; numbered and
 * placed as reading the whole file would number and place them.
 */
export async function* readLineRange(file: string, range: { start: number; end: number; startLine: number }, opts: ReadOptions = {}): AsyncGenerator<Line[]> {
  if (range.end <= range.start) return;
  const { stream } = await regularReadStream(file, { start: range.start, end: range.end - 1, highWaterMark: 256 * 1024 });
  let bytes = 0;
  stream.on("data", (chunk: Buffer | string) => {
    bytes += chunk.length;
    opts.onProgress?.(bytes);
  });
  const splitter = new LineSplitter(opts.maxLineBytes, range.start, range.startLine);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const lines = splitter.push(chunk);
      if (lines.length) yield lines;
    }
    const last = splitter.flush();
    if (last.length) yield last;
  } finally {
    stream.destroy();
  }
}
