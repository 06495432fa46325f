/**
 * Follows a log, or daily logs matched by a glob (`.gz` archives read once): reads each file from
 * its last offset, keeps a partial last line until its newline, notices truncation, copy-truncate
 * and replacement by size and inode (reported as a gap, then read again from the start), and never
 * keeps a file descriptor open between reads. What a line means is the parser's business (JSONL,
 * or a text log read with the profile's regular expressions).
 */
import fs from "node:fs/promises";
import { createGunzip } from "node:zlib";
import path from "node:path";
import { parseGlob, type ParsedGlob } from "../../../shared/profiles/glob";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { NotRegularError, openRegularFile } from "../fs/regular-file";
import { naturalOrder } from "./log-order";
import type { LineParser } from "./line-parsers";
import { Coalescer, watchFolder, type FolderWatch } from "./watch-folder";
import { isoNow, type Clock, type Emit, type Source } from "./types";

const CHUNK = 64 * 1024;

export interface LogTailOptions {
  /** Also read `<name>.gz` archives of matching names. */
  gzip: boolean;
  /**
   * On start, read at most this many bytes from the end of the newest file (older files are
   * skipped): enough to know where things stand without replaying years of history. Undefined:
   * read everything.
   */
  historyBytes?: number;
  /** An instance to blame for gaps in this log (single-instance profiles). */
  instance?: string;
  /** Bytes read at a time (default 64 KiB). */
  chunkBytes?: number;
}

interface Tail {
  ino: number;
  splitter: LineSplitter;
  parser: LineParser;
  /** Bytes consumed (complete lines plus the buffered partial line). */
  readTo: number;
  /** Skip the first line read: we started in the middle of a line. */
  dropFirst: boolean;
  /** The last bytes read (up to MARK_BYTES, ending at readTo): if they change, the file was rewritten. */
  mark?: Buffer;
}

const MARK_BYTES = 16;

export class LogTail implements Source {
  private readonly glob: ParsedGlob;
  private readonly dir: string;
  private readonly tails = new Map<string, Tail>();
  private readonly archivesRead = new Set<string>();
  private watch: FolderWatch | undefined;
  private readonly coalescer: Coalescer;
  private readonly dirtyNames = new Set<string>();
  private rescanAll = true;
  private started = false;
  /** Names refused or unreadable, each warned about once until they read fine again. */
  private readonly refused = new Set<string>();

  constructor(
    root: string,
    glob: string,
    private readonly makeParser: () => LineParser,
    private readonly emit: Emit,
    private readonly clock: Clock,
    private readonly opts: LogTailOptions,
  ) {
    this.glob = parseGlob(glob);
    this.dir = path.join(root, this.glob.dir);
    this.coalescer = new Coalescer(
      () => this.scan(),
      (err) => this.emit([this.warning("source-error", `reading ${path.join(this.dir, "")} failed: ${(err as Error).message}; retrying at the next change.`, this.dir)]),
    );
  }

  private matches(name: string): boolean {
    return this.glob.name.test(name) || (this.opts.gzip && name.endsWith(".gz") && this.glob.name.test(name.slice(0, -3)));
  }

  async start(): Promise<void> {
    this.watch = watchFolder(this.dir, (name) => {
      if (name === null) this.rescanAll = true;
      else if (this.matches(name)) this.dirtyNames.add(name);
      else return;
      this.coalescer.trigger();
    });
    // The first read goes through the coalescer like every later one, so they never overlap.
    await this.coalescer.run();
  }

  async close(): Promise<void> {
    this.watch?.close();
    await this.coalescer.close();
  }

  private async scan(): Promise<void> {
    try {
      await this.scanNames();
    } finally {
      // Whatever the first look found (even nothing), later files are news, read from their start.
      this.started = true;
    }
  }

  private async scanNames(): Promise<void> {
    let names: string[];
    if (this.rescanAll) {
      this.rescanAll = false;
      this.dirtyNames.clear();
      try {
        names = (await fs.readdir(this.dir)).filter((n) => this.matches(n));
        this.folderReadable();
      } catch (err) {
        this.folderUnreadable(err);
        return;
      }
    } else {
      names = [...this.dirtyNames];
      this.dirtyNames.clear();
    }
    names.sort(naturalOrder);
    if (!this.started && this.opts.historyBytes !== undefined) {
      // First look: only the end of the newest file; older files are history.
      const newest = names.filter((n) => !n.endsWith(".gz")).pop();
      for (const n of names) if (n !== newest) this.archivesRead.add(n);
      names = newest ? [newest] : [];
    }
    for (const name of names) {
      if (name.endsWith(".gz")) await this.readGzip(name);
      else await this.readPlain(name);
    }
  }

  /** A folder that does not exist (yet) is silently waited for; one that cannot be read is said, once. */
  private folderUnreadable(err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || this.refused.has("")) return;
    this.refused.add("");
    const why = code === "EACCES" ? "permission denied" : (err as Error).message;
    this.emit([this.warning("unreadable", `the log folder ${this.dir} cannot be read (${why}); its logs are not followed until it can be. Check its permissions.`, this.dir, `unreadable:${this.dir}`)]);
  }

  private folderReadable(): void {
    if (this.refused.delete("")) this.emit([this.warning("unreadable", `the log folder ${this.dir} can be read again.`, this.dir, `unreadable:${this.dir}`, true)]);
  }

  private parse(tail: Tail, lines: Line[], file: string): NewObservation[] {
    const observedTs = isoNow(this.clock);
    const out: NewObservation[] = [];
    for (const line of lines) {
      if (tail.dropFirst) {
        tail.dropFirst = false;
        continue;
      }
      out.push(...tail.parser.line(line, file, observedTs));
    }
    return out;
  }

  private warning(code: "gap" | "unreadable" | "source-error", message: string, file: string, key?: string, cleared?: boolean): NewObservation {
    const w: NewObservation = { kind: "warning", code, message, ts: isoNow(this.clock), tsFrom: "observed", source: { file } };
    if (code === "gap" && this.opts.instance !== undefined) w.instance = this.opts.instance;
    if (key !== undefined) w.key = key;
    if (cleared) w.cleared = true;
    return w;
  }

  private gap(file: string, why: string): NewObservation {
    return this.warning("gap", `${path.basename(file)} ${why}; reading it again from the start. Lines written meanwhile may be missing.`, file);
  }

  /** Opens a log to read, or warns once about why it cannot be read (a FIFO, permission denied). */
  private async open(name: string): Promise<Awaited<ReturnType<typeof openRegularFile>> | undefined> {
    const file = path.join(this.dir, name);
    try {
      const opened = await openRegularFile(file);
      if (this.refused.delete(name)) this.emit([this.warning("unreadable", `${name} can be read again.`, file, `unreadable:${file}`, true)]);
      return opened;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      if (!this.refused.has(name)) {
        this.refused.add(name);
        const why = err instanceof NotRegularError ? err.message : code === "EACCES" ? `${file} cannot be read: permission denied` : `${file} cannot be read: ${(err as Error).message}`;
        this.emit([this.warning("unreadable", `${why}. It is skipped; the other files are still followed.`, file, `unreadable:${file}`)]);
      }
      return undefined;
    }
  }

  private async readPlain(name: string): Promise<void> {
    if (this.archivesRead.has(name)) return;
    const file = path.join(this.dir, name);
    const opened = await this.open(name);
    if (!opened) return;
    const { fh, stat: st } = opened;
    try {
      let tail = this.tails.get(name);
      const pending: NewObservation[] = [];
      const changed = tail ? tail.ino !== st.ino ? "was replaced by a new file" : st.size < tail.readTo ? "was truncated" : (await rewritten(fh, tail)) ? "was rewritten from the start" : undefined : undefined;
      if (changed) {
        pending.push(this.gap(file, changed));
        tail = undefined;
      }
      if (!tail) {
        const history = !this.started && this.opts.historyBytes !== undefined ? this.opts.historyBytes : undefined;
        const from = history !== undefined && st.size > history ? st.size - history : 0;
        // Lines keep their numbers in the file even when reading starts part-way through it; a
        // start that falls exactly on a line's first byte keeps that line.
        const before = from > 0 ? await countLines(fh, from, this.opts.chunkBytes ?? CHUNK) : { lines: 0, endsLine: true };
        tail = { ino: st.ino, splitter: new LineSplitter(1024 * 1024, from, before.lines), parser: this.makeParser(), readTo: from, dropFirst: !before.endsLine };
        this.tails.set(name, tail);
      }
      const chunk = this.opts.chunkBytes ?? CHUNK;
      const buf = Buffer.allocUnsafe(chunk);
      while (tail.readTo < st.size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(chunk, st.size - tail.readTo), tail.readTo);
        if (bytesRead === 0) break;
        tail.readTo += bytesRead;
        tail.mark = Buffer.concat([tail.mark ?? Buffer.alloc(0), buf.subarray(Math.max(0, bytesRead - MARK_BYTES), bytesRead)]).subarray(-MARK_BYTES);
        pending.push(...this.parse(tail, tail.splitter.push(buf.subarray(0, bytesRead)), file));
        if (pending.length >= 1000) this.emit(pending.splice(0));
      }
      if (pending.length) this.emit(pending);
    } finally {
      await fh.close();
    }
  }

  private async readGzip(name: string): Promise<void> {
    if (this.archivesRead.has(name)) return;
    const file = path.join(this.dir, name);
    const opened = await this.open(name);
    if (!opened) return;
    this.archivesRead.add(name);
    const tail: Tail = { ino: 0, splitter: new LineSplitter(), parser: this.makeParser(), readTo: 0, dropFirst: false };
    const raw = opened.fh.createReadStream({ autoClose: true });
    const stream = raw.pipe(createGunzip());
    raw.on("error", (err) => stream.destroy(err));
    const pending: NewObservation[] = [];
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pending.push(...this.parse(tail, tail.splitter.push(chunk), file));
        if (pending.length >= 1000) this.emit(pending.splice(0));
      }
      pending.push(...this.parse(tail, tail.splitter.flush(), file));
    } catch (err) {
      pending.push({
        kind: "warning",
        code: "unreadable",
        message: `${name} is not a readable gzip file (${(err as Error).message}); lines after line ${tail.splitter.committedLine} are skipped.`,
        ts: isoNow(this.clock),
        tsFrom: "observed",
        source: { file, line: tail.splitter.committedLine + 1 },
      });
    } finally {
      raw.destroy();
    }
    if (pending.length) this.emit(pending);
  }
}

/** Newlines in the first `end` bytes of a file, and whether byte `end - 1` is one (a line starts at `end`). */
async function countLines(fh: fs.FileHandle, end: number, chunk: number): Promise<{ lines: number; endsLine: boolean }> {
  const buf = Buffer.allocUnsafe(Math.max(chunk, 1024 * 1024));
  let lines = 0;
  let last = -1;
  for (let at = 0; at < end; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - at), at);
    if (bytesRead === 0) break;
    for (let i = buf.indexOf(10, 0); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) lines++;
    last = buf[bytesRead - 1] ?? -1;
    at += bytesRead;
  }
  return { lines, endsLine: last === 10 };
}

/** Whether the bytes just before where we read to are no longer what we read there (a rewrite that grew past it). */
async function rewritten(fh: fs.FileHandle, tail: Tail): Promise<boolean> {
  const mark = tail.mark;
  if (!mark || mark.length === 0) return false;
  const now = Buffer.alloc(mark.length);
  const { bytesRead } = await fh.read(now, 0, mark.length, tail.readTo - mark.length);
  return bytesRead !== mark.length || !now.equals(mark);
}
