/**
 * `check`: reads every input of a target in order, streaming line by line (read-target.ts), and
 * builds the report. Bad lines, binary files and unreadable files become errors with file and
 * line; reading goes on.
 */
import type { CheckReport } from "./report";
import { ReportSink } from "./sink";
import { readTarget } from "./read-target";
import { isSnapshotSequence, type CheckTarget } from "../target/target";

export interface CheckOptions {
  keepDetails: boolean;
  /** Where `-` reads from (standard input). */
  stdin?: NodeJS.ReadableStream;
  /** Called as bytes are read: (file, bytes read of all files, bytes of all files). */
  onProgress?: ((file: string, bytesRead: number, size: number) => void) | undefined;
}

export async function runCheck(target: CheckTarget, opts: CheckOptions): Promise<CheckReport> {
  const sink = new ReportSink(target.profile, { keepDetails: opts.keepDetails, sampled: isSnapshotSequence(target) });
  const reading = readTarget(target, {
    ...(opts.stdin ? { stdin: opts.stdin } : {}),
    ...(opts.onProgress ? { onProgress: (p) => opts.onProgress?.(p.file, p.bytesRead, p.bytesTotal) } : {}),
    current: (instance) => sink.current(instance),
    note: (message) => sink.note(message),
    fields: false,
  });
  for (;;) {
    const next = await reading.next();
    if (next.done) return sink.report(target.target, next.value);
    for (const item of next.value) sink.add(item.obs, item.tsMs);
  }
}
