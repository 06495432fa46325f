/**
 * Follows a JSON state file that programs replace atomically (temp + rename: a new inode each
 * time), rewrite in place, truncate, delete and re-create. Reads the whole (small) file after each
 * change; a half-written file is retried briefly before it is reported.
 */
import path from "node:path";
import type { Json } from "../../../shared/machine/definition";
import type { StateFileSource } from "../../../shared/profiles/profile";
import { getPath, getString } from "../../../shared/trace/fields";
import { KeyedWarnings } from "../../../shared/trace/keyed-warnings";
import type { NewObservation } from "../../../shared/trace/observation";
import { parseIsoMs } from "../../../shared/trace/time";
import { SnapshotDiffer, currentStates, recordsFromStateFile } from "../../../shared/trace/snapshot-diff";
import { NotRegularError, readRegularFile } from "../fs/regular-file";
import { waitToRetry } from "./settle";
import { Coalescer, watchFolder, type FolderWatch } from "./watch-folder";
import { isoNow, type Clock, type Emit, type Source } from "./types";
import { dict } from "../../../shared/dict";


export class StateFileWatcher implements Source {
  private readonly file: string;
  private watch: FolderWatch | undefined;
  private readonly coalescer: Coalescer;
  private lastText: string | undefined;
  private lastState: string | undefined;
  private readonly warnings = new KeyedWarnings();
  /** Multi-instance files (ecluse sessions): successive versions diffed by key. */
  private readonly differ: SnapshotDiffer | undefined;
  private firstRecords = true;

  constructor(
    private readonly root: string,
    private readonly spec: StateFileSource,
    /** The instance of a single-instance file; the machine's initial state for a multi-instance one. */
    private readonly target: { instance: string } | { initial: string },
    private readonly emit: Emit,
    private readonly clock: Clock,
  ) {
    this.file = path.join(root, spec.path);
    this.coalescer = new Coalescer(
      () => this.read(),
      (err) => this.problem("unreadable", `reading ${this.spec.path} failed: ${(err as Error).message}`),
    );
    if (spec.records && "initial" in target) this.differ = new SnapshotDiffer({ initial: target.initial, absent: spec.records.absent });
  }

  async start(): Promise<void> {
    const base = path.basename(this.file);
    this.watch = watchFolder(path.dirname(this.file), (name) => {
      if (name === null || name === base || name.endsWith(".tmp")) this.coalescer.trigger();
    });
    // The first read goes through the coalescer like every later one, so they never overlap.
    await this.coalescer.run();
  }

  async close(): Promise<void> {
    this.watch?.close();
    await this.coalescer.close();
  }

  private async read(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let text: string;
      try {
        text = await readRegularFile(this.file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return this.missing();
        if (err instanceof NotRegularError) return this.problem("unreadable", `${err.message}; it is not read`);
        return this.problem("unreadable", `cannot read ${this.spec.path}: ${code === "EACCES" ? "permission denied; check its permissions" : (err as Error).message}`);
      }
      if (text === this.lastText) return;
      let doc: Json;
      try {
        doc = JSON.parse(text) as Json;
      } catch (err) {
        // A writer may be mid-way through an in-place rewrite: give it a moment.
        if (await waitToRetry(attempt)) continue;
        return this.problem("bad-line", `${this.spec.path} is not valid JSON (${(err as Error).message}); waiting for the next write.`);
      }
      this.lastText = text;
      this.clearProblems();
      return this.interpret(doc);
    }
  }

  private interpret(doc: Json): void {
    if (this.spec.records && this.differ) return this.interpretRecords(doc, this.spec.records, this.differ);
    if (!this.spec.state || !("instance" in this.target)) return;
    const state = getString(doc, this.spec.state);
    if (state === undefined) {
      this.problem("bad-line", `${this.spec.path} has no string field "${this.spec.state}".`);
      return;
    }
    const since = this.spec.since ? getString(doc, this.spec.since) : undefined;
    const sinceOk = since !== undefined && parseIsoMs(since) !== undefined;
    const fields: Record<string, Json> = dict();
    for (const f of this.spec.show ?? []) {
      const v = getPath(doc, f);
      if (v !== undefined) fields[f] = v;
    }
    const obs: NewObservation = {
      kind: "state",
      instance: this.target.instance,
      state,
      ts: sinceOk && state !== this.lastState ? since : isoNow(this.clock),
      tsFrom: sinceOk && state !== this.lastState ? "artifact" : "observed",
      source: { file: this.file },
      fields,
    };
    if (sinceOk) obs.since = since;
    this.lastState = state;
    this.emit([obs]);
  }

  /**
   * A file of many records (ecluse sessions): the first version read gives each key's state, each
   * later version's differences are transitions (a key that disappears goes to the absent state).
   */
  private interpretRecords(doc: Json, spec: NonNullable<StateFileSource["records"]>, differ: SnapshotDiffer): void {
    const name = path.basename(this.file);
    const { records, problems } = recordsFromStateFile(doc, spec, this.spec.show ? { file: name, show: this.spec.show } : { file: name });
    const now = isoNow(this.clock);
    const out: NewObservation[] = problems.map((p) => ({ kind: "warning", code: "bad-line", message: p.message, ts: now, tsFrom: "observed", source: { file: this.file } }));
    if (records) {
      const changes = differ.next(records, { file: this.file }, now);
      if (this.firstRecords) {
        // What is there when we start is each session's current state, not a change we saw happen.
        this.firstRecords = false;
        out.push(...currentStates(records, { file: this.file }, now));
      } else out.push(...changes);
    }
    if (out.length) this.emit(out);
  }

  private missing(): void {
    // Seen absent: when it appears, its records are changes we watched happen.
    if (this.lastText === undefined) this.firstRecords = false;
    this.lastText = undefined;
    this.warn(`missing:${this.file}`, "missing-file", `${this.spec.path} does not exist (yet) in ${this.root}; watching for it to appear.`);
  }

  /** A problem reading the file, shown once until it is read again (a new problem replaces it). */
  private problem(code: "unreadable" | "bad-line", message: string): void {
    this.warn(`bad:${this.file}`, code, message);
  }

  private warn(key: string, code: "missing-file" | "unreadable" | "bad-line", message: string): void {
    const w = this.warnings.raise(key, { code, message, source: { file: this.file } }, isoNow(this.clock));
    if (w) this.emit([w]);
  }

  private clearProblems(): void {
    const now = isoNow(this.clock);
    const cleared = [
      this.warnings.clear(`missing:${this.file}`, `${this.spec.path} appeared.`, now),
      this.warnings.clear(`bad:${this.file}`, `${this.spec.path} is readable again.`, now),
    ].filter((w) => w !== undefined);
    if (cleared.length) this.emit(cleared);
  }
}
