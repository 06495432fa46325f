/**
 * What does the user want checked? A file (JSONL or text log, .gz, CSV dump, state file), a folder
 * of daily logs or snapshots, or a program's data folder; which profile applies (given, or
 * detected from the content); and which files to read, in order.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { FsmError } from "../../../shared/errors";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import { parseGlob } from "../../../shared/profiles/glob";
import { regexOrNothing } from "../../../shared/regex/safe-regex";
import type { Profile, SourceSpec } from "../../../shared/profiles/profile";
import { NotRegularError, assertOrdinaryPath } from "../fs/regular-file";
import { head, looksBinary } from "../fs/read-lines";
import { naturalOrder } from "../sources/log-order";

export type InputKind = "jsonl" | "text" | "state-json" | "csv";

/** The name of standard input as a target ("-") and how it is shown. */
export const STDIN = "-";
export const STDIN_LABEL = "<stdin>";

export interface CheckInput {
  file: string;
  kind: InputKind;
  source: SourceSpec;
}

export interface CheckTarget {
  profile: Profile;
  /** The file or folder the user named. */
  target: string;
  /** The data folder the inputs were found in (the folder of a single file). */
  root: string;
  inputs: CheckInput[];
  /** How the profile was chosen, for the summary. */
  detectedBy: string;
  /** Entries of the folder that could not be looked at (a symlink loop, a FIFO), and why. */
  skipped?: { file: string; message: string }[];
}

type Skipped = NonNullable<CheckTarget["skipped"]>;

/** The names in `dir` that match; a folder that exists but cannot be read is noted in `skipped`. */
async function listMatching(dir: string, name: RegExp, gz: boolean, skipped?: Skipped): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (skipped && code !== "ENOENT" && code !== "ENOTDIR" && !skipped.some((x) => x.file === dir)) {
      skipped.push({ file: dir, message: `the folder ${dir} ${entryProblem(err).replace("it is skipped", "its files are not read")}` });
    }
    return [];
  }
  return names.filter((n) => name.test(n) || (gz && n.endsWith(".gz") && name.test(n.slice(0, -3)))).map((n) => path.join(dir, n));
}


function kindOf(source: SourceSpec): InputKind | undefined {
  switch (source.kind) {
    case "jsonl-log":
      return "jsonl";
    case "text-log":
      return "text";
    case "state-file":
      return "state-json";
    case "table":
      return source.dumpGlob ? "csv" : undefined;
    default:
      return undefined;
  }
}

/** Whether a target is a sequence of snapshots (ecluse state.json versions, CSV dumps of a table): a step missed between two of them is a gap, not an error. */
export function isSnapshotSequence(target: CheckTarget): boolean {
  return target.inputs.filter((i) => i.kind === "csv" || (i.kind === "state-json" && i.source.kind === "state-file" && i.source.records)).length > 1;
}

/** The files of the profile's sources found in `root`, each source's files in natural order. */
export async function inputsIn(profile: Profile, root: string, folderIsSnapshots = false, skipped?: Skipped): Promise<CheckInput[]> {
  const inputs: CheckInput[] = [];
  for (const source of profile.sources) {
    const kind = kindOf(source);
    if (!kind) continue;
    let files: string[] = [];
    if (source.kind === "jsonl-log" || source.kind === "text-log") {
      const g = parseGlob(source.glob);
      files = await listMatching(path.join(root, g.dir), g.name, source.kind === "jsonl-log", skipped);
      if (files.length === 0 && g.dir !== "") files = await listMatching(root, g.name, source.kind === "jsonl-log");
    } else if (source.kind === "state-file") {
      if (folderIsSnapshots && source.snapshotGlob) files = await listMatching(root, parseGlob(source.snapshotGlob).name, false, skipped);
      else {
        const f = path.join(root, source.path);
        files = (await exists(f)) ? [f] : [];
      }
    } else if (source.kind === "table" && source.dumpGlob) {
      files = await listMatching(root, parseGlob(source.dumpGlob).name, false, skipped);
    }
    for (const file of files.sort(naturalOrder)) inputs.push({ file, kind, source });
  }
  // A current-state file is read after the logs, to cross-check where they ended.
  const isCurrentState = (i: CheckInput): boolean => i.kind === "state-json" && !folderIsSnapshots;
  return [...inputs.filter((i) => !isCurrentState(i)), ...inputs.filter(isCurrentState)];
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * How well a folder matches a profile's detect list: 2 for a file it names exactly, 1 for a
 * wildcard match whose content is confirmed to be that profile's (a `*.log` alone proves nothing).
 */
async function anyMatch(root: string, profile: Profile): Promise<number> {
  let score = 0;
  for (const glob of profile.detect.anyOf) {
    const g = parseGlob(glob);
    const found = await listMatching(path.join(root, g.dir), g.name, true);
    if (!found.length) continue;
    if (g.literal) return 2;
    for (const file of found.slice(0, 5)) {
      const sniffed = await sniffFile(file, [profile]).catch(() => undefined);
      if (sniffed) {
        score = 1;
        break;
      }
    }
  }
  return score;
}

/** Which profile does this one file belong to? Reads its first bytes. */
async function sniffFile(file: string, profiles: readonly Profile[]): Promise<{ profile: Profile; kind: InputKind; source: SourceSpec } | undefined> {
  const bytes = await head(file);
  if (looksBinary(bytes)) return undefined;
  const text = bytes.toString("utf8");
  const lines = text.split(/\r?\n/).slice(0, 200);
  const firstJson = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  })();
  for (const profile of profiles) {
    for (const source of profile.sources) {
      if (source.kind === "jsonl-log") {
        const hit = lines.some((l) => {
          try {
            const v = JSON.parse(l) as Record<string, unknown>;
            return v[source.kindField] === source.transitionKind;
          } catch {
            return false;
          }
        });
        if (hit) return { profile, kind: "jsonl", source };
      } else if (source.kind === "text-log") {
        const re = regexOrNothing(source.transitionRegex);
        if (lines.some((l) => re.test(l))) return { profile, kind: "text", source };
      } else if (source.kind === "table" && source.dumpGlob) {
        const header = (lines[0] ?? "").split(",").map((h) => h.trim().replace(/^"|"$/g, ""));
        if (header.includes(source.key) && header.includes(source.state)) return { profile, kind: "csv", source };
      } else if (source.kind === "state-file" && firstJson && typeof firstJson === "object") {
        const doc = firstJson as Record<string, unknown>;
        const field = (source.records ? source.records.array : source.state)?.split(".")[0];
        if (field !== undefined && field in doc) return { profile, kind: "state-json", source };
      }
    }
  }
  return undefined;
}

function pickSource(profile: Profile, file: string): { kind: InputKind; source: SourceSpec } | undefined {
  const base = path.basename(file).replace(/\.gz$/, "");
  const candidates = profile.sources.map((s) => ({ source: s, kind: kindOf(s) })).filter((c): c is { source: SourceSpec; kind: InputKind } => c.kind !== undefined);
  const byName = candidates.find(({ source }) => {
    if (source.kind === "jsonl-log" || source.kind === "text-log") return parseGlob(source.glob).name.test(base);
    if (source.kind === "state-file") return path.basename(source.path) === base || (source.snapshotGlob !== undefined && parseGlob(source.snapshotGlob).name.test(base));
    if (source.kind === "table" && source.dumpGlob) return parseGlob(source.dumpGlob).name.test(base);
    return false;
  });
  if (byName) return byName;
  const ext = path.extname(base);
  if (ext === ".csv") return candidates.find((c) => c.kind === "csv");
  if (ext === ".json") return candidates.find((c) => c.kind === "state-json");
  return candidates.find((c) => c.kind === "jsonl" || c.kind === "text");
}

const profileList = (profiles: readonly Profile[]): string => profiles.map((p) => p.id).join(", ");

/** Why a folder entry cannot be looked at, in words. */
export function entryProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (err instanceof NotRegularError) return `${err.message}; it is skipped.`;
  if (code === "ELOOP") return "is a symbolic link that loops back on itself; it is skipped.";
  if (code === "EACCES") return "cannot be read (permission denied); it is skipped.";
  if (code === "ENOENT") return "is a symbolic link to nothing; it is skipped.";
  return `cannot be read (${(err as Error).message}); it is skipped.`;
}

export async function resolveTarget(target: string, given?: Profile, profiles: readonly Profile[] = BUILTIN_PROFILES): Promise<CheckTarget> {
  const abs = path.resolve(target);
  let dir: boolean;
  try {
    dir = (await assertOrdinaryPath(abs)).isDirectory();
  } catch (err) {
    if (err instanceof NotRegularError) throw new FsmError({ code: "special-file", message: `${err.message}.`, file: abs, hint: "Give a log file, a folder of logs, or a program's data folder." });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EACCES") throw new FsmError({ code: "unreadable", message: `${target} cannot be read (permission denied).`, file: abs, hint: "Check its permissions, or run as a user who may read it." });
    if (code === "ELOOP") throw new FsmError({ code: "unreadable", message: `${target} is a symbolic link that loops back on itself.`, file: abs, hint: "Give the real file or folder." });
    throw new FsmError({ code: "not-found", message: `${target} does not exist.`, file: abs, hint: "Give a log file, a folder of logs, or a program's data folder." });
  }

  if (!dir) {
    if (given) {
      const pick = pickSource(given, abs);
      if (!pick) throw new FsmError({ code: "no-source", message: `profile ${given.id} has no source that reads a file like ${path.basename(abs)}.`, file: abs });
      return { profile: given, target: abs, root: path.dirname(abs), inputs: [{ file: abs, ...pick }], detectedBy: "--profile" };
    }
    let sniffed;
    try {
      sniffed = await sniffFile(abs, profiles);
    } catch (err) {
      throw new FsmError({ code: "unreadable", message: `cannot read ${target}: ${(err as Error).message}.`, file: abs });
    }
    if (!sniffed) {
      throw new FsmError({
        code: "no-profile",
        message: `cannot tell which system wrote ${path.basename(abs)}: no transition line, table header or state document of a known profile in its first lines.`,
        file: abs,
        hint: `Name the profile with --profile (one of ${profileList(profiles)}), or a profile file of your own.`,
      });
    }
    return { profile: sniffed.profile, target: abs, root: path.dirname(abs), inputs: [{ file: abs, kind: sniffed.kind, source: sniffed.source }], detectedBy: "file content" };
  }

  // A folder: a data folder (one of a profile's roots matches its detect list), or a folder of
  // logs / snapshots / dumps themselves.
  const candidates: { profile: Profile; root: string; score: number; snapshots: boolean }[] = [];
  for (const profile of given ? [given] : profiles) {
    for (const r of profile.detect.roots) {
      const root = path.join(abs, r);
      const score = await anyMatch(root, profile);
      if (score > 0) candidates.push({ profile, root, score: score + (r === "." ? 0 : 0.5), snapshots: false });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  for (const c of candidates) {
    const skipped: Skipped = [];
    const inputs = await inputsIn(c.profile, c.root, false, skipped);
    if (inputs.length) return { profile: c.profile, target: abs, root: c.root, inputs, detectedBy: given ? "--profile" : "folder content", skipped };
  }
  // A folder of files of one kind (daily logs, state.json snapshots, CSV dumps): sniff one of them.
  let names: string[];
  try {
    names = (await fs.readdir(abs)).filter((n) => !n.startsWith(".")).sort(naturalOrder);
  } catch (err) {
    throw new FsmError({ code: "unreadable", message: `${target} ${entryProblem(err).replace(/; it is skipped\.$/, ".")}`, file: abs, hint: "Check its permissions." });
  }
  const skipped: Skipped = [];
  for (const name of names) {
    const file = path.join(abs, name);
    try {
      if ((await assertOrdinaryPath(file)).isDirectory()) continue;
    } catch (err) {
      skipped.push({ file, message: `${name} ${entryProblem(err)}` });
      continue;
    }
    const sniffed = given ? pickSource(given, file) && { profile: given } : await sniffFile(file, profiles).catch(() => undefined);
    if (!sniffed) continue;
    const inputs = await inputsIn(sniffed.profile, abs, true, skipped);
    if (inputs.length) return { profile: sniffed.profile, target: abs, root: abs, inputs, detectedBy: given ? "--profile" : "file content", skipped };
  }
  throw new FsmError({
    code: "no-profile",
    message: given
      ? `${target} holds no file that profile ${given.id} reads.`
      : `${target} is not a data folder of a known program, and holds no log, snapshot or dump of one.`,
    file: abs,
    hint: given ? `Profile ${given.id} looks for: ${given.detect.anyOf.join(", ")}.` : `Name the profile with --profile (one of ${profileList(profiles)}).`,
  });
}

/**
 * Standard input as a log of `profile`'s (its first JSONL or text log source): `check -` and
 * `watch -`, for logs that live in journald or come down a pipe.
 */
export function stdinTarget(profile: Profile | undefined, cwd: string): CheckTarget {
  if (!profile) {
    throw new FsmError({ code: "no-profile", message: "reading a log from standard input needs its profile.", hint: "Add --profile (a built-in id such as jumpstarter, or a profile file)." });
  }
  const source = profile.sources.find((s) => s.kind === "jsonl-log" || s.kind === "text-log");
  const kind = source ? kindOf(source) : undefined;
  if (!source || !kind) {
    throw new FsmError({ code: "no-source", message: `profile ${profile.id} reads no log, so it cannot read one from standard input.`, hint: "Give a profile with a jsonl-log or text-log source." });
  }
  return { profile, target: STDIN_LABEL, root: cwd, inputs: [{ file: STDIN, kind, source }], detectedBy: "--profile" };
}
