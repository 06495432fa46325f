/**
 * Judged observations, packed to cross from the replay's reading thread to its indexing thread:
 * a batch's log lines (transitions and other events, the many) as typed-array columns with their
 * strings interned once per run and their stamps in one string, so a million lines cost a copy of
 * a few buffers instead of a million cloned objects (structured clone of small objects is slower
 * than reading them). Everything else (warnings, locks, a line's kept fields, a statechart's
 * container dwell: the few) travels whole. Decoding gives back equal observations, in order.
 */
import type { NewObservation, Verdict } from "../trace/observation";

/** An observation as a reader yields it: where its line starts, and its time in epoch ms. */
export interface CodecItem {
  obs: NewObservation;
  offset?: number;
  tsMs?: number;
}

/** One batch, packed. The typed arrays' buffers can be transferred. */
export interface PackedItems {
  count: number;
  /** 0: the next of `whole`; 1: a transition; 2: an event. */
  kind: Uint8Array;
  /** 1 when the time is ours (observed), not the line's. */
  observed: Uint8Array;
  instance: Int32Array;
  /** A transition's from, an event's name. */
  a: Int32Array;
  /** A transition's to (-1 for an event). */
  b: Int32Array;
  /** A transition's event (-1: none). */
  c: Int32Array;
  verdict: Uint8Array;
  /** Dwell ms (NaN: none). */
  dwell: Float64Array;
  /** Epoch ms (NaN: none). */
  tsMs: Float64Array;
  /** The stamp's length in `stamps` (-1: no stamp). */
  stampLength: Int32Array;
  /** Every stamp of the batch, one after another. */
  stamps: string;
  file: Int32Array;
  /** Line number (0: none). */
  line: Int32Array;
  /** Byte offset of the line (-1: none). */
  offset: Float64Array;
  /** Strings first used in this batch, numbered on from the previous batches'. */
  strings: string[];
  /** The observations packed whole, in order. */
  whole: CodecItem[];
}

const VERDICTS: readonly (Verdict | undefined)[] = [undefined, "declared", "undeclared", "from-mismatch", "unknown-state", "gap"];
const VERDICT_ID = new Map<Verdict | undefined, number>(VERDICTS.map((v, i) => [v, i]));

/** The buffers of a packed batch, to transfer rather than copy. */
export function packedBuffers(p: PackedItems): ArrayBuffer[] {
  return [p.kind, p.observed, p.instance, p.a, p.b, p.c, p.verdict, p.dwell, p.tsMs, p.stampLength, p.file, p.line, p.offset].map((a) => a.buffer as ArrayBuffer);
}

/** The reading side: numbers each string once for the whole run. */
export class ItemPacker {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  /** The last file's id: every line of a file names the same string. */
  private lastFile: string | undefined;
  private lastFileId = -1;

  private fileId(s: string | undefined): number {
    if (s !== this.lastFile) {
      this.lastFile = s;
      this.lastFileId = this.id(s);
    }
    return this.lastFileId;
  }

  private id(s: string | undefined): number {
    if (s === undefined) return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.fresh.push(s);
    }
    return id;
  }

  pack(items: readonly CodecItem[]): PackedItems {
    const n = items.length;
    const p: PackedItems = {
      count: n,
      kind: new Uint8Array(n),
      observed: new Uint8Array(n),
      instance: new Int32Array(n),
      a: new Int32Array(n),
      b: new Int32Array(n),
      c: new Int32Array(n),
      verdict: new Uint8Array(n),
      dwell: new Float64Array(n),
      tsMs: new Float64Array(n),
      stampLength: new Int32Array(n),
      stamps: "",
      file: new Int32Array(n),
      line: new Int32Array(n),
      offset: new Float64Array(n),
      strings: [],
      whole: [],
    };
    const stamps: string[] = [];
    for (let i = 0; i < n; i++) {
      const item = items[i] as CodecItem;
      const o = item.obs;
      if (o.kind === "transition" && o.fields === undefined && o.containerDwell === undefined && o.source.table === undefined) {
        p.kind[i] = 1;
        p.a[i] = this.id(o.from);
        p.b[i] = this.id(o.to);
        p.c[i] = this.id(o.event);
        p.verdict[i] = VERDICT_ID.get(o.verdict) ?? 0;
        p.dwell[i] = o.dwellMs ?? NaN;
      } else if (o.kind === "event" && o.fields === undefined && o.source.table === undefined) {
        p.kind[i] = 2;
        p.a[i] = this.id(o.name);
        p.b[i] = -1;
        p.c[i] = -1;
        p.dwell[i] = NaN;
      } else {
        p.whole.push(item);
        continue;
      }
      p.observed[i] = o.tsFrom === "observed" ? 1 : 0;
      p.instance[i] = this.id(o.instance);
      p.tsMs[i] = item.tsMs ?? NaN;
      if (o.ts !== undefined) {
        p.stampLength[i] = o.ts.length;
        stamps.push(o.ts);
      } else p.stampLength[i] = -1;
      p.file[i] = this.fileId(o.source.file);
      p.line[i] = o.source.line ?? 0;
      p.offset[i] = item.offset ?? -1;
    }
    p.stamps = stamps.join("");
    p.strings = this.fresh;
    this.fresh = [];
    return p;
  }
}

/** The indexing side: the strings of every batch so far, and each batch unpacked in order. */
export class ItemUnpacker {
  private readonly strings: string[] = [];

  unpack(p: PackedItems): CodecItem[] {
    for (const s of p.strings) this.strings.push(s);
    const str = this.strings;
    const out: CodecItem[] = new Array<CodecItem>(p.count);
    let whole = 0;
    let at = 0;
    for (let i = 0; i < p.count; i++) {
      const kind = p.kind[i];
      if (kind === 0) {
        out[i] = p.whole[whole++] as CodecItem;
        continue;
      }
      const fileId = p.file[i] as number;
      const line = p.line[i] as number;
      const source: NewObservation["source"] = fileId >= 0 ? { file: str[fileId] as string } : {};
      if (line > 0) source.line = line;
      const instance = str[p.instance[i] as number] as string;
      const tsFrom = p.observed[i] === 1 ? "observed" : "artifact";
      let obs: NewObservation;
      if (kind === 1) {
        const t: NewObservation & { kind: "transition" } = { kind: "transition", instance, from: str[p.a[i] as number] as string, to: str[p.b[i] as number] as string, tsFrom, source };
        const event = p.c[i] as number;
        if (event >= 0) t.event = str[event] as string;
        const verdict = VERDICTS[p.verdict[i] as number];
        if (verdict !== undefined) t.verdict = verdict;
        const dwell = p.dwell[i] as number;
        if (!Number.isNaN(dwell)) t.dwellMs = dwell;
        obs = t;
      } else {
        obs = { kind: "event", instance, name: str[p.a[i] as number] as string, tsFrom, source };
      }
      const len = p.stampLength[i] as number;
      if (len >= 0) {
        obs.ts = p.stamps.slice(at, at + len);
        at += len;
      }
      const item: CodecItem = { obs };
      const offset = p.offset[i] as number;
      if (offset >= 0) item.offset = offset;
      const tsMs = p.tsMs[i] as number;
      if (!Number.isNaN(tsMs)) item.tsMs = tsMs;
      out[i] = item;
    }
    return out;
  }
}
