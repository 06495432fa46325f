/**
 * A large log read in parts, side by side: the file is cut into parts of about `partBytes` at line
 * starts; reading thread r of R reads parts r, r + R, r + 2R… (reader-main.ts), each numbered and
 * placed exactly as reading the whole file would (the lines before a part are counted, the line
 * before it is known for the suspicious-line checks), and the indexing thread takes the parts
 * back in order (reader-client.ts). Only for one plain JSON-lines log, large enough to gain:
 * anything else (folders, text logs, .gz, standard input) is read whole, by one reader.
 */
import type { Profile } from "../../../shared/profiles/profile";
import { defaultInstance } from "../../../shared/profiles/profile";
import { logItems, type TargetItem } from "../check/log-items";
import type { ReadProgress } from "../check/read-target";
import { assertOrdinaryPath, openRegularFile } from "../fs/regular-file";
import { countNewlines, head, lineStartAtOrAfter, linesBefore, looksBinary, readLineRange } from "../fs/read-lines";
import { STDIN, type CheckInput, type CheckTarget } from "../target/target";

/** How a log is cut: its size, the parts' size, how many readers share them. */
export interface PartsPlan {
  input: CheckInput;
  size: number;
  partBytes: number;
  readers: number;
}

export interface PartsOptions {
  /** Smaller logs are read whole (default 32 MB). */
  minBytes?: number;
  /** The largest part (default 8 MB); a log is cut in at least as many parts as there are readers. */
  maxPartBytes?: number;
  readers?: number;
}

export const partCount = (plan: PartsPlan): number => Math.max(1, Math.ceil(plan.size / plan.partBytes));

/** How to read a target in parts, or undefined when it is to be read whole. */
export async function partsPlan(target: CheckTarget, opts: PartsOptions = {}): Promise<PartsPlan | undefined> {
  const [input] = target.inputs;
  if (!input || target.inputs.length !== 1 || target.skipped?.length) return undefined;
  if (input.kind !== "jsonl" || input.source.kind !== "jsonl-log" || input.file === STDIN || input.file.endsWith(".gz")) return undefined;
  const readers = opts.readers ?? 2;
  try {
    const { size } = await assertOrdinaryPath(input.file);
    if (size < (opts.minBytes ?? 32 * 1024 * 1024) || looksBinary(await head(input.file, 8192))) return undefined;
    const partBytes = Math.max(1, Math.min(opts.maxPartBytes ?? 8 * 1024 * 1024, Math.ceil(size / readers)));
    return { input, size, partBytes, readers };
  } catch {
    // Whatever is wrong with it, reading it whole says so.
    return undefined;
  }
}

/** What one reader yields: a batch of a part's items, or the end of a part. */
export type PartEvent = { part: number; items: TargetItem[] } | { part: number; end: true };

/**
 * Reader `r`'s parts, in order, as batches of unjudged items. `onRead` gets this reader's progress
 * (bytes and lines of its own parts); `stopped` is checked between batches.
 */
export async function* readParts(plan: PartsPlan, profile: Profile, r: number, hooks: { onRead(p: ReadProgress): void; stopped(): boolean }): AsyncGenerator<PartEvent> {
  const { input, size } = plan;
  // The one way the backend opens a user's file (O_NONBLOCK, refused unless regular): it may have changed since the plan.
  const { fh } = await openRegularFile(input.file);
  const progress: ReadProgress = { file: input.file, bytesRead: 0, bytesTotal: size, lines: 0 };
  const instance = defaultInstance(profile);
  try {
    const n = partCount(plan);
    // Lines before `countedTo` (a line start), counted as this reader goes.
    let countedTo = 0;
    let linesBeforeIt = 0;
    for (let k = r; k < n; k += plan.readers) {
      const start = await lineStartAtOrAfter(fh, k * plan.partBytes, size);
      const end = k + 1 >= n ? size : await lineStartAtOrAfter(fh, (k + 1) * plan.partBytes, size);
      linesBeforeIt += await countNewlines(fh, countedTo, start);
      countedTo = start;
      const startLine = linesBeforeIt;
      const before = start > 0 ? await linesBefore(fh, start, startLine) : [];
      const doneBefore = progress.bytesRead;
      const lines = () => readLineRange(input.file, { start, end, startLine }, { onProgress: (b) => ((progress.bytesRead = doneBefore + Math.min(b, end - start)), hooks.onRead(progress)) });
      for await (const b of logItems(input, { profile, instance, fields: false, name: input.file, part: { before } }, lines)) {
        progress.lines += b.lines;
        hooks.onRead(progress);
        yield { part: k, items: b.items };
        if (hooks.stopped()) return;
      }
      progress.bytesRead = doneBefore + (end - start);
      hooks.onRead(progress);
      yield { part: k, end: true };
    }
  } finally {
    await fh.close();
  }
}
