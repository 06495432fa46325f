/**
 * Problems found in a machine definition or a profile, each one a specific message a person can act
 * on: what is wrong, in which file, at which line and JSON pointer, and what to do about it.
 */

/** 1-based line and column of a place in a file. */
export interface Position {
  line: number;
  column: number;
}

/** Where the node at a JSON pointer (RFC 6901) was written, when known. */
export type Locate = (pointer: string) => Position | undefined;

export interface Diagnostic {
  severity: "error" | "warning";
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer of the offending node ("" for the whole document). */
  path: string;
  /** What is wrong, without a final period. */
  message: string;
  /** What to do about it, as a sentence. */
  hint?: string;
}

/** `machine.json:12:7: error: state "SLEEP" has ... (at /states/SLEEP/on/x/target). Did you mean SLEEP?` */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (d.line !== undefined) where += `:${d.line}`;
  if (d.line !== undefined && d.column !== undefined) where += `:${d.column}`;
  const at = d.path === "" ? "" : ` (at ${d.path})`;
  const hint = d.hint ? ` ${d.hint}` : "";
  return `${where}: ${d.severity}: ${d.message}${at}.${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** The pointer's own position, else its closest ancestor's (a missing key is reported where its parent is). */
export function locateNearest(locate: Locate | undefined, pointer: string): Position | undefined {
  if (!locate) return undefined;
  let p: string | undefined = pointer;
  while (p !== undefined) {
    const pos = locate(p);
    if (pos) return pos;
    p = parentPointer(p);
  }
  return undefined;
}

/** At most this many problems are reported for one file; a file with more gets one last line saying so. */
export const MAX_DIAGNOSTICS = 200;

/** Builds diagnostics for one file, with positions looked up from a pointer. */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  private dropped = 0;

  constructor(
    readonly file: string,
    private readonly locate?: Locate,
    /** Prefix of every path (e.g. "/machine" when the machine is inside a profile). */
    private readonly basePath = "",
  ) {}

  error(path: string, message: string, hint: string): void {
    this.add("error", path, message, hint);
  }

  warning(path: string, message: string, hint: string): void {
    this.add("warning", path, message, hint);
  }

  /** Whether the list has reached MAX_DIAGNOSTICS (what is added now is only counted). */
  get full(): boolean {
    return this.items.length >= MAX_DIAGNOSTICS - 1;
  }

  add(severity: Diagnostic["severity"], path: string, message: string, hint?: string): void {
    if (this.items.length >= MAX_DIAGNOSTICS - 1) {
      // The last place says how many more there are (an error if any of them is one).
      this.dropped += 1;
      const summary = this.items[MAX_DIAGNOSTICS - 1] ?? { severity, file: this.file, path: "", message: "", hint: "Fix the problems listed above first, then check the file again." };
      if (severity === "error") summary.severity = "error";
      summary.message = `${this.dropped} more problem${this.dropped === 1 ? " is" : "s are"} not listed`;
      this.items[MAX_DIAGNOSTICS - 1] = summary;
      return;
    }
    const full = this.basePath + path;
    const d: Diagnostic = { severity, file: this.file, path: full, message };
    const pos = locateNearest(this.locate, full);
    if (pos) {
      d.line = pos.line;
      d.column = pos.column;
    }
    if (hint) d.hint = hint;
    this.items.push(d);
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }
}

/** RFC 6901: "~" is written "~0" and "/" is written "~1" inside a segment. */
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** `pointer("/states", "a/b", 0)` → `/states/a~1b/0`. */
export function pointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => `/${escapeSegment(s)}`).join("");
}

export function parentPointer(p: string): string | undefined {
  if (p === "") return undefined;
  return p.slice(0, p.lastIndexOf("/"));
}

/** A short description of a JSON value's kind for messages: `a string`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return "missing";
}

/** `Did you mean SLEEP?` when a candidate is close enough to `name` (case or a couple of typos). */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.ceil(name.length / 3)));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: most names are ruled out without computing it.
    if (c === name || Math.abs(c.length - name.length) > limit) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? `Did you mean ${best}?` : undefined;
}

/** Levenshtein distance, counting a swap of two neighbours as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
