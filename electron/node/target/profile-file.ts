import path from "node:path";
import { FsmError } from "../../../shared/errors";
import { formatDiagnostic, hasErrors } from "../../../shared/machine/diagnostics";
import { unknownProfileError } from "../../../shared/profiles";
import { loadDefinitionText } from "../../../shared/profiles/load";
import type { Profile } from "../../../shared/profiles/profile";
import { readRegularFile } from "../fs/regular-file";

/** Printed before a command runs when a profile file has warnings (errors stop it). */
export type WarningSink = (line: string) => void;

/** A profile or machine file larger than this is not one (it is read whole). */
const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

/**
 * A user's profile file (JSON/YAML), or a bare machine (XState JSON, YAML, SCXML): a machine
 * becomes a profile with no sources — enough for `step`, not for reading artifacts.
 */
export async function loadProfileFile(file: string, given: string, onWarning: WarningSink): Promise<Profile> {
  let text: string;
  try {
    text = await readRegularFile(file, MAX_PROFILE_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw unknownProfileError(given, true);
    }
    throw new FsmError({ code: "unreadable", message: `cannot read ${file}: ${(err as Error).message}.`, file });
  }
  const r = loadDefinitionText(text, file);
  const byPlace = (a: { line?: number; column?: number }, b: { line?: number; column?: number }): number => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  const errors = r.diagnostics.filter((d) => d.severity === "error").sort(byPlace);
  if (hasErrors(r.diagnostics) || (!r.profile && !r.definition)) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""}:\n  ${errors.slice(1, 6).map(formatDiagnostic).join("\n  ")})` : "";
    // The diagnostics name the file and line themselves.
    throw new FsmError({ code: "bad-profile", message: `${first ? formatDiagnostic(first) : `${file} holds no machine or profile.`}${more}` });
  }
  for (const d of r.diagnostics) onWarning(formatDiagnostic(d));
  if (r.profile) return r.profile;
  const def = r.definition;
  if (!def) throw new FsmError({ code: "bad-profile", message: `${file} holds no machine or profile.`, file });
  return {
    id: def.id,
    title: def.id,
    description: `Machine from ${path.basename(file)} (no sources: it can be stepped, not watched).`,
    machine: def,
    detect: { roots: ["."], anyOf: [] },
    instances: { kind: "single", id: def.id },
    sources: [],
  };
}
