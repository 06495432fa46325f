/**
 * Answers a replay session's questions from its index: the model at a position, the timeline, a
 * page of observations, one observation with every field (its line read again from its file).
 */
import { createGunzip } from "node:zlib";
import { LineSplitter } from "../../../shared/trace/line-splitter";
import type { Observation } from "../../../shared/trace/observation";
import type { Profile, SourceSpec } from "../../../shared/profiles/profile";
import type { ReplayIndex } from "../../../shared/replay/replay-index";
import { openRegularFile } from "../fs/regular-file";
import { defaultInstance } from "../../../shared/profiles/profile";
import { lineParserFor } from "../sources/line-parsers";
import type { Query, QueryResults } from "./protocol";

/** Longest line read back for its details. */
const MAX_LINE = 1024 * 1024;
/** A .gz log is decompressed from its start to reach a line; not beyond this many bytes. */
const MAX_GZ_SKIP = 256 * 1024 * 1024;

export function seek(index: ReplayIndex, q: Extract<Query, { kind: "seek" }>): QueryResults["seek"] {
  const total = index.count;
  let position: number;
  const to = q.to;
  if ("position" in to) position = to.position;
  else if ("axis" in to) position = index.positionAtAxis(to.axis);
  else position = index.find(to.from, to.step, to.what, to.filter) ?? to.from;
  position = Math.max(0, Math.min(total, Math.floor(position)));
  const current = position > 0 ? index.observation(position) : null;
  return { position, total, axis: index.axisAt(position), ts: current?.ts ?? index.lastTimeUpTo(position) ?? null, model: index.modelAt(position, q.scope), scope: q.scope, current };
}

export function timeline(index: ReplayIndex, q: Extract<Query, { kind: "timeline" }>): QueryResults["timeline"] {
  return { ...index.timeline(q.buckets, q.filter), names: index.names() };
}

export function page(index: ReplayIndex, q: Extract<Query, { kind: "page" }>): QueryResults["page"] {
  return index.page(q.from, Math.max(0, Math.min(q.count, 1000)), q.before, q.filter);
}

/** Reads the line that starts at `offset` (a .gz file is decompressed up to there). */
async function lineAt(file: string, offset: number): Promise<Uint8Array | undefined> {
  const { fh } = await openRegularFile(file);
  try {
    if (!file.endsWith(".gz")) {
      const buf = Buffer.alloc(Math.min(MAX_LINE, 64 * 1024));
      let got = Buffer.alloc(0);
      for (let at = offset; got.length < MAX_LINE; ) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, at);
        if (bytesRead === 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        got = Buffer.concat([got, buf.subarray(0, nl >= 0 ? nl : bytesRead)]);
        if (nl >= 0) break;
        at += bytesRead;
      }
      return got;
    }
    if (offset > MAX_GZ_SKIP) return undefined;
    let seen = 0;
    const parts: Buffer[] = [];
    for await (const chunk of fh.createReadStream().pipe(createGunzip()) as AsyncIterable<Buffer>) {
      const start = Math.max(0, offset - seen);
      if (start < chunk.length) {
        const piece = chunk.subarray(start);
        const nl = piece.indexOf(10);
        parts.push(nl >= 0 ? piece.subarray(0, nl) : piece);
        if (nl >= 0) break;
      }
      seen += chunk.length;
      if (seen - offset > MAX_LINE) break;
    }
    return Buffer.concat(parts);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The observation at a position with the fields only its line holds (parsed again by its source's parser). */
export async function detail(index: ReplayIndex, profile: Profile, position: number, sourceOf: (file: string) => SourceSpec | undefined): Promise<Observation | null> {
  if (position < 1 || position > index.count) return null;
  const o = index.observation(position);
  const at = index.located(position);
  if (at.file === undefined || at.offset === undefined) return o;
  const log = sourceOf(at.file);
  if (!log || (log.kind !== "jsonl-log" && log.kind !== "text-log")) return o;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await lineAt(at.file, at.offset);
  } catch {
    return o;
  }
  if (!bytes) return o;
  const [line] = new LineSplitter(MAX_LINE, at.offset, (at.line ?? 1) - 1).push(Buffer.concat([Buffer.from(bytes), Buffer.from("\n")]));
  if (!line) return o;
  const again = lineParserFor(log, profile, defaultInstance(profile)).line(line, at.file).find((x) => x.kind === o.kind);
  if (again && "fields" in again && again.fields !== undefined && (o.kind === "event" || o.kind === "transition" || o.kind === "state")) {
    return { ...o, fields: again.fields } as Observation;
  }
  return o;
}
