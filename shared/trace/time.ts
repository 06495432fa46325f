/**
 * Timestamps. Pure: callers pass "now" in; nothing here reads a clock.
 */

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

interface IsoParts {
  /** Epoch milliseconds of the whole second (zone applied). */
  secondMs: number;
  /** Fraction digits as written ("" when none). */
  frac: string;
}

/** Days in a month (1-based month), leap years included. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch ms of a UTC calendar time, or undefined when a field is out of range (month 13, Feb 30, 25:00). */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(ms) ? undefined : ms;
}

function isoParts(text: string): IsoParts | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = utcMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (ms === undefined) return undefined;
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (hours > 23 || minutes > 59) return undefined;
    ms -= sign * (hours * 60 + minutes) * 60_000;
  }
  return { secondMs: ms, frac: frac ?? "" };
}

/**
 * Parse ISO-8601 / RFC 3339 with or without a fraction (Python's isoformat drops it when 0),
 * with microseconds or nanoseconds, `Z`, `+00:00`, `+0000` or Postgres' hours-only `+00`
 * (`2026-11-25 13:31:59.149722+00`), a `T` or a space between date and time, and a `.` or a `,`
 * before the fraction (Python's asctime: `2026-11-25 10:00:00,123`).
 * Returns epoch milliseconds (fraction kept), or undefined (also for out-of-range fields).
 * A timestamp with no zone is read as UTC.
 */
export function parseIsoMs(text: string): number | undefined {
  const p = isoParts(text);
  if (!p) return undefined;
  return p.frac ? p.secondMs + Number(`0.${p.frac}`) * 1000 : p.secondMs;
}

/**
 * The same instant as canonical RFC 3339 UTC (`2026-11-25T13:31:59.149722Z`), every fraction digit
 * kept (nanoseconds survive); undefined when `parseIsoMs` would not accept the text.
 */
export function isoUtc(text: string): string | undefined {
  const p = isoParts(text);
  if (!p) return undefined;
  const base = new Date(p.secondMs).toISOString().slice(0, 19);
  return p.frac ? `${base}.${p.frac}Z` : `${base}Z`;
}

/** Epoch milliseconds as RFC 3339 UTC with milliseconds (`2026-11-25T10:00:00.000Z`). */
export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

const RICH_RE = /^\[?\s*(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2}):(\d{2})\s*\]?$/;

/**
 * Rich's console log time (`[%x %X]` in the C locale: `[11/25/26 10:00:00]`, MM/DD/YY; the brackets
 * are optional). It has no zone: read as UTC. Two-digit years are 20YY.
 */
export function parseRichMs(text: string): number | undefined {
  const m = RICH_RE.exec(text.trim());
  if (!m) return undefined;
  const [, mo, d, y, h, mi, s] = m;
  const year = y && y.length === 2 ? 2000 + Number(y) : Number(y);
  return utcMs(year, Number(mo), Number(d), Number(h), Number(mi), Number(s));
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const SYSLOG_RE = /^([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/** The month (1..12) of a syslog timestamp (`Nov 25 10:00:00`), or undefined. */
export function syslogMonth(text: string): number | undefined {
  const m = SYSLOG_RE.exec(text.trim());
  if (!m || !m[1]) return undefined;
  const i = MONTHS.indexOf(m[1].toLowerCase());
  return i < 0 ? undefined : i + 1;
}

/**
 * A syslog / journald "short" timestamp (`Nov 25 10:00:00`, optionally with a fraction), which has
 * no year and no zone: the caller gives the year; read as UTC.
 */
export function parseSyslogMs(text: string, year: number): number | undefined {
  const m = SYSLOG_RE.exec(text.trim());
  if (!m) return undefined;
  const [, , d, h, mi, s, frac] = m;
  const month = syslogMonth(text);
  if (month === undefined) return undefined;
  const ms = utcMs(year, month, Number(d), Number(h), Number(mi), Number(s));
  if (ms === undefined) return undefined;
  return frac ? ms + Number(`0.${frac}`) * 1000 : ms;
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

/** A compact duration for tight places: "350 ms", "4.2 s", "7 min", "2.2 h", "3.1 d". */
export function formatDurationShort(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}
