/**
 * What to watch live: a program's data folder (its profile detected from the content, as `check`
 * does), or one log file (watched alone, in its folder). With a profile named, a folder that is
 * still empty — or does not exist yet — is watched too: its files may appear later.
 */
import fs from "node:fs";
import path from "node:path";
import { FsmError } from "../../../shared/errors";
import type { Profile, SourceSpec } from "../../../shared/profiles/profile";
import { resolveTarget } from "../target/target";

export interface WatchTarget {
  profile: Profile;
  root: string;
  detectedBy: string;
}

function onlyThisFile(source: SourceSpec, file: string): SourceSpec {
  const name = path.basename(file);
  switch (source.kind) {
    case "jsonl-log":
    case "text-log":
      return { ...source, glob: name };
    case "state-file":
      return { ...source, path: name };
    default:
      return source;
  }
}

/**
 * The profile's data folder for `dir`: `dir` itself when it is named like one (`.iai-mcp`), else
 * the first of its data folders that exists under it (`.iai-mcp` in a home folder), else where
 * the first would be created (watched until it appears).
 */
function rootIn(dir: string, profile: Profile): string {
  const named = profile.detect.roots.filter((r) => r !== ".");
  if (named.includes(path.basename(dir))) return dir;
  for (const r of named) if (fs.existsSync(path.join(dir, r))) return path.join(dir, r);
  return named[0] !== undefined ? path.join(dir, named[0]) : dir;
}

export async function resolveWatchTarget(target: string, given?: Profile): Promise<WatchTarget> {
  const abs = path.resolve(target);
  const isFile = fs.existsSync(abs) && fs.statSync(abs).isFile();
  if (given && !isFile) {
    try {
      const t = await resolveTarget(abs, given);
      return { profile: t.profile, root: t.root, detectedBy: "chosen" };
    } catch (err) {
      if (!(err instanceof FsmError) || (err.code !== "no-profile" && err.code !== "not-found")) throw err;
      if (!fs.existsSync(path.dirname(abs))) throw new FsmError({ code: "not-found", message: `neither ${abs} nor its parent folder exists.`, file: abs, hint: "Check the path." });
      return { profile: given, root: rootIn(abs, given), detectedBy: "chosen" };
    }
  }
  const t = await resolveTarget(abs, given);
  const single = t.inputs.length === 1 && t.inputs[0]?.file === t.target ? t.inputs[0] : undefined;
  if (!single) return { profile: t.profile, root: t.root, detectedBy: t.detectedBy };
  // One file: watch just it, with the profile's reading of that kind of file.
  return { profile: { ...t.profile, sources: [onlyThisFile(single.source, single.file)] }, root: path.dirname(single.file), detectedBy: t.detectedBy };
}
