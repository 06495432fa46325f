/**
 * parseIsoMs reads the common timestamp shape without a regular expression (one stamp per log
 * line, a million lines a check): it must agree exactly with the general rule (the regular
 * expression below, as documented on parseIsoMs) on every input, valid or not.
 */
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { describe, expect, it } from "vitest";
import { parseIsoMs } from "../../../shared/trace/time";

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function reference(text: string): number | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = m[7];
  const zone = m[8];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || s > 60) return undefined;
  // Proleptic Gregorian, years 0–99 included (Date.UTC would read them as 1900–1999).
  let ms = new Date(0).setUTCFullYear(y, mo - 1, d) + ((h * 60 + mi) * 60 + s) * 1000;
  if (Number.isNaN(ms)) return undefined;
  if (zone && zone !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const hh = Number(digits.slice(0, 2));
    const mm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (hh > 23 || mm > 59) return undefined;
    ms -= (zone.startsWith("-") ? -1 : 1) * (hh * 60 + mm) * 60_000;
  }
  return frac ? ms + Number(`0.${frac}`) * 1000 : ms;
}

const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"));
const stamp = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0")),
    fc.oneof(two, fc.constantFrom("01", "02", "12")),
    fc.oneof(two, fc.constantFrom("28", "29", "30", "31")),
    fc.constantFrom("T", " ", "t"),
    two,
    two,
    two,
    fc.option(fc.stringMatching(/^[.,][0-9]{1,12}$/), { nil: "" }),
    fc.constantFrom("", "Z", "+00:00", "-05:30", "+0530", "+05", "+24:00", "-00:61", "z", "+5:00", " "),
  )
  .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);

describe("parseIsoMs fast path", () => {
  it("agrees with the general rule on every timestamp-like and random input", () => {
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string(), stamp.map((s) => ` ${s}`)), (text) => {
        const a = parseIsoMs(text);
        const b = reference(text);
        if (a === undefined || b === undefined) expect(a).toBe(b);
        else expect(Math.abs(a - b)).toBeLessThan(1e-6);
      }),
      { numRuns: runs(20_000) },
    );
  });

  it("reads the daemon's own stamps, leap days and offsets", () => {
    expect(parseIsoMs("2026-06-11T00:27:53.681654+00:00")).toBeCloseTo(Date.UTC(2026, 5, 11, 0, 27, 53) + 681.654, 6);
    expect(parseIsoMs("2024-02-29T10:00:00Z")).toBe(Date.UTC(2024, 1, 29, 10));
    expect(parseIsoMs("2026-02-29T10:00:00Z")).toBeUndefined();
    expect(parseIsoMs("2026-06-11T05:30:00+05:30")).toBe(Date.UTC(2026, 5, 11));
    expect(parseIsoMs("0026-06-11T00:00:00Z")).toBe(new Date(0).setUTCFullYear(26, 5, 11));
  });
});
