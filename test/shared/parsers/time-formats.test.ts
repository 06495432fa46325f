import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isoFromMs, isoUtc, parseIsoMs, parseRichMs, parseSyslogMs, syslogMonth } from "../../../shared/trace/time";

describe("timestamps written by the four systems", () => {
  it("reads Postgres' text format (space, microseconds, zone in hours only)", () => {
    expect(parseIsoMs("2026-11-25 13:31:59.149722+00")).toBeCloseTo(Date.UTC(2026, 10, 25, 13, 31, 59) + 149.722, 6);
    expect(parseIsoMs("2026-11-25 13:32:02.7962+00")).toBeCloseTo(Date.UTC(2026, 10, 25, 13, 32, 2) + 796.2, 6);
    expect(parseIsoMs("2026-11-25 15:31:59+02")).toBe(Date.UTC(2026, 10, 25, 13, 31, 59));
    expect(parseIsoMs("2026-11-25 05:31:59-08")).toBe(Date.UTC(2026, 10, 25, 13, 31, 59));
    expect(parseIsoMs("2026-11-25 19:01:59+05:30")).toBe(Date.UTC(2026, 10, 25, 13, 31, 59));
  });

  it("reads Python's asctime (comma before the milliseconds) as UTC", () => {
    expect(parseIsoMs("2026-11-25 10:00:00,123")).toBe(Date.UTC(2026, 10, 25, 10, 0, 0, 123));
  });

  it("rejects out-of-range fields instead of rolling them over", () => {
    for (const bad of ["2026-13-01T00:00:00Z", "2026-02-30 10:00:00", "2026-11-25 24:00:00", "2026-11-25 10:60:00", "2026-11-25 10:00:00+25", "2026-11-25 10:00:00+0"]) {
      expect(parseIsoMs(bad), bad).toBeUndefined();
      expect(isoUtc(bad), bad).toBeUndefined();
    }
    expect(parseIsoMs("2028-02-29 10:00:00")).toBe(Date.UTC(2028, 1, 29, 10));
  });

  it("writes one canonical UTC form, every fraction digit kept", () => {
    expect(isoUtc("2026-11-25 13:31:59.149722+00")).toBe("2026-11-25T13:31:59.149722Z");
    expect(isoUtc("2026-11-25T13:32:31.882840462Z")).toBe("2026-11-25T13:32:31.882840462Z");
    expect(isoUtc("2026-05-24T12:00:00+02:00")).toBe("2026-05-24T10:00:00Z");
    expect(isoUtc("2026-01-01 00:30:00,5+01")).toBe("2025-12-31T23:30:00.5Z");
    expect(isoUtc("not a time")).toBeUndefined();
    expect(isoFromMs(Date.UTC(2026, 10, 25, 10))).toBe("2026-11-25T10:00:00.000Z");
  });

  it("isoUtc and parseIsoMs agree on the instant", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1971-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (d, offMin) => {
        const local = new Date(d.getTime() + offMin * 60_000).toISOString().slice(0, 23).replace("T", " ");
        const sign = offMin < 0 ? "-" : "+";
        const zone = `${sign}${String(Math.floor(Math.abs(offMin) / 60)).padStart(2, "0")}:${String(Math.abs(offMin) % 60).padStart(2, "0")}`;
        const text = local + zone;
        expect(parseIsoMs(text)).toBeCloseTo(d.getTime(), 6);
        expect(parseIsoMs(isoUtc(text) ?? "")).toBeCloseTo(d.getTime(), 6);
      }),
    );
  });

  it("reads Rich's console time (MM/DD/YY) and syslog's (no year) as UTC", () => {
    expect(parseRichMs("[11/25/26 10:00:00]")).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseRichMs("11/25/26 10:00:00")).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseRichMs("25/11/26 10:00:00")).toBeUndefined();
    expect(parseSyslogMs("Nov 25 10:00:00", 2026)).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseSyslogMs("Jan  1 00:00:01", 2027)).toBe(Date.UTC(2027, 0, 1, 0, 0, 1));
    expect(parseSyslogMs("Feb 29 00:00:00", 2026)).toBeUndefined();
    expect(parseSyslogMs("Foo 01 00:00:00", 2026)).toBeUndefined();
    expect(syslogMonth("Dec 31 23:59:59")).toBe(12);
  });
});
