/**
 * A profile's regular expressions, checked when it is loaded: each must compile, run in bounded
 * time (shared/regex/safe-regex.ts) and capture its named groups. A profile holds at most
 * MAX_PATTERNS different ones, so loading stays quick whatever the file (a hostile pattern can take
 * some milliseconds to analyse; a file of thousands of them would take minutes).
 */
import type { DiagnosticList } from "../machine/diagnostics";
import { compileRegex, isRefusal, type RegexRefusal, type SafeRegex } from "../regex/safe-regex";

export const MAX_PATTERNS = 64;

/** One checker per profile load: patterns seen, and whether the limit was already reported. */
interface Checker {
  seen: Map<string, SafeRegex | RegexRefusal>;
  overLimit: boolean;
}

const checkers = new WeakMap<DiagnosticList, Checker>();

/** Reports (at `path`, naming `field`) what is wrong with `source`; `groups` are the named groups it must capture. */
export function checkRegex(out: DiagnosticList, source: string, path: string, field: string, groups: readonly string[] = []): void {
  const c = checkers.get(out) ?? (checkers.set(out, { seen: new Map(), overLimit: false }).get(out) as Checker);
  let re = c.seen.get(source);
  if (re === undefined) {
    if (c.seen.size >= MAX_PATTERNS) {
      if (!c.overLimit) out.error(path, `the profile has more than ${MAX_PATTERNS} different regular expressions; the limit is ${MAX_PATTERNS}`, "Use one source per kind of log: each needs only a few patterns.");
      c.overLimit = true;
      return;
    }
    re = compileRegex(source);
    c.seen.set(source, re);
  }
  if (isRefusal(re)) {
    const what = re.kind === "syntax" ? "does not compile" : "cannot be run in bounded time";
    out.error(path, `the regular expression in "${field}" ${what}: ${re.message} (at character ${re.index + 1} of the pattern)`, re.hint);
    return;
  }
  for (const g of groups) {
    if (!re.groupNames.includes(g)) out.error(path, `the regular expression in "${field}" has no named group "${g}"`, `Capture it with (?<${g}>...).`);
  }
}
