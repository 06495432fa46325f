/**
 * The time zone a session reads timestamps without a zone in: the one the user chose when opening,
 * else the profile's, else UTC. Pure.
 */
import { FsmError } from "../errors";
import { didYouMean } from "../machine/diagnostics";
import { isValidTimeZone, knownTimeZones } from "../time-zones";
import type { Profile } from "./profile";

/** The profile with `zone` as its time zone (unchanged when none is given); a name that is not an IANA zone is refused. */
export function profileInZone(profile: Profile, zone: string | undefined): Profile {
  if (zone === undefined || zone.trim() === "") return profile;
  const name = zone.trim();
  if (!isValidTimeZone(name)) {
    throw new FsmError({
      code: "bad-time-zone",
      message: `"${name}" is not an IANA time zone name.`,
      hint: didYouMean(name, knownTimeZones()) ?? 'Choose a name such as "Europe/Paris", "America/New_York" or "UTC".',
    });
  }
  return name === profile.timeZone ? profile : { ...profile, timeZone: name };
}

/** The zone a session with this profile reads timestamps without a zone in. */
export function zoneOf(profile: Profile): string {
  return profile.timeZone ?? "UTC";
}
