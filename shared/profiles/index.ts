import type { Profile } from "./profile";
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
