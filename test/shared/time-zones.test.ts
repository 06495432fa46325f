/**
 * Wall-clock times in an IANA zone → UTC (shared/trace/time.ts), against a brute-force reference
 * that only ever asks Intl the other way round (UTC instant → wall time) and tries every minute
 * within 15 hours: random times and times around real clock changes (summer time on both
 * hemispheres, 30- and 45-minute offsets, Samoa skipping 30 December 2011), skipped and repeated
 * wall times resolved by the documented rule.
 */
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { describe, expect, it } from "vitest";
import { isoHasZone, isoUtcInZone, parseRichMs, parseSyslogMs, wallMsAt, wallToUtcMs, zoneOffsetMs } from "../../shared/trace/time";
import { isValidTimeZone } from "../../shared/time-zones";

const MIN = 60_000;
const HOUR = 60 * MIN;
const ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "America/Santiago", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "Asia/Tokyo", "Pacific/Apia", "America/St_Johns", "UTC"];

/** Every minute within ±15 h whose wall time is `wall`; the earliest, else (skipped) the offset just before the change. */
function reference(wall: number, zone: string): number {
  const hits: number[] = [];
  let lastBelow: number | undefined;
  for (let u = wall - 15 * HOUR; u <= wall + 15 * HOUR; u += MIN) {
    const w = wallMsAt(zone, u);
    if (w === wall) hits.push(u);
    if (w < wall) lastBelow = u;
  }
  if (hits.length) return Math.min(...hits);
  if (lastBelow === undefined) throw new Error("no instant before the wall time");
  return wall - (wallMsAt(zone, lastBelow) - lastBelow);
}

/** Instants where the zone's offset changes, in a few years (scanned hour by hour). */
function transitions(zone: string, years: number[]): number[] {
  const out: number[] = [];
  for (const y of years) {
    let prev = zoneOffsetMs(zone, Date.UTC(y, 0, 1));
    for (let u = Date.UTC(y, 0, 1) + HOUR; u < Date.UTC(y + 1, 0, 1); u += HOUR) {
      const o = zoneOffsetMs(zone, u);
      if (o !== prev) {
        // The exact minute of the change.
        let t = u - HOUR;
        while (zoneOffsetMs(zone, t) === prev) t += MIN;
        out.push(t);
        prev = o;
      }
    }
  }
  return out;
}

const CHANGES: { zone: string; at: number }[] = [];
for (const zone of ZONES) for (const at of transitions(zone, zone === "Pacific/Apia" ? [2011] : [2026])) CHANGES.push({ zone, at });

describe("wall time in a zone → UTC", () => {
  it("finds the clock changes it is tested around", () => {
    // Paris, London, New York, Santiago, Sydney, Lord Howe, Chatham, St John's: two each in 2026; Apia: three in 2011.
    expect(CHANGES.filter((c) => c.zone === "Europe/Paris").map((c) => new Date(c.at).toISOString())).toEqual(["2026-03-29T01:00:00.000Z", "2026-10-25T01:00:00.000Z"]);
    expect(CHANGES.filter((c) => c.zone === "Asia/Tokyo")).toHaveLength(0);
    expect(CHANGES.length).toBeGreaterThanOrEqual(16);
  });

  it("agrees with the brute-force reference on random times in every zone", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1) / MIN, max: Date.UTC(2037, 11, 31) / MIN }), (zone, minute) => {
        const wall = minute * MIN;
        expect(wallToUtcMs(wall, zone)).toBe(reference(wall, zone));
      }),
      { numRuns: runs(150) },
    );
  });

  it("agrees with the reference around every clock change (skipped and repeated wall times)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHANGES), fc.integer({ min: -240, max: 240 }), fc.integer({ min: 0, max: 59_999 }), ({ zone, at }, k, ms) => {
        const wallMinute = wallMsAt(zone, at) + k * MIN;
        const expected = reference(wallMinute, zone);
        expect(wallToUtcMs(wallMinute, zone)).toBe(expected);
        // Within the minute, the same offset: milliseconds carried through.
        expect(wallToUtcMs(wallMinute + ms, zone)).toBe(expected + ms);
      }),
      { numRuns: runs(200) },
    );
  });

  it("resolves skipped and repeated times by the offset in force before the change, every time", () => {
    const paris = (h: number, m: number, month: number, day: number): number => wallToUtcMs(Date.UTC(2026, month - 1, day, h, m), "Europe/Paris");
    // 29 March 2026: 02:00 → 03:00. 02:30 does not exist: read with +01:00, it is 03:30 summer time.
    expect(new Date(paris(2, 30, 3, 29)).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(new Date(paris(3, 30, 3, 29)).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(new Date(paris(1, 59, 3, 29)).toISOString()).toBe("2026-03-29T00:59:00.000Z");
    // 25 October 2026: 03:00 → 02:00. 02:30 happens twice: the first (summer time, +02:00).
    expect(new Date(paris(2, 30, 10, 25)).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(new Date(paris(3, 0, 10, 25)).toISOString()).toBe("2026-10-25T02:00:00.000Z");
    // New York, 8 March 2026 02:30 (skipped) and 1 November 01:30 (twice).
    expect(new Date(wallToUtcMs(Date.UTC(2026, 2, 8, 2, 30), "America/New_York")).toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(new Date(wallToUtcMs(Date.UTC(2026, 10, 1, 1, 30), "America/New_York")).toISOString()).toBe("2026-11-01T05:30:00.000Z");
    // Lord Howe moves by 30 minutes; Kathmandu is +05:45 all year.
    expect(new Date(wallToUtcMs(Date.UTC(2026, 9, 4, 2, 15), "Australia/Lord_Howe")).toISOString()).toBe("2026-10-03T15:45:00.000Z");
    expect(new Date(wallToUtcMs(Date.UTC(2026, 0, 1, 12, 0), "Asia/Kathmandu")).toISOString()).toBe("2026-01-01T06:15:00.000Z");
    // Samoa skipped 30 December 2011 entirely: noon that day is read with -10:00, i.e. noon on the 31st.
    expect(new Date(wallToUtcMs(Date.UTC(2011, 11, 30, 12), "Pacific/Apia")).toISOString()).toBe("2011-12-30T22:00:00.000Z");
    expect(wallMsAt("Pacific/Apia", Date.UTC(2011, 11, 30, 22))).toBe(Date.UTC(2011, 11, 31, 12));
    // UTC and no zone leave the value as it is.
    expect(wallToUtcMs(123_456, "UTC")).toBe(123_456);
    expect(wallToUtcMs(123_456, undefined)).toBe(123_456);
  });

  it("converts ISO, Rich and syslog times without a zone, and leaves times with one alone", () => {
    expect(isoUtcInZone("2026-07-01T10:00:00.123456", "Europe/Paris")).toBe("2026-07-01T08:00:00.123456Z");
    expect(isoUtcInZone("2026-07-01 10:00:00,5", "America/New_York")).toBe("2026-07-01T14:00:00.5Z");
    expect(isoUtcInZone("2026-07-01T10:00:00+00:00", "Europe/Paris")).toBe("2026-07-01T10:00:00Z");
    expect(isoUtcInZone("2026-07-01T10:00:00", undefined)).toBe("2026-07-01T10:00:00Z");
    expect(isoUtcInZone("not a time", "Europe/Paris")).toBeUndefined();
    expect([isoHasZone("2026-07-01T10:00:00"), isoHasZone("2026-07-01T10:00:00Z"), isoHasZone("2026-07-01T10:00:00.1-03:00"), isoHasZone("x")]).toEqual([false, true, true, undefined]);
    const rich = parseRichMs("[11/25/26 10:00:00]") as number;
    expect(new Date(wallToUtcMs(rich, "America/Los_Angeles")).toISOString()).toBe("2026-11-25T18:00:00.000Z");
    const syslog = parseSyslogMs("Jun 25 10:00:00", 2026) as number;
    expect(new Date(wallToUtcMs(syslog, "Asia/Tokyo")).toISOString()).toBe("2026-06-25T01:00:00.000Z");
  });

  it("knows IANA names and refuses everything else", () => {
    for (const z of ["UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]) expect(isValidTimeZone(z), z).toBe(true);
    for (const z of ["Europe/Pariss", "+02:00", "CEST", "", "Europe/../etc", "x".repeat(80)]) expect(isValidTimeZone(z), z).toBe(false);
  });
});
