/**
 * Streams a file as lines, a chunk at a time (never the whole file in one string), gunzipping
 * `.gz` files on the way. Reports progress in bytes of the file on disk.
 */
import { createGunzip } from "node:zlib";
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
