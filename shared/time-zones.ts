/**
 * IANA time zones as this runtime knows them: whether a name is one, the names (for suggestions),
 * and one cached formatter per zone. A leaf module, for profiles (validating a profile's zone),
 * the trace's time functions and the UI alike.
 */
const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone, made once (making one is slow): its parts give the wall time there. */
export function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", era: "short" });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` names an IANA time zone this runtime knows (`Europe/Paris`, `UTC`); offsets such as `+02:00` are not names. */
export function isValidTimeZone(zone: string): boolean {
  if (!ZONE_NAME_RE.test(zone) || zone.length > 64) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone names this runtime knows (for suggestions). */
export function knownTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}
