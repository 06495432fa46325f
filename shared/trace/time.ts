/**
 * Timestamps. Pure: callers pass "now" in; nothing here reads a clock.
 */
import { formatterFor } from "../time-zones";

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

interface IsoParts {
  /** Epoch milliseconds of the whole second (zone applied; read as UTC when the text has none). */
  secondMs: number;
  /** Fraction digits as written ("" when none). */
  frac: string;
  /** Whether the text gave its zone (`Z`, `+02:00` …). */
  zoned: boolean;
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
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const ms = new Date(0).setUTCFullYear(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000;
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
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  if (n === 2) return a * 10 + b;
  const c = text.charCodeAt(at + 2) - 48;
  const d = text.charCodeAt(at + 3) - 48;
  if (c < 0 || c > 9 || d < 0 || d > 9) return -1;
  return ((a * 10 + b) * 10 + c) * 10 + d;
}

/** What the fast reader found: the shape is another one (try the general way), a valid time, an invalid one. */
const OTHER = 0;
const VALID = 1;
const INVALID = 2;

/** The last time the fast reader read (no object per line: a log has one stamp per line). */
let fastSecondMs = 0;
let fastFracStart = 0;
let fastFracEnd = 0;
let fastZoned = false;

/**
 * The common shape, read without a regular expression and without allocating:
 * `YYYY-MM-DDTHH:MM:SS`, an optional `.fraction`, then `Z`, `+HH:MM` or nothing. Anything else
 * (a space, a comma, `+HHMM`, `+HH`, surrounding blanks) goes the general way. The parts are
 * left in fastSecondMs, fastFracStart/End (indices into the text) and fastZoned.
 */
function fastIso(text: string): typeof OTHER | typeof VALID | typeof INVALID {
  if (text.length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return OTHER;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return OTHER;
  let i = 19;
  let fracStart = i;
  if (text.charCodeAt(i) === 46) {
    fracStart = ++i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === fracStart) return OTHER;
  }
  const fracEnd = i;
  let offsetMin = 0;
  const zoned = i !== text.length;
  if (i === text.length || (text.charCodeAt(i) === 90 && i + 1 === text.length)) {
    // UTC
  } else if ((text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) && i + 6 === text.length && text.charCodeAt(i + 3) === 58) {
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    if (oh < 0 || om < 0) return OTHER;
    if (oh > 23 || om > 59) return INVALID;
    offsetMin = (text.charCodeAt(i) === 45 ? -1 : 1) * (oh * 60 + om);
  } else return OTHER;
  const day = dayMs(text, y, mo, d);
  if (day === undefined || h > 23 || mi > 59 || sec > 60) return INVALID;
  fastSecondMs = day + ((h * 60 + mi) * 60 + sec) * 1000 - offsetMin * 60_000;
  fastFracStart = fracStart;
  fastFracEnd = fracEnd;
  fastZoned = zoned;
  return VALID;
}

/** The last calendar day read (a log stamps many lines on one day). */
let lastDay = "";
let lastDayMs: number | undefined;

function dayMs(text: string, y: number, mo: number, d: number): number | undefined {
  if (text.startsWith(lastDay) && lastDay !== "") return lastDayMs;
  lastDay = text.slice(0, 10);
  lastDayMs = utcMs(y, mo, d, 0, 0, 0);
  return lastDayMs;
}

function isoPartsOf(text: string): IsoParts | undefined {
  const fast = fastIso(text);
  if (fast === VALID) return { secondMs: fastSecondMs, frac: text.slice(fastFracStart, fastFracEnd), zoned: fastZoned };
  if (fast === INVALID) return undefined;
  return slowIsoParts(text);
}

function slowIsoParts(text: string): IsoParts | undefined {
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
  return { secondMs: ms, frac: frac ?? "", zoned: zone !== undefined };
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
  if (text === lastMsText) return lastMs;
  let ms = sameHour(text);
  if (ms !== undefined) {
    lastMsText = text;
    lastMs = ms;
    return ms;
  }
  const fast = fastIso(text);
  if (fast === VALID) {
    ms = fastFracEnd > fastFracStart ? fastSecondMs + fractionMs(text, fastFracStart, fastFracEnd) : fastSecondMs;
    rememberHour(text);
  } else if (fast === OTHER) {
    const p = slowIsoParts(text);
    if (p) ms = p.frac ? p.secondMs + fractionMs(p.frac, 0, p.frac.length) : p.secondMs;
  }
  lastMsText = text;
  lastMs = ms;
  return ms;
}

/**
 * The hour of the last stamp read in full ("2026-01-01T00:" and its zone, "+00:00"): a log's next
 * stamps are mostly in the same hour, so only their minutes, seconds and fraction are read.
 */
let hourPrefix = "";
let hourZone = "";
let hourMs = 0;

function rememberHour(text: string): void {
  const mi = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (sec > 59) return;
  hourPrefix = text.slice(0, 14);
  hourZone = text.slice(fastFracEnd);
  hourMs = fastSecondMs - (mi * 60 + sec) * 1000;
}

/** The stamp's epoch ms when it is in the remembered hour and zone and laid out alike; else undefined. */
function sameHour(text: string): number | undefined {
  if (hourPrefix === "" || !text.startsWith(hourPrefix) || text.charCodeAt(16) !== 58) return undefined;
  const mi = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (mi < 0 || sec < 0 || mi > 59 || sec > 59) return undefined;
  let i = 19;
  let frac = 0;
  if (text.charCodeAt(i) === 46) {
    const from = ++i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === from) return undefined;
    frac = fractionMs(text, from, i);
  }
  if (text.length - i !== hourZone.length || !text.endsWith(hourZone)) return undefined;
  return hourMs + (mi * 60 + sec) * 1000 + frac;
}

/** The last stamp parseIsoMs read, and its answer (each line's stamp is read by more than one reader). */
let lastMsText: string | undefined;
let lastMs: number | undefined;

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A fraction of a second written as digits ("149722", text[from, to)), in milliseconds. */
function fractionMs(text: string, from: number, to: number): number {
  const n = to - from;
  if (n > 15) return Number(`0.${text.slice(from, to)}`) * 1000;
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return (v / (POW10[n] ?? 10 ** n)) * 1000;
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

/*
 * Time zones. Timestamps without a zone (Rich's `[11/25/26 10:00:00]`, syslog's `Nov 25 10:00:00`,
 * ISO-8601 without an offset) are wall-clock times in some zone: the profile's `timeZone`, the one
 * the user chose when opening, else UTC. Converting uses the IANA database built into Intl; no
 * clock is read. Wall times that do not exist (the hour skipped when clocks go forward) and that
 * exist twice (the hour repeated when they go back) are resolved the same way every time: with the
 * offset in force just before the change — a skipped 02:30 becomes 03:30 of the new offset, a
 * repeated 02:30 is its first occurrence (what Python's fold=0 and JavaScript's Temporal
 * "compatible" do).
 */

const UTC_NAMES = new Set(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/GMT", "GMT", "Etc/Zulu", "Zulu", "Etc/Universal", "Universal", "Etc/Greenwich", "Greenwich", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "GMT0", "GMT+0", "GMT-0"]);
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Whether `zone` is UTC (or absent: the default). */
export function isUtcZone(zone: string | undefined): boolean {
  return zone === undefined || UTC_NAMES.has(zone);
}

/** The wall-clock time in `zone` at the instant `utcMs`, as epoch ms of the same fields read as UTC (whole seconds). */
export function wallMsAt(zone: string, utcMs: number): number {
  const second = Math.floor(utcMs / 1000) * 1000;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  let bc = false;
  for (const part of formatterFor(zone).formatToParts(second)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value);
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        sec = Number(part.value);
        break;
      case "era":
        bc = part.value.startsWith("B");
        break;
      default:
        break;
    }
  }
  return new Date(0).setUTCFullYear(bc ? 1 - year : year, month - 1, day) + ((hour * 60 + minute) * 60 + sec) * 1000;
}

/** The zone's offset from UTC (ms, east positive) at the instant `utcMs`. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  return wallMsAt(zone, utcMs) - Math.floor(utcMs / 1000) * 1000;
}

/** The exact resolution of one wall time (see the rule above). */
function resolveWall(wallMs: number, zone: string): number {
  // Offsets a day either side: the one in force before and after any change near this wall time.
  const before = zoneOffsetMs(zone, wallMs - DAY_MS);
  const after = zoneOffsetMs(zone, wallMs + DAY_MS);
  let best: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const utc = wallMs - offset;
    if (zoneOffsetMs(zone, utc) === offset && (best === undefined || utc < best)) best = utc;
  }
  // None: the wall time was skipped; read it with the offset before the change (it lands after it).
  return best ?? wallMs - before;
}

/** Per zone, the offset of each wall-clock hour that has one offset throughout (a log's times come in runs). */
const hourOffsets = new Map<string, Map<number, number | null>>();
const HOUR_CACHE_MAX = 4096;

/**
 * The instant (epoch ms, UTC) of a wall-clock time in `zone`, given as epoch ms of the same fields
 * read as UTC (what parseRichMs / parseSyslogMs / a zone-less ISO time give). Skipped wall times
 * move forward by the length of the skip; repeated ones are their first occurrence. UTC (or no
 * zone) returns the value as it is.
 */
export function wallToUtcMs(wallMs: number, zone: string | undefined): number {
  if (zone === undefined || isUtcZone(zone)) return wallMs;
  let cache = hourOffsets.get(zone);
  if (!cache) {
    cache = new Map();
    hourOffsets.set(zone, cache);
  }
  const hour = Math.floor(wallMs / HOUR_MS);
  let offset = cache.get(hour);
  if (offset === undefined) {
    // One offset for the whole hour when both ends resolve to it and no change falls between them.
    const start = hour * HOUR_MS;
    const end = start + HOUR_MS - 1000;
    const a = start - resolveWall(start, zone);
    const b = end - resolveWall(end, zone);
    offset = a === b && zoneOffsetMs(zone, start - a) === a && zoneOffsetMs(zone, end - a) === a ? a : null;
    if (cache.size >= HOUR_CACHE_MAX) cache.clear();
    cache.set(hour, offset);
  }
  return offset === null ? resolveWall(wallMs, zone) : wallMs - offset;
}

/**
 * An ISO-8601 time as canonical RFC 3339 UTC (as `isoUtc`), a time without a zone read as wall
 * time in `zone` (UTC when absent); undefined when `parseIsoMs` would not accept the text.
 */
export function isoUtcInZone(text: string, zone: string | undefined): string | undefined {
  const p = isoParts(text);
  if (!p) return undefined;
  const second = p.zoned ? p.secondMs : wallToUtcMs(p.secondMs, zone);
  const base = new Date(second).toISOString().slice(0, 19);
  return p.frac ? `${base}.${p.frac}Z` : `${base}Z`;
}

/** Whether an ISO-8601 time gives its zone (`Z`, `+02:00`); undefined when it is not one `parseIsoMs` reads. */
export function isoHasZone(text: string): boolean | undefined {
  return isoParts(text)?.zoned;
}
