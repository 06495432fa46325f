/**
 * Follows a JSON-lines log, or daily logs matched by a glob (`.gz` archives read once): reads each
 * file from its last offset, keeps a partial last line until its newline, notices truncation and
 * replacement by size and inode (reported as a gap), and never keeps a file descriptor open
 * between reads.
 */
import fs from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import path from "node:path";
import type { JsonlLogSource } from "../../../shared/profiles/profile";
import { parseGlob, type ParsedGlob } from "../../../shared/profiles/glob";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { parseJsonlLine } from "../../../shared/trace/parse-jsonl";
import { Coalescer, watchFolder, type FolderWatch } from "./watch-folder";
import { isoNow, type Clock, type Emit, type Source } from "./types";

const CHUNK = 64 * 1024;

interface Tail {
  ino: number;
  splitter: LineSplitter;
  /** Bytes consumed (complete lines plus the buffered partial line). */
  readTo: number;
}

export class JsonlLogTail implements Source {
  private readonly glob: ParsedGlob;
  private readonly dir: string;
  private readonly tails = new Map<string, Tail>();
  private readonly done = new Set<string>();
  private watch: FolderWatch | undefined;
  private readonly coalescer: Coalescer;
  private readonly dirtyNames = new Set<string>();
  private rescanAll = true;

  constructor(
    root: string,
    private readonly spec: JsonlLogSource,
    private readonly instance: string,
    private readonly emit: Emit,
    private readonly clock: Clock,
  ) {
    this.glob = parseGlob(spec.glob);
    this.dir = path.join(root, this.glob.dir);
    this.coalescer = new Coalescer(() => this.scan());
  }

  private matches(name: string): boolean {
    return this.glob.name.test(name) || (name.endsWith(".gz") && this.glob.name.test(name.slice(0, -3)));
  }

  async start(): Promise<void> {
    this.watch = watchFolder(this.dir, (name) => {
      if (name === null) this.rescanAll = true;
      else if (this.matches(name)) this.dirtyNames.add(name);
      else return;
      this.coalescer.trigger();
    });
    await this.scan();
  }

  async close(): Promise<void> {
    this.coalescer.close();
    this.watch?.close();
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
    names.sort(byDay);
    for (const name of names) {
      if (name.endsWith(".gz")) await this.readGzip(name);
      else await this.readPlain(name);
    }
  }

  private lineObservations(lines: Line[], file: string): NewObservation[] {
    const observedTs = isoNow(this.clock);
    const out: NewObservation[] = [];
    for (const line of lines) {
      const obs = parseJsonlLine(this.spec, line, { file, instance: this.instance, observedTs });
      if (obs) out.push(obs);
    }
    return out;
  }

  private gap(file: string, why: string): NewObservation {
    return {
      kind: "warning",
      code: "gap",
      instance: this.instance,
      message: `${path.basename(file)} ${why}; reading it again from the start. Transitions written meanwhile may be missing.`,
      ts: isoNow(this.clock),
      tsFrom: "observed",
      source: { file },
    };
  }

  private async readPlain(name: string): Promise<void> {
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
        tail = { ino: st.ino, splitter: new LineSplitter(), readTo: 0 };
        this.tails.set(name, tail);
      }
      const buf = Buffer.allocUnsafe(CHUNK);
      while (tail.readTo < st.size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, st.size - tail.readTo), tail.readTo);
        if (bytesRead === 0) break;
        tail.readTo += bytesRead;
        pending.push(...this.lineObservations(tail.splitter.push(buf.subarray(0, bytesRead)), file));
        if (pending.length >= 1000) this.emit(pending.splice(0));
      }
      if (pending.length) this.emit(pending);
    } finally {
      await fh.close();
    }
  }

  private async readGzip(name: string): Promise<void> {
    if (this.done.has(name)) return;
    this.done.add(name);
    const file = path.join(this.dir, name);
    const splitter = new LineSplitter();
    const stream = createReadStream(file).pipe(createGunzip());
    const pending: NewObservation[] = [];
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pending.push(...this.lineObservations(splitter.push(chunk), file));
        if (pending.length >= 1000) this.emit(pending.splice(0));
      }
      pending.push(...this.lineObservations(splitter.flush(), file));
    } catch (err) {
      pending.push({
        kind: "warning",
        code: "unreadable",
        message: `${name} is not a readable gzip file (${(err as Error).message}); lines after line ${splitter.committedLine} are skipped.`,
        ts: isoNow(this.clock),
        tsFrom: "observed",
        source: { file, line: splitter.committedLine + 1 },
      });
    }
    if (pending.length) this.emit(pending);
  }
}

/** Daily logs sort by name (the date is in it); an archive sorts with its plain twin. */
export function byDay(a: string, b: string): number {
  const ka = a.replace(/\.gz$/, "");
  const kb = b.replace(/\.gz$/, "");
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
