/**
 * Lines of a log that are not wrong but not right either, noticed while it is read for `check` and
 * replay: a line identical to the one before it (written twice?), a timestamp earlier than the
 * line before it in the same file, and a file that changed while it was read. Each becomes a
 * "suspicious" warning with its file and line — counted, shown, never fatal and never a
 * conformance error. Per file and kind, the first MAX_LISTED are listed one by one; a last warning
 * counts the rest.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import type { Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { formatDuration, parseIsoMs } from "../../../shared/trace/time";

/** Warnings of one kind listed one by one per file; the rest are counted. */
export const MAX_LISTED = 100;

export type SuspiciousKind = "duplicate" | "backwards";

function warning(file: string, line: number | undefined, message: string): NewObservation {
  return { kind: "warning", code: "suspicious", message, tsFrom: "observed", source: line !== undefined ? { file, line } : { file } };
}

/** The zone at the end of an ISO stamp (`Z`, `+01:00`, `-0500`, `+01`), or "" when it has none. */
const ZONE_RE = /(?:Z|[+-]\d\d(?::?\d\d)?)$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** One file's suspicious lines counted by kind: which are listed, and the last warning counting the rest. */
export class SuspiciousTally {
  private readonly counts: Record<SuspiciousKind, number> = { duplicate: 0, backwards: 0 };

  constructor(private readonly file: string) {}

  /** Counts one; true while it is among the first MAX_LISTED of its kind. */
  admit(kind: SuspiciousKind): boolean {
    return ++this.counts[kind] <= MAX_LISTED;
  }

  /** After the last line: how many more there were than were listed. */
  end(): NewObservation[] {
    const out: NewObservation[] = [];
    const name = path.basename(this.file);
    const more = (kind: SuspiciousKind): number => Math.max(0, this.counts[kind] - MAX_LISTED);
    if (more("duplicate")) out.push(warning(this.file, undefined, `${name}: ${more("duplicate")} more lines repeat the line before them (${this.counts.duplicate} in all; the first ${MAX_LISTED} are listed).`));
    if (more("backwards")) out.push(warning(this.file, undefined, `${name}: ${more("backwards")} more lines are stamped earlier than the line before them (${this.counts.backwards} in all; the first ${MAX_LISTED} are listed).`));
    return out;
  }
}

/**
 * Watches one file's lines go by. A part of a file read on its own (replay reads a large log in
 * parts, side by side) lists every suspicious line with its kind, and the reader of the whole
 * counts them (SuspiciousTally); otherwise this counts them itself.
 */
export class SuspiciousLines {
  private readonly name: string;
  private prevText: string | undefined;
  private prevLine = 0;
  private lastTs: string | undefined;
  /** The zone the last parsed stamp was written with. */
  private zone = "";
  private lastTsLine = 0;
  private readonly tally: SuspiciousTally | undefined;

  constructor(
    private readonly file: string,
    opts: { listAll?: boolean } = {},
  ) {
    this.name = path.basename(file);
    this.tally = opts.listAll ? undefined : new SuspiciousTally(file);
  }

  private report(kind: SuspiciousKind, out: NewObservation[], kinds: SuspiciousKind[] | undefined, line: number, message: () => string): void {
    if (this.tally && !this.tally.admit(kind)) return;
    out.push(warning(this.file, line, message()));
    kinds?.push(kind);
  }

  /** One line and what it was read as; warnings are pushed onto `out` (and their kinds onto `kinds`). */
  line(line: Line, parsed: readonly NewObservation[], out: NewObservation[], kinds?: SuspiciousKind[]): void {
    const text = line.text;
    if (text === this.prevText && line.lineNo === this.prevLine + 1 && line.truncatedFrom === undefined && text.trim() !== "") {
      this.report("duplicate", out, kinds, line.lineNo, () => `${this.name} line ${line.lineNo} repeats line ${line.lineNo - 1} exactly (written twice?); both are read.`);
    }
    this.prevText = text;
    this.prevLine = line.lineNo;
    for (const o of parsed) {
      const ts = o.ts;
      if (o.tsFrom !== "artifact" || ts === undefined || ts === this.lastTs) continue;
      const prev = this.lastTs;
      // Stamps laid out alike (same length, separators and zone) order as text: the usual line is not parsed.
      const alike = prev !== undefined && ts.length === prev.length && ts.charCodeAt(10) === prev.charCodeAt(10) && ts.charCodeAt(19) === prev.charCodeAt(19) && (this.zone === "" ? isDigit(ts.charCodeAt(ts.length - 1)) : ts.endsWith(this.zone));
      if (!alike || ts < prev) {
        const ms = parseIsoMs(ts);
        if (ms === undefined) continue;
        this.zone = ZONE_RE.exec(ts)?.[0] ?? "";
        const before = prev !== undefined ? parseIsoMs(prev) : undefined;
        if (before !== undefined && ms < before) {
          const beforeLine = this.lastTsLine;
          this.report("backwards", out, kinds, line.lineNo, () => `${this.name} line ${line.lineNo} is stamped ${ts}, ${formatDuration(before - ms)} before line ${beforeLine} (${prev}): the time went backwards; lines are kept in the file's order.`);
        }
      }
      this.lastTs = ts;
      this.lastTsLine = line.lineNo;
    }
  }

  /** After the last line: how many more there were than were listed (nothing when listing all). */
  end(): NewObservation[] {
    return this.tally?.end() ?? [];
  }
}

/** What a file was when reading it started: to tell whether it changed while it was read. */
export interface FileState {
  size: number;
  ino: number;
  mtimeMs: number;
}

export async function fileState(file: string): Promise<FileState | undefined> {
  try {
    const st = await fsp.stat(file);
    return { size: st.size, ino: st.ino, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** A warning when the file is not what it was when reading started (grown, cut, rewritten or replaced). */
export async function changedWhileRead(file: string, before: FileState | undefined, lines: number): Promise<NewObservation | undefined> {
  if (!before) return undefined;
  const after = await fileState(file);
  const name = path.basename(file);
  const tail = "lines written meanwhile may be missing or read in part. Open it again once the program has stopped writing it.";
  if (!after) return warning(file, undefined, `${name} was removed while it was read (after line ${lines}); ${tail}`);
  if (after.ino !== before.ino) return warning(file, undefined, `${name} was replaced by another file while it was read (after line ${lines}); ${tail}`);
  if (after.size !== before.size) return warning(file, undefined, `${name} changed size while it was read (${before.size} bytes when reading started, ${after.size} at the end, after line ${lines}); ${tail}`);
  if (after.mtimeMs !== before.mtimeMs) return warning(file, undefined, `${name} was rewritten while it was read (same size, newer modification time); ${tail}`);
  return undefined;
}
