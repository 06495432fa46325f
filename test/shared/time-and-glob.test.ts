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
