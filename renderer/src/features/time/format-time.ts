/**
 * Times as the user reads them: in their own time zone, or in UTC (the `u` key). Pure: the zone
 * is the browser's (`Intl`), so the same instant reads the same everywhere in the app.
 */

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function partsOf(ms: number, utc: boolean): Parts {
  const t = new Date(ms);
  return utc
    ? { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds(), ms: t.getUTCMilliseconds() }
    : { y: t.getFullYear(), mo: t.getMonth() + 1, d: t.getDate(), h: t.getHours(), mi: t.getMinutes(), s: t.getSeconds(), ms: t.getMilliseconds() };
}

const p2 = (n: number): string => String(n).padStart(2, "0");

/** "13:05:02.123" */
export function formatClock(ms: number, utc: boolean): string {
  if (!Number.isFinite(ms)) return "—";
  const p = partsOf(ms, utc);
  return `${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.${String(p.ms).padStart(3, "0")}`;
}

/** "2026-06-10 13:05:02" (with ".123" when `withMs`). */
export function formatDateTime(ms: number, utc: boolean, withMs = false): string {
  if (!Number.isFinite(ms)) return "—";
  const p = partsOf(ms, utc);
  const base = `${p.y}-${p2(p.mo)}-${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}`;
  return withMs ? `${base}.${String(p.ms).padStart(3, "0")}` : base;
}

/** The offset from UTC at an instant, as "UTC+05:30" ("UTC" itself when zero or when showing UTC). */
export function utcOffset(ms: number, utc: boolean): string {
  if (utc) return "UTC";
  const minutes = -new Date(Number.isFinite(ms) ? ms : Date.now()).getTimezoneOffset();
  if (minutes === 0) return "UTC+00:00";
  const sign = minutes > 0 ? "+" : "-";
  const a = Math.abs(minutes);
  return `UTC${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

/** The browser's time zone name ("Europe/Paris"), when it tells. */
export function localZoneName(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/** What the shown times are: "UTC", or "local time (Asia/Kolkata, UTC+05:30)". */
export function zoneLabel(utc: boolean, atMs: number = Date.now()): string {
  if (utc) return "UTC";
  const name = localZoneName();
  const offset = utcOffset(atMs, false);
  if (!name || name === "UTC" || name === "Etc/UTC") return `local time (${offset === "UTC+00:00" ? "UTC" : offset})`;
  return `local time (${name}, ${offset})`;
}
