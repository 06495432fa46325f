/**
 * Signal and heartbeat files matched by a glob (iai-mcp's `wake.signal` and
 * `wrappers/heartbeat-<pid>-<uuid>.json`): one observation per file when it appears, changes or
 * disappears, with its age and (bounded) JSON content. Ages are re-evaluated on a timer; a file
 * older than `staleAfterMs` is reported again as stale, with a warning that is cleared when the
 * file is refreshed or removed. Only read: never written, created, deleted or locked.
 */
import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Json } from "../../../shared/machine/definition";
import { parseGlob, type ParsedGlob } from "../../../shared/profiles/glob";
import type { SignalSource } from "../../../shared/profiles/profile";
import { isJsonObject } from "../../../shared/trace/fields";
import type { NewObservation, SignalObservation } from "../../../shared/trace/observation";
import { parseIsoMs } from "../../../shared/trace/time";
import { readRegularFile } from "../fs/regular-file";
import { waitToRetry } from "./settle";
import { Coalescer, watchFolder, type FolderWatch } from "./watch-folder";
import { KeyedWarnings } from "../../../shared/trace/keyed-warnings";
import { isoNow, type Clock, type Emit, type Source } from "./types";
import { dict } from "../../../shared/dict";

export interface SignalFilesOptions {
  /** How often ages are re-evaluated (no I/O: from what was read). */
  recheckMs?: number;
  /** Safety-net rescan of the folder (in case a change notification was missed). */
  pollMs?: number;
  /** Largest JSON content reported in `fields`, in bytes; bigger content is cut down. */
  maxFieldBytes?: number;
}

/** Files bigger than this are not read: a signal file is a few hundred bytes. */
const MAX_READ_BYTES = 256 * 1024;
const MAX_STRING_CHARS = 512;

/**
 * Fields that say when a signal or heartbeat file was last meant, most specific first: a heartbeat's
 * last beat before a generic `ts`, a request's time before a creation time.
 */
export const TIME_FIELDS = [
  "last_heartbeat",
  "last_heartbeat_at",
  "last_heartbeat_ts",
  "heartbeat_at",
  "heartbeat_ts",
  "last_seen",
  "last_seen_at",
  "updated_at",
  "ts",
  "timestamp",
  "time",
  "requested_at",
  "created_at",
  "written_at",
  "started_at",
];

/** Epoch ms of a JSON time value: ISO-8601 text, or epoch seconds / milliseconds as a number. */
function timeOf(v: Json | undefined): number | undefined {
  if (typeof v === "string") return parseIsoMs(v);
  if (typeof v === "number" && Number.isFinite(v) && v > 0) return v < 1e11 ? v * 1000 : v;
  return undefined;
}

/** Which field gives the file's time, and the time; undefined when none does. */
export function signalTime(doc: Json | undefined): { field: string; ms: number } | undefined {
  if (!isJsonObject(doc)) return undefined;
  for (const field of TIME_FIELDS) {
    const ms = timeOf(doc[field]);
    if (ms !== undefined) return { field, ms };
  }
  return undefined;
}

/** The JSON content cut down to about `maxBytes`: long strings shortened, later fields dropped. */
export function boundedFields(doc: Json, maxBytes: number, fileBytes: number): Record<string, Json> {
  const obj: Record<string, Json> = isJsonObject(doc) ? doc : { value: doc };
  const out: Record<string, Json> = dict();
  let used = 2;
  let dropped = 0;
  for (const [k, v] of Object.entries(obj)) {
    const value: Json = typeof v === "string" && v.length > MAX_STRING_CHARS ? `${v.slice(0, MAX_STRING_CHARS)}… (${v.length} characters)` : v;
    const size = JSON.stringify(k).length + JSON.stringify(value).length + 2;
    if (used + size > maxBytes) {
      dropped++;
      continue;
    }
    used += size;
    out[k] = value;
  }
  if (dropped > 0) out["…"] = `${dropped} more field(s) not shown: the file is ${fileBytes} bytes`;
  return out;
}

interface Known {
  /** What was read last (compared to notice a change). */
  text: string;
  mtimeMs: number;
  ino: number;
  fields?: Record<string, Json>;
  /** The time the age is counted from (epoch ms) and where it came from. */
  timeMs: number;
  ageFrom: string;
  stale: boolean;
  badJson?: string;
}

export class SignalFilesSource implements Source {
  private readonly glob: ParsedGlob;
  private readonly dir: string;
  private readonly recheckMs: number;
  private readonly pollMs: number;
  private readonly maxFieldBytes: number;
  private readonly known = new Map<string, Known>();
  private readonly dirty = new Set<string>();
  private rescanAll = true;
  private watch: FolderWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly coalescer: Coalescer;
  private inflight: Promise<void> | undefined;
  private closed = false;
  /** Files stale, unreadable or not valid JSON, each warned about once until it is over. */
  private readonly warnings = new KeyedWarnings();

  constructor(
    root: string,
    private readonly spec: SignalSource,
    private readonly emit: Emit,
    private readonly clock: Clock,
    opts: SignalFilesOptions = {},
  ) {
    this.glob = parseGlob(spec.glob);
    this.dir = path.resolve(root, this.glob.dir);
    this.recheckMs = opts.recheckMs ?? 1000;
    this.pollMs = opts.pollMs ?? 1000;
    this.maxFieldBytes = opts.maxFieldBytes ?? 4096;
    this.coalescer = new Coalescer(() => {
      const p = this.scan();
      this.inflight = p;
      return p;
    });
  }

  async start(): Promise<void> {
    this.watch = watchFolder(
      this.dir,
      (name) => {
        if (name === null) this.rescanAll = true;
        else if (this.glob.name.test(name)) this.dirty.add(name);
        else return;
        this.coalescer.trigger();
      },
      { pollMs: this.pollMs },
    );
    // The first read goes through the coalescer like every later one, so they never overlap.
    await this.coalescer.run();
    this.timer = setInterval(() => this.recheckAges(), this.recheckMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    void this.coalescer.close();
    this.watch?.close();
    this.watch = undefined;
    await this.inflight;
  }

  private rel(name: string): string {
    return this.glob.dir ? `${this.glob.dir}/${name}` : name;
  }

  private async scan(): Promise<void> {
    let names: string[];
    if (this.rescanAll) {
      this.rescanAll = false;
      this.dirty.clear();
      let listed: string[] = [];
      try {
        listed = (await fs.readdir(this.dir)).filter((n) => this.glob.name.test(n));
      } catch {
        // The folder does not exist (yet): every file we knew is gone.
      }
      names = [...new Set([...listed, ...this.known.keys()])];
    } else {
      names = [...this.dirty];
      this.dirty.clear();
    }
    for (const name of names.sort()) {
      if (this.closed) return;
      await this.readOne(name);
    }
  }

  private async readOne(name: string): Promise<void> {
    const file = path.join(this.dir, name);
    for (let attempt = 0; ; attempt++) {
      let st: Stats;
      let text: string;
      try {
        st = await fs.stat(file);
        if (!st.isFile()) return this.gone(name);
        text = st.size > MAX_READ_BYTES ? "" : await readRegularFile(file, MAX_READ_BYTES);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return this.gone(name);
        return this.setUnreadable(name, `cannot read ${file}: ${(err as Error).message}; check its permissions.`);
      }
      this.setUnreadable(name, undefined);
      const prev = this.known.get(name);
      if (prev && prev.text === text && prev.mtimeMs === st.mtimeMs && prev.ino === st.ino) return;
      let doc: Json | undefined;
      let badJson: string | undefined;
      if (st.size > MAX_READ_BYTES) {
        badJson = undefined;
      } else if (text.trim() !== "") {
        try {
          doc = JSON.parse(text) as Json;
        } catch (err) {
          // A writer may be part-way through an in-place write: give it a moment.
          if (await waitToRetry(attempt, 3)) continue;
          badJson = (err as Error).message;
        }
      }
      const t = signalTime(doc);
      const entry: Known = {
        text,
        mtimeMs: st.mtimeMs,
        ino: st.ino,
        timeMs: t?.ms ?? st.mtimeMs,
        ageFrom: t?.field ?? "mtime",
        stale: false,
      };
      if (doc !== undefined) entry.fields = boundedFields(doc, this.maxFieldBytes, st.size);
      else if (st.size > MAX_READ_BYTES) entry.fields = { "…": `not read: the file is ${st.size} bytes` };
      if (badJson !== undefined) entry.badJson = badJson;
      entry.stale = this.isStale(entry);
      this.known.set(name, entry);
      if (this.closed) return;
      this.emit([this.observation(name, entry)]);
      this.updateBadJson(name, prev?.badJson, badJson);
      this.updateStale(name, prev?.stale ?? false, entry);
      return;
    }
  }

  private isStale(entry: Known): boolean {
    const limit = this.spec.staleAfterMs;
    return limit !== undefined && this.clock() - entry.timeMs > limit;
  }

  private recheckAges(): void {
    if (this.closed) return;
    for (const [name, entry] of this.known) {
      const stale = this.isStale(entry);
      if (stale === entry.stale) continue;
      entry.stale = stale;
      this.emit([this.observation(name, entry)]);
      this.updateStale(name, !stale, entry);
    }
  }

  private observation(name: string, entry: Known): NewObservation {
    const file = path.join(this.dir, name);
    const obs: Omit<SignalObservation, "seq"> = {
      kind: "signal",
      path: file,
      present: true,
      ageMs: Math.max(0, Math.round(this.clock() - entry.timeMs)),
      ageFrom: entry.ageFrom,
      ts: isoNow(this.clock),
      tsFrom: "observed",
      source: { file },
    };
    if (this.spec.staleAfterMs !== undefined) obs.stale = entry.stale;
    if (entry.fields !== undefined) obs.fields = entry.fields;
    return obs;
  }

  private gone(name: string): void {
    this.setUnreadable(name, undefined);
    const prev = this.known.get(name);
    if (!prev || this.closed) return;
    this.known.delete(name);
    const file = path.join(this.dir, name);
    const obs: Omit<SignalObservation, "seq"> = { kind: "signal", path: file, present: false, ts: isoNow(this.clock), tsFrom: "observed", source: { file } };
    this.emit([obs]);
    this.updateBadJson(name, prev.badJson, undefined);
    this.clearWarning(`stale-heartbeat:${file}`, `${this.rel(name)} is fresh again (or gone).`);
  }

  private updateStale(name: string, wasStale: boolean, entry: Known): void {
    if (this.closed || wasStale === entry.stale) return;
    const file = path.join(this.dir, name);
    const key = `stale-heartbeat:${file}`;
    if (!entry.stale) return this.clearWarning(key, `${this.rel(name)} is fresh again (or gone).`);
    const ageS = Math.round((this.clock() - entry.timeMs) / 1000);
    const limitS = Math.round((this.spec.staleAfterMs ?? 0) / 1000);
    const from = entry.ageFrom === "mtime" ? "last modified" : `its ${entry.ageFrom} is`;
    const message = `${this.rel(name)} is stale: ${from} ${ageS} s ago, more than ${limitS} s. The program that refreshes it has stopped or hung; check it, or delete ${file} if that program is gone.`;
    this.raiseWarning(key, "stale-heartbeat", message, file);
  }

  private updateBadJson(name: string, before: string | undefined, now: string | undefined): void {
    if (this.closed || before === now) return;
    const file = path.join(this.dir, name);
    if (now === undefined) return this.clearWarning(`bad:${file}`, `${this.rel(name)} is valid JSON again (or gone).`);
    const message = `${file} is not valid JSON (${now}): its content is not shown and its age is taken from its modification time; it is read again at its next change.`;
    this.raiseWarning(`bad:${file}`, "bad-line", message, file);
  }

  private setUnreadable(name: string, message: string | undefined): void {
    const file = path.join(this.dir, name);
    if (message === undefined) this.clearWarning(`unreadable:${file}`, `${this.rel(name)} is readable again.`);
    else this.raiseWarning(`unreadable:${file}`, "unreadable", message, file);
  }

  private raiseWarning(key: string, code: "stale-heartbeat" | "bad-line" | "unreadable", message: string, file: string): void {
    const w = this.closed ? undefined : this.warnings.raise(key, { code, message, source: { file } }, isoNow(this.clock));
    if (w) this.emit([w]);
  }

  private clearWarning(key: string, message: string): void {
    const w = this.closed ? undefined : this.warnings.clear(key, message, isoNow(this.clock));
    if (w) this.emit([w]);
  }
}
