import { FsmError } from "../../../shared/ipc/errors";
import { BUILTIN_PROFILES, findProfile } from "../../../shared/profiles";
import type { Profile } from "../../../shared/profiles/profile";

/** --profile: a built-in profile's id. */
export function resolveProfileArg(arg: string): Profile {
  const builtin = findProfile(arg);
  if (builtin) return builtin;
  throw new FsmError({
    code: "no-profile",
    message: `unknown profile "${arg}".`,
    hint: `Use one of ${BUILTIN_PROFILES.map((p) => p.id).join(", ")}.`,
  });
}
