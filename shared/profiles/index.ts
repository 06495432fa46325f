import type { Profile } from "./profile";
import { FsmError } from "../errors";
import iaiMcp from "./iai-mcp.json";
import jumpstarter from "./jumpstarter.json";
import ecluse from "./ecluse.json";
import duckgres from "./duckgres.json";

/**
 * The built-in profiles, as shipped data (the same format a user writes; each is validated like a
 * user's in test/shared). jumpstarter's actions infer as unions TypeScript cannot compare directly.
 */
export const BUILTIN_PROFILES: readonly Profile[] = [iaiMcp as Profile, jumpstarter as unknown as Profile, ecluse as Profile, duckgres as Profile];

export function findProfile(id: string): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => p.id === id);
}

/** The one message for a profile that is not there; `orFile`: a file of the user's would do too. */
export function unknownProfileError(id: string, orFile = false): FsmError {
  const ids = BUILTIN_PROFILES.map((p) => p.id).join(", ");
  return new FsmError({
    code: "no-profile",
    message: `Unknown profile "${id}".`,
    hint: orFile ? `Use one of ${ids}, or the path of a profile file (JSON or YAML) or a machine (XState JSON, SCXML).` : `Choose one of ${ids}.`,
  });
}

/** A built-in profile by id, or unknownProfileError. */
export function requireProfile(id: string): Profile {
  const p = findProfile(id);
  if (!p) throw unknownProfileError(id);
  return p;
}
