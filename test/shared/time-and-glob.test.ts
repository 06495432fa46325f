import { describe, expect, it } from "vitest";
import { formatDuration, formatDurationShort, parseIsoMs, pythonIso } from "../../shared/trace/time";
import { parseGlob } from "../../shared/profiles/glob";

describe("timestamps", () => {
  it("parses Python isoformat with and without the fraction, RFC 3339 nanoseconds, and offsets", () => {
    expect(parseIsoMs("2026-05-24T10:00:00+00:00")).toBe(Date.UTC(2026, 4, 24, 10));
    expect(parseIsoMs("2026-05-24T10:00:00.123456+00:00")).toBeCloseTo(Date.UTC(2026, 4, 24, 10) + 123.456, 6);
    expect(parseIsoMs("2026-01-02T03:04:05.123456789Z")).toBeCloseTo(Date.UTC(2026, 0, 2, 3, 4, 5) + 123.456789, 6);
    expect(parseIsoMs("2026-05-24T12:00:00+02:00")).toBe(Date.UTC(2026, 4, 24, 10));
    expect(parseIsoMs("2026-11-26 10:00:00.5")).toBe(Date.UTC(2026, 10, 26, 10, 0, 0, 500));
    expect(parseIsoMs("yesterday")).toBeUndefined();
  });

  it("reads stamps after one in the same hour exactly as it reads them alone (the same-hour shortcut)", () => {
    // Each stamp after the first shares its hour with the one before, laid out alike or not.
    const reference = (t: string): number | undefined => {
      const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(t.trim());
      if (!m) return undefined;
      const [, y, mo, d, h, mi, s, frac, zone] = m;
      if (Number(mi) > 59 || Number(s) > 60) return undefined;
      let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + (frac ? Number(`0.${frac}`) * 1000 : 0);
      if (zone && zone !== "Z") ms -= (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
      return ms;
    };
    const hour = "2026-03-09T07:";
    const stamps = [
      `${hour}00:01.000000+00:00`, `${hour}59:59.999999+00:00`, `${hour}12:30+00:00`, `${hour}12:30.5+00:00`, `${hour}12:30.5+02:00`,
      `${hour}12:30.5-05:30`, `${hour}12:30.5Z`, `${hour}12:30.5`, `${hour}12:30`, `${hour}60:00+00:00`, `${hour}12:60+00:00`,
      `${hour}12:3x+00:00`, `${hour}12:30.+00:00`, `${hour}1:30+00:00`, `${hour}12:30+00:00 `, `${hour}05:06.7Z`, `${hour}05:06.123456789Z`,
      "2026-03-09 07:05:06.7Z", "2026-03-09T08:05:06.7Z", `${hour}05:06.7+00:00`,
    ];
    for (const order of [stamps, [...stamps].reverse()]) {
      for (const t of order) {
        const want = reference(t);
        if (want === undefined) expect(parseIsoMs(t), t).toBeUndefined();
        else expect(parseIsoMs(t), t).toBeCloseTo(want, 6);
      }
    }
  });

  it("writes timestamps the way Python's isoformat does", () => {
    expect(pythonIso(Date.UTC(2026, 4, 24, 10))).toBe("2026-05-24T10:00:00+00:00");
    expect(pythonIso(Date.UTC(2026, 4, 24, 10, 0, 0, 123), 456)).toBe("2026-05-24T10:00:00.123456+00:00");
  });

  it("formats durations for people", () => {
    expect(formatDuration(350)).toBe("350 ms");
    expect(formatDuration(4200)).toBe("4.2 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(2 * 3600_000 + 600_000)).toBe("2 h 10 min");
    expect(formatDuration(-1)).toBe("–");
    expect([350, 4200, 42_000, 435_000, 7_920_000, 270_000_000].map(formatDurationShort)).toEqual(["350 ms", "4.2 s", "42 s", "7 min", "2.2 h", "3.1 d"]);
  });
});

describe("profile globs", () => {
  it("splits the literal folder from the file-name pattern", () => {
    const g = parseGlob("logs/lifecycle-events-*.jsonl");
    expect(g.dir).toBe("logs");
    expect(g.name.test("lifecycle-events-2026-06-10.jsonl")).toBe(true);
    expect(g.name.test("lifecycle-events-2026-06-10.jsonl.gz")).toBe(false);
    expect(g.name.test("other.jsonl")).toBe(false);
    expect(parseGlob("wake.signal")).toMatchObject({ dir: "", literal: true });
    expect(parseGlob("state.{json,yaml}").name.test("state.yaml")).toBe(true);
    expect(() => parseGlob("*/x.json")).toThrow(/only allowed in the file name/);
  });
});
