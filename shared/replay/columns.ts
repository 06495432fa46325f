/**
 * Growable typed-array columns for the replay index: one number per observation, stored in
 * fixed-size chunks so growing never copies what is already there, and a million rows cost a few
 * megabytes instead of a million objects.
 */
type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array;
type Maker<T extends TypedArray> = (n: number) => T;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

export class Column<T extends TypedArray> {
  private readonly chunks: T[] = [];
  private size = 0;

  constructor(
    private readonly make: Maker<T>,
    private readonly fill?: number,
  ) {}

  get length(): number {
    return this.size;
  }

  push(v: number): void {
    const i = this.size;
    if ((i & MASK) === 0) {
      const chunk = this.make(CHUNK);
      if (this.fill !== undefined) chunk.fill(this.fill);
      this.chunks.push(chunk);
    }
    (this.chunks[i >>> CHUNK_BITS] as T)[i & MASK] = v;
    this.size = i + 1;
  }

  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as T)[i & MASK] as number;
  }

  set(i: number, v: number): void {
    (this.chunks[i >>> CHUNK_BITS] as T)[i & MASK] = v;
  }

  /** The last index i with this[i] ≤ v (the column must be sorted ascending), or -1. */
  lastAtMost(v: number): number {
    let lo = 0;
    let hi = this.size - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.get(mid) <= v) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.chunks.reduce((s, c) => s + c.byteLength, 0);
  }
}

export const f64 = (fill?: number): Column<Float64Array> => new Column((n) => new Float64Array(n), fill);
export const i32 = (fill?: number): Column<Int32Array> => new Column((n) => new Int32Array(n), fill);
export const u32 = (): Column<Uint32Array> => new Column((n) => new Uint32Array(n));
export const u8 = (): Column<Uint8Array> => new Column((n) => new Uint8Array(n));

/** Strings interned once: each distinct state, event, instance, file name or message is kept one time. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  /** A few strings asked for lately (the same instance, file and states, line after line): no hashing for them. */
  private readonly recent: (string | undefined)[] = new Array<string | undefined>(16);
  private readonly recentIds = new Int32Array(16);

  id(s: string): number {
    const slot = (s.length * 31 + (s.charCodeAt(0) | 0)) & 15;
    if (this.recent[slot] === s) return this.recentIds[slot] as number;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.ids.set(s, id);
    }
    this.recent[slot] = s;
    this.recentIds[slot] = id;
    return id;
  }

  /** The id of a string already interned, or -1. */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  get(id: number): string {
    return this.values[id] as string;
  }

  get size(): number {
    return this.values.length;
  }
}
