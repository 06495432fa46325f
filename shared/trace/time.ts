/**
 * Timestamps. Pure: callers pass "now" in; nothing here reads a clock.
 */

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parse ISO-8601 / RFC 3339 with or without a fraction (Python's isoformat drops it when 0),
 * with microseconds or nanoseconds, `Z` or `+00:00`. Returns epoch milliseconds (fraction kept), or undefined.
 * A timestamp with no zone is read as UTC.
 */
export function parseIsoMs(text: string): number | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  if (frac) ms += Number(`0.${frac}`) * 1000;
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    ms -= sign * offMin * 60_000;
  }
  return ms;
}

/** ISO-8601 UTC with microseconds and `+00:00`, as Python's isoformat() writes it (fraction dropped when 0). */
export function pythonIso(ms: number, micros = 0): string {
  const d = new Date(Math.floor(ms));
  const base = d.toISOString().slice(0, 19);
  const us = (Math.floor(ms) % 1000) * 1000 + micros;
  return us === 0 ? `${base}+00:00` : `${base}.${String(us).padStart(6, "0")}+00:00`;
}

/** "4.2 s", "3 min 05 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const totalS = Math.floor(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${String(totalS % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
