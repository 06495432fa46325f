import type { Profile } from "./profile";
import iaiMcp from "./iai-mcp.json";

/** The built-in profiles, as shipped data. */
export const BUILTIN_PROFILES: readonly Profile[] = [iaiMcp as Profile];

export function findProfile(id: string): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => p.id === id);
}
