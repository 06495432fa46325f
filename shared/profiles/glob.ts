/**
 * Globs in profiles: `*` and `?` within one path segment, `{a,b}` alternatives. Folders in a
 * glob are literal (`logs/lifecycle-events-*.jsonl`), so a source watches one folder.
 */
export interface ParsedGlob {
  /** The literal folder part, "" for the data folder itself. */
  dir: string;
  /** The file-name pattern. */
  name: RegExp;
  /** True when the name has no wildcard: one fixed file. */
  literal: boolean;
}

function escape(ch: string): string {
  return /[.+^$()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

export function globNameToRegExp(pattern: string): RegExp {
  let re = "";
  let inAlt = false;
  for (const ch of pattern) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "{") {
      re += "(?:";
      inAlt = true;
    } else if (ch === "}" && inAlt) {
      re += ")";
      inAlt = false;
    } else if (ch === "," && inAlt) re += "|";
    else re += escape(ch);
  }
  return new RegExp(`^${re}$`);
}

export function parseGlob(glob: string): ParsedGlob {
  const norm = glob.replace(/\\/g, "/").replace(/^\.\//, "");
  const slash = norm.lastIndexOf("/");
  const dir = slash >= 0 ? norm.slice(0, slash) : "";
  const namePart = slash >= 0 ? norm.slice(slash + 1) : norm;
  if (/[*?{]/.test(dir)) throw new Error(`glob "${glob}": wildcards are only allowed in the file name, not in folders`);
  return { dir, name: globNameToRegExp(namePart), literal: !/[*?{]/.test(namePart) };
}
