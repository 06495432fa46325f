import type { Profile } from "./profile";
import iaiMcp from "./iai-mcp.json";
import jumpstarter from "./jumpstarter.json";
import ecluse from "./ecluse.json";
import duckgres from "./duckgres.json";

/** The built-in profiles, as shipped data (the same format a user writes). */
export const BUILTIN_PROFILES: readonly Profile[] = [iaiMcp as Profile, jumpstarter as Profile, ecluse as Profile, duckgres as Profile];

export function findProfile(id: string): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => p.id === id);
}
