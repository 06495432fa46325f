/**
 * Nothing the sandbox does touches watched files: a folder the sandbox writes into must not be a
 * folder another session watches (a real program's folder), nor be inside one, nor contain one.
 * Paths are compared both as given (resolved) and as real paths (links followed), so a link to a
 * watched folder, or a watched folder named through a link, is caught either way.
 */
import fs from "node:fs";
import path from "node:path";
import { FsmError } from "../../../shared/errors";

const CASE_INSENSITIVE = process.platform === "darwin" || process.platform === "win32";

/** The real path of `p`, or of its nearest existing ancestor followed by the rest (for a folder not created yet). */
export function realPathOrAncestor(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return abs;
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

function norm(p: string): string {
  const n = path.resolve(p);
  return CASE_INSENSITIVE ? n.toLowerCase() : n;
}

/** Whether `inner` is `outer` or inside it. */
function within(inner: string, outer: string): boolean {
  const rel = path.relative(norm(outer), norm(inner));
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/**
 * Refuses (FsmError `sandbox-watched`) a folder that is, is inside, or (unless `mayContain`)
 * contains any of `watched`.
 */
export function refuseWatched(folder: string, watched: readonly string[], opts: { mayContain?: boolean; what?: string } = {}): void {
  const what = opts.what ?? "the sandbox folder";
  const mine = [path.resolve(folder), realPathOrAncestor(folder)];
  for (const w of watched) {
    if (typeof w !== "string" || w === "") continue;
    const theirs = [path.resolve(w), realPathOrAncestor(w)];
    let relation: string | undefined;
    for (const a of mine) {
      for (const b of theirs) {
        if (relation) break;
        if (within(a, b)) relation = within(b, a) ? "is" : "is inside";
        else if (!opts.mayContain && within(b, a)) relation = "contains";
      }
    }
    if (!relation) continue;
    const message =
      relation === "is"
        ? `${what} ${folder} is the folder ${w}, which another session watches.`
        : relation === "is inside"
          ? `${what} ${folder} is inside ${w}, which another session watches.`
          : `${what} ${folder} contains ${w}, which another session watches.`;
    throw new FsmError({
      code: "sandbox-watched",
      message: `${message} The sandbox never writes where a real program's files are watched.`,
      file: path.resolve(folder),
      hint: "Choose an empty folder of the sandbox's own, outside every watched folder (or close the session that watches it).",
    });
  }
}
