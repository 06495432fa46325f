/**
 * The sandbox's own clock, in microseconds, and the ways the four programs print a time. Times
 * are parameters (a step's virtual time), never read from a clock. Pure.
 */
import { pythonIso } from "../trace/time";

/**
 * Hands out instants at or after a step's time, each strictly after the one before (two writes of
 * one step — a state file then its log line, or two hops — are microseconds apart, as two clock
 * reads of the real program are).
 */
export class MicroClock {
  private lastUs = Number.NEGATIVE_INFINITY;

  /** The next instant, in µs since the epoch, at or after `tsMs`. */
  at(tsMs: number): number {
    let us = Math.floor(tsMs * 1000);
    if (us <= this.lastUs) us = this.lastUs + 1;
    this.lastUs = us;
    return us;
  }
}

function parts(us: number): { date: string; time: string; micros: number } {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), micros: us - Math.floor(us / 1_000_000) * 1_000_000 };
}

/** Python's `datetime.now(timezone.utc).isoformat()`: `2026-06-10T10:00:00.123456+00:00` (fraction dropped when 0). */
export function pythonIsoUs(us: number): string {
  const ms = Math.floor(us / 1000);
  return pythonIso(ms, us - ms * 1000);
}

/** Python logging's `%(asctime)s` with the UTC converter: `2026-06-10 10:00:00,123`. */
export function asctimeUs(us: number): string {
  const p = parts(us);
  return `${p.date} ${p.time},${String(Math.floor(p.micros / 1000)).padStart(3, "0")}`;
}

/** Postgres' text form of a timestamptz in UTC: `2026-11-25 13:31:59.58435+00` (trailing zeros of the fraction dropped). */
export function postgresUs(us: number): string {
  const p = parts(us);
  const frac = p.micros === 0 ? "" : `.${String(p.micros).padStart(6, "0").replace(/0+$/, "")}`;
  return `${p.date} ${p.time}${frac}+00`;
}

/** RFC 3339 UTC as chrono's serde writes a `DateTime<Utc>`: 0, 3 or 6 fraction digits, `Z`. */
export function rfc3339Us(us: number): string {
  const p = parts(us);
  const frac = p.micros === 0 ? "" : p.micros % 1000 === 0 ? `.${String(p.micros / 1000).padStart(3, "0")}` : `.${String(p.micros).padStart(6, "0")}`;
  return `${p.date}T${p.time}${frac}Z`;
}
