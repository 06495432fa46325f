/**
 * A live session's spool: every observation it publishes, appended as JSON lines to a private file
 * (a fresh folder of mode 0700 under the system's temp folder, the file 0600), so "Save recording…"
 * can write everything the session showed while memory holds only what is waiting to be written.
 * Writes are batched: what arrives while one write runs goes out in the next. The folder is
 * removed when the session closes (once a save still reading it is done).
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FsmError } from "../../../shared/errors";
import { LineSplitter } from "../../../shared/trace/line-splitter";
import type { Observation } from "../../../shared/trace/observation";

/** More than this waiting to be written (a disk that stopped answering): the spool gives up rather than grow. */
export const MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** Largest observation line read back (a state file's fields can be large; log lines over 1 MB were refused already). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Observations per batch read back. */
const READ_BATCH = 2048;

/** A point in the spool: the first `count` observations, `bytes` long. */
export interface SpoolMark {
  count: number;
  bytes: number;
}

export class Spool {
  private dir: string | undefined;
  private file: string | undefined;
  private fh: fsp.FileHandle | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Bytes on disk, and observations accepted (on disk or waiting). */
  private written = 0;
  private total = 0;
  private count = 0;
  private writing: Promise<void> | undefined;
  private failure: string | undefined;
  private closed = false;
  private removed: Promise<void> | undefined;
  private readers = 0;

  constructor(
    /** What the spool belongs to, for messages ("Demo: simulated iai-mcp daemon"). */
    private readonly label: string,
    /** Told once when the spool stops keeping observations (a full disk), with why. */
    private readonly onFailure: (message: string) => void = () => {},
    private readonly tmpRoot: string = os.tmpdir(),
  ) {}

  /** The spool's folder, once the first write created it. */
  get folder(): string | undefined {
    return this.dir;
  }

  /** Observations accepted so far. */
  get size(): number {
    return this.count;
  }

  /** Bytes waiting to be written (what the spool holds in memory). */
  get waitingBytes(): number {
    return this.pendingBytes;
  }

  /** Appends a batch (as published); returns at once, the write follows. */
  append(items: readonly Observation[]): void {
    if (this.closed || this.failure !== undefined || items.length === 0) return;
    let text = "";
    for (const o of items) text += `${JSON.stringify(o)}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.pendingBytes + bytes > MAX_PENDING_BYTES) {
      this.fail(`more than ${MAX_PENDING_BYTES / (1024 * 1024)} MB of observations were waiting to be written to ${this.dir ?? this.tmpRoot}`);
      return;
    }
    this.pending.push(text);
    this.pendingBytes += bytes;
    this.total += bytes;
    this.count += items.length;
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
      // Arrived during the last write's completion.
      if (this.pending.length > 0 && !this.closed && this.failure === undefined) this.writing = this.drain().finally(() => (this.writing = undefined));
    });
  }

  private fail(why: string): void {
    if (this.failure !== undefined) return;
    this.failure = why;
    this.pending = [];
    this.pendingBytes = 0;
    // Never from inside the append that failed: the session is in the middle of publishing.
    const message = `Observations of ${this.label} can no longer be kept for Save recording…: ${why}. What is shown live is not affected.`;
    queueMicrotask(() => this.onFailure(message));
  }

  private async open(): Promise<fsp.FileHandle> {
    if (this.fh) return this.fh;
    this.dir = await fsp.mkdtemp(path.join(this.tmpRoot, "fsm-inspector-spool-"));
    await fsp.chmod(this.dir, 0o700);
    this.file = path.join(this.dir, "observations.jsonl");
    this.fh = await fsp.open(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    return this.fh;
  }

  private async drain(): Promise<void> {
    try {
      const fh = await this.open();
      while (this.pending.length > 0 && this.failure === undefined) {
        const chunk = this.pending.join("");
        const bytes = this.pendingBytes;
        this.pending = [];
        this.pendingBytes = 0;
        await fh.appendFile(chunk);
        this.written += bytes;
      }
    } catch (err) {
      this.fail((err as Error).message);
    }
  }

  /** Where the spool is now: the observations accepted so far (some may still be on their way to disk). */
  mark(): SpoolMark {
    return { count: this.count, bytes: this.total };
  }

  /** Why the spool cannot be saved, or undefined. */
  problem(): FsmError | undefined {
    if (this.failure === undefined) return undefined;
    return new FsmError({
      code: "spool-failed",
      message: `${this.label} cannot be saved as a recording: ${this.failure}, so the recording would be incomplete.`,
      hint: "Free some space in the temp folder, then open the folder again: a new session keeps its observations from then on.",
    });
  }

  /** Waits until everything up to `mark` is on disk. */
  private async flushed(mark: SpoolMark): Promise<void> {
    while (this.written < mark.bytes && this.failure === undefined) {
      if (!this.writing) break;
      await this.writing;
    }
    const problem = this.problem();
    if (problem) throw problem;
    if (this.written < mark.bytes) throw new FsmError({ code: "spool-failed", message: `${this.label}: the observations to save were not all written to the spool.`, hint: "Try again." });
  }

  /**
   * The observations up to `mark`, in batches, read back from disk. The spool's folder stays
   * until the reading is done, even when the session closes meanwhile.
   */
  async *read(mark: SpoolMark): AsyncGenerator<Observation[]> {
    if (mark.count === 0) return;
    this.readers++;
    try {
      await this.flushed(mark);
      const file = this.file;
      if (!file) return;
      const splitter = new LineSplitter(MAX_LINE_BYTES);
      let batch: Observation[] = [];
      let lineNo = 0;
      const take = (lines: ReturnType<LineSplitter["push"]>): void => {
        for (const line of lines) {
          lineNo++;
          if (line.text === "") continue;
          try {
            batch.push(JSON.parse(line.text) as Observation);
          } catch (err) {
            throw new FsmError({ code: "spool-damaged", message: `The spool of ${this.label} is damaged at line ${lineNo} (${(err as Error).message}).`, file, line: lineNo, hint: "Open the folder again; this session cannot be saved." });
          }
        }
      };
      for await (const chunk of fs.createReadStream(file, { start: 0, end: mark.bytes - 1, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
        take(splitter.push(chunk));
        if (batch.length >= READ_BATCH) {
          yield batch;
          batch = [];
        }
      }
      take(splitter.flush());
      if (batch.length) yield batch;
    } finally {
      this.readers--;
      if (this.closed && this.readers === 0) await this.remove();
    }
  }

  /** Stops keeping observations; removes the folder (now, or when the last save reading it ends). */
  async close(): Promise<void> {
    if (this.closed) return this.removed;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    await this.writing?.catch(() => undefined);
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    if (this.readers === 0) await this.remove();
  }

  private remove(): Promise<void> {
    const dir = this.dir;
    this.removed ??= dir ? fsp.rm(dir, { recursive: true, force: true }) : Promise.resolve();
    return this.removed;
  }
}
