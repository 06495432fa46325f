/**
 * Globs in profiles: `*` and `?` within one path segment, `{a,b}` alternatives. Folders in a
 * glob are literal (`logs/lifecycle-events-*.jsonl`), so a source watches one folder.
 *
 * A glob becomes a regular expression that runs in time linear in the name's length times the
 * glob's: `a*b*c` is read as "a, then the first b after it, then the first c after that" (what
 * follows a star can always start later, so the first place is never worse), each step inside a
 * lookahead the engine cannot go back into. The plain translation (`a[^/]*b[^/]*c`) backtracks
 * over every way to split the name, which for many stars on a long name takes longer than a life.
 */
export interface ParsedGlob {
  /** The literal folder part, "" for the data folder itself. */
  dir: string;
  /** The file-name pattern. */
  name: RegExp;
  /** True when the name has no wildcard: one fixed file. */
  literal: boolean;
}

/** At most this many names a glob's `{a,b}` alternatives may spell out. */
export const MAX_GLOB_ALTERNATIVES = 256;

function escape(ch: string): string {
  return /[.+*?^$()|[\]{}\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** The names a glob's braces spell out: `a.{json,yaml}` → `a.json`, `a.yaml` (braces do not nest). */
function expandBraces(pattern: string): string[] {
  let out = [""];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch !== "{") {
      out = out.map((s) => s + ch);
      continue;
    }
    const close = pattern.indexOf("}", i + 1);
    if (close < 0) throw new Error(`glob "${pattern}": the "{" at character ${i + 1} is never closed`);
    const options = pattern.slice(i + 1, close).split(",");
    if (out.length * options.length > MAX_GLOB_ALTERNATIVES) throw new Error(`glob "${pattern}": its {a,b} alternatives spell out more than ${MAX_GLOB_ALTERNATIVES} names`);
    out = out.flatMap((s) => options.map((o) => s + o));
    i = close;
  }
  return out;
}

/** One brace-free glob as a regular expression body; `group` numbers its capturing groups. */
function linearBody(glob: string, group: { n: number }): string {
  const segment = (s: string): string => [...s].map((ch) => (ch === "?" ? "[^/]" : escape(ch))).join("");
  const parts = glob.split("*");
  if (parts.length === 1) return segment(glob);
  const middle = parts.slice(1, -1).filter((p) => p !== "");
  let re = segment(parts[0] ?? "");
  for (const m of middle) {
    group.n += 1;
    re += `(?=([^/]*?${segment(m)}))\\${group.n}`;
  }
  return `${re}[^/]*${segment(parts[parts.length - 1] ?? "")}`;
}

export function globNameToRegExp(pattern: string): RegExp {
  const group = { n: 0 };
  const bodies = expandBraces(pattern).map((g) => linearBody(g, group));
  return new RegExp(bodies.length === 1 ? `^${bodies[0] ?? ""}$` : `^(?:${bodies.join("|")})$`);
}

export function parseGlob(glob: string): ParsedGlob {
  const norm = glob.replace(/\\/g, "/").replace(/^\.\//, "");
  const slash = norm.lastIndexOf("/");
  const dir = slash >= 0 ? norm.slice(0, slash) : "";
  const namePart = slash >= 0 ? norm.slice(slash + 1) : norm;
  if (/[*?{]/.test(dir)) throw new Error(`glob "${glob}": wildcards are only allowed in the file name, not in folders`);
  return { dir, name: globNameToRegExp(namePart), literal: !/[*?{]/.test(namePart) };
}
