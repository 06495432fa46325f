/**
 * Follows a log, or daily logs matched by a glob (`.gz` archives read once): reads each file from
 * its last offset, keeps a partial last line until its newline, notices truncation, copy-truncate
 * and replacement by size and inode (reported as a gap, then read again from the start), and never
 * keeps a file descriptor open between reads. What a line means is the parser's business (JSONL,
 * or a text log read with the profile's regular expressions).
 */
import fs from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import path from "node:path";
import { parseGlob, type ParsedGlob } from "../../../shared/profiles/glob";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
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
}

interface Tail {
  ino: number;
  splitter: LineSplitter;
  parser: LineParser;
  /** Bytes consumed (complete lines plus the buffered partial line). */
  readTo: number;
  /** Skip the first line read: we started in the middle of the file. */
  dropFirst: boolean;
}

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
    this.coalescer = new Coalescer(() => this.scan());
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
    await this.scan();
    this.started = true;
  }

  async close(): Promise<void> {
    this.watch?.close();
    await this.coalescer.close();
  }

  private async scan(): Promise<void> {
    let names: string[];
    if (this.rescanAll) {
      this.rescanAll = false;
      this.dirtyNames.clear();
      try {
        names = (await fs.readdir(this.dir)).filter((n) => this.matches(n));
      } catch {
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

  private gap(file: string, why: string): NewObservation {
    const w: NewObservation = {
      kind: "warning",
      code: "gap",
      message: `${path.basename(file)} ${why}; reading it again from the start. Lines written meanwhile may be missing.`,
      ts: isoNow(this.clock),
      tsFrom: "observed",
      source: { file },
    };
    if (this.opts.instance !== undefined) w.instance = this.opts.instance;
    return w;
  }

  private async readPlain(name: string): Promise<void> {
    if (this.archivesRead.has(name)) return;
    const file = path.join(this.dir, name);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, "r");
    } catch {
      return;
    }
    try {
      const st = await fh.stat();
      let tail = this.tails.get(name);
      const pending: NewObservation[] = [];
      if (tail && (tail.ino !== st.ino || st.size < tail.readTo)) {
        pending.push(this.gap(file, tail.ino !== st.ino ? "was replaced by a new file" : "was truncated"));
        tail = undefined;
      }
      if (!tail) {
        const history = !this.started && this.opts.historyBytes !== undefined ? this.opts.historyBytes : undefined;
        const from = history !== undefined && st.size > history ? st.size - history : 0;
        tail = { ino: st.ino, splitter: new LineSplitter(1024 * 1024, from), parser: this.makeParser(), readTo: from, dropFirst: from > 0 };
        this.tails.set(name, tail);
      }
      const buf = Buffer.allocUnsafe(CHUNK);
      while (tail.readTo < st.size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, st.size - tail.readTo), tail.readTo);
        if (bytesRead === 0) break;
        tail.readTo += bytesRead;
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
    this.archivesRead.add(name);
    const file = path.join(this.dir, name);
    const tail: Tail = { ino: 0, splitter: new LineSplitter(), parser: this.makeParser(), readTo: 0, dropFirst: false };
    const stream = createReadStream(file).pipe(createGunzip());
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
    }
    if (pending.length) this.emit(pending);
  }
}
