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

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-based month), leap years included. */
function daysInMonth(year: number, month: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return DAYS[month - 1] ?? 0;
}

/** Epoch ms of a UTC calendar time, or undefined when a field is out of range (month 13, Feb 30, 25:00). */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Logs stamp many lines in the same second and parse each stamp more than once: the last answer is kept. */
let lastText: string | undefined;
let lastParts: IsoParts | undefined;

function isoParts(text: string): IsoParts | undefined {
  if (text === lastText) return lastParts;
  const parts = isoPartsOf(text);
  lastText = text;
  lastParts = parts;
  return parts;
}

/** Two or four ASCII digits at `at`, or -1. */
function digits(text: string, at: number, n: 2 | 4): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The common shape, read without a regular expression (a log has one stamp per line):
 * `YYYY-MM-DDTHH:MM:SS`, an optional `.fraction`, then `Z`, `+HH:MM` or nothing. Anything else
 * (a space, a comma, `+HHMM`, `+HH`, surrounding blanks) goes the general way.
 */
function fastIsoParts(text: string): IsoParts | null | undefined {
  if (text.length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return null;
  let i = 19;
  let frac = "";
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === start) return null;
    frac = text.slice(start, i);
  }
  let offsetMin = 0;
  if (i === text.length || (text.charCodeAt(i) === 90 && i + 1 === text.length)) {
    // UTC
  } else if ((text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) && i + 6 === text.length && text.charCodeAt(i + 3) === 58) {
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    if (oh < 0 || om < 0) return null;
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (text.charCodeAt(i) === 45 ? -1 : 1) * (oh * 60 + om);
  } else return null;
  const ms = utcMs(y, mo, d, h, mi, sec);
  return ms === undefined ? undefined : { secondMs: ms - offsetMin * 60_000, frac };
}

function isoPartsOf(text: string): IsoParts | undefined {
  const fast = fastIsoParts(text);
  if (fast !== null) return fast;
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
  return p.frac ? p.secondMs + fractionMs(p.frac) : p.secondMs;
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A fraction of a second written as digits ("149722"), in milliseconds. */
function fractionMs(frac: string): number {
  if (frac.length > 15) return Number(`0.${frac}`) * 1000;
  let v = 0;
  for (let i = 0; i < frac.length; i++) v = v * 10 + (frac.charCodeAt(i) - 48);
  return (v / (POW10[frac.length] ?? 10 ** frac.length)) * 1000;
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
