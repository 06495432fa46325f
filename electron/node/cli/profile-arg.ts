import path from "node:path";
import { findProfile } from "../../../shared/profiles";
import type { Profile } from "../../../shared/profiles/profile";
import { terminalText } from "../../../shared/terminal-text";

import type { WarningSink } from "../target/profile-file";

export type { WarningSink };

/** --profile: a built-in profile's id, or the path of a profile (or machine) file of the user's own. */
export async function resolveProfileArg(arg: string, onWarning: WarningSink = (l) => process.stderr.write(`${terminalText(l)}\n`)): Promise<Profile> {
  const builtin = findProfile(arg);
  if (builtin) return builtin;
  // Only a file needs the parsers (YAML, XML, validation): loaded only then.
  const { loadProfileFile } = await import("../target/profile-file");
  return loadProfileFile(path.resolve(arg), arg, onWarning);
}
