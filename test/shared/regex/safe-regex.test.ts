import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import type { TextLogSource } from "../../../shared/profiles/profile";
import { compileRegex, isRefusal, type RegexMatch, type SafeRegex } from "../../../shared/regex/safe-regex";
import { translate } from "../../../shared/regex/translate";

function compiled(source: string, engine: "auto" | "re2" = "auto"): SafeRegex {
  const re = compileRegex(source, engine);
  if (isRefusal(re)) throw new Error(`refused: ${re.message}`);
  return re;
}

/** What JavaScript's RegExp finds, in the shape SafeRegex gives. */
function jsMatch(source: string, text: string): RegexMatch | null {
  const m = new RegExp(source).exec(text);
  if (!m) return null;
  const groups: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) groups[k] = v;
  return { index: m.index, text: m[0], groups };
}

const plain = (m: RegexMatch | null): unknown => (m ? { ...m, groups: { ...m.groups } } : null);

/** Every regular expression the built-in profiles hold. */
const BUILTIN_PATTERNS = BUILTIN_PROFILES.flatMap((p) =>
  p.sources
    .filter((s): s is TextLogSource => s.kind === "text-log")
    .flatMap((s) => [s.transitionRegex, s.instanceStartRegex, s.restartRegex, s.lineRegex, ...(s.tsPatterns ?? []).map((t) => t.regex)])
    .filter((r): r is string => r !== undefined),
);

describe("patterns that would take exponential or quadratic time under backtracking run in linear time", () => {
  // With backtracking, each of these takes on the order of 2^50 (or 10^11) steps: days. A
  // generous timeout is the assertion; the result is checked too.
  it("^(?<from>a)(a+)+(?<to>c)$ against 50 a's and a b (2^50 ways to split the a's)", { timeout: 20_000 }, () => {
    const source = "^(?<from>a)(a+)+(?<to>c)$";
    const re = compiled(source);
    expect(re.usesNativeEngine).toBe(false);
    expect(re.exec(`${"a".repeat(50)}b`)).toBeNull();
    expect(re.exec(`${"a".repeat(40)}c`)).toMatchObject({ index: 0, groups: { from: "a", to: "c" } });
  });

  it("(?<from>\\w+) -> (?<to>\\w+) against a 1 MB line of word characters (quadratic for a backtracking search)", { timeout: 20_000 }, () => {
    const re = compiled("(?<from>\\w+) -> (?<to>\\w+)");
    expect(re.usesNativeEngine).toBe(false);
    expect(re.exec("a".repeat(1024 * 1024))).toBeNull();
    expect(re.exec(`${"a".repeat(100_000)} -> b`)?.groups).toEqual({ from: "a".repeat(100_000), to: "b" });
  });

  it("the built-in lineRegex on a 400 KB line with a carriage return (where `.` stops and JavaScript's engine would backtrack quadratically) goes to RE2", { timeout: 20_000 }, () => {
    const jumpstarter = BUILTIN_PROFILES.find((p) => p.id === "jumpstarter")?.sources.find((s): s is TextLogSource => s.kind === "text-log");
    const re = compiled(jumpstarter?.lineRegex ?? "");
    expect(re.usesNativeEngine).toBe(true);
    expect(re.exec(`INFO${":".repeat(400_000)}\r`)).toBeNull();
    expect(re.exec(`INFO${": ".repeat(200_000)}x`)?.groups["level"]).toBe("INFO");
  });
});

describe("the built-in profiles' patterns", () => {
  it("are all proven to run in linear time on JavaScript's own engine (so parsing keeps its speed)", () => {
    expect(BUILTIN_PATTERNS.length).toBeGreaterThanOrEqual(7);
    for (const p of BUILTIN_PATTERNS) expect([p, compiled(p).usesNativeEngine]).toEqual([p, true]);
  });

  it("find what JavaScript finds, on both engines, on the jumpstarter log's kind of lines and on random text", () => {
    const samples = [
      "DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: READY -> ENDING",
      "INFO:jumpstarter.exporter.exporter:Starting new lease: c130c5d7-db1c-lease-001",
      "[11/25/26 10:00:00] INFO     Registering exporter with controller",
      "2026-11-25T10:00:00,123+01:00 WARNING:x:y",
      "Nov  5 10:00:00 host daemon: phase a -> b",
      "",
    ];
    fc.assert(
      fc.property(fc.constantFrom(...BUILTIN_PATTERNS), fc.oneof(fc.constantFrom(...samples), fc.string({ unit: fc.constantFrom("A", "_", " ", "-", ">", ":", "I", "N", "F", "O", "1", "/", "[", "]", ".", "\r", "é") })), (p, text) => {
        expect(plain(compiled(p).exec(text))).toEqual(plain(jsMatch(p, text)));
        expect(plain(compiled(p, "re2").exec(text))).toEqual(plain(jsMatch(p, text)));
      }),
      { numRuns: runs(400) },
    );
  });
});

/** Small JavaScript patterns: literals, classes, groups, alternation, greedy and lazy repeats, anchors. */
const patternArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
  atom: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("a", "b", "c", "-", " ", "\\.", ".", "\\d", "\\w", "\\s", "\\S", "\\D", "\\W", "[ab]", "[^a]", "[a-c_]", "[\\s\\d]", "[^\\w]", "\\x41", "\\b", "\\B", "é") },
    { weight: 1, arbitrary: tie("alt").map((a) => `(?:${String(a)})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x", "y"), tie("alt")).map(([n, a]) => `(?<${n}>${String(a)})`) },
  ),
  piece: fc.tuple(tie("atom"), fc.constantFrom("", "", "*", "+", "?", "{2}", "{1,3}", "*?", "+?", "??")).map(([a, q]) => `${String(a)}${q}`),
  seq: fc.array(tie("piece"), { minLength: 1, maxLength: 4 }).map((xs) => xs.join("")),
  alt: fc.array(tie("seq"), { minLength: 1, maxLength: 2 }).map((xs) => xs.join("|")),
  pattern: fc.tuple(fc.constantFrom("", "^"), tie("alt"), fc.constantFrom("", "$")).map(([a, b, c]) => `${a}${String(b)}${c}`),
})).pattern as fc.Arbitrary<string>;

describe("any pattern", () => {
  it("is either refused with a reason and an offset, or matches exactly what JavaScript matches (both engines)", () => {
    fc.assert(
      fc.property(patternArb, fc.array(fc.string({ unit: fc.constantFrom("a", "b", "c", "-", " ", ".", "A", "_", "1", "\n", "\r", "é", "\u2028", "\u00a0") }), { minLength: 1, maxLength: 6 }), (p, texts) => {
        let js: RegExp | undefined;
        try {
          js = new RegExp(p);
        } catch {
          js = undefined;
        }
        const re = compileRegex(p);
        if (isRefusal(re)) {
          expect(re.message.length).toBeGreaterThan(0);
          expect(re.index).toBeGreaterThanOrEqual(0);
          // Only invalid patterns and duplicate group names (a syntax error) are refused here.
          expect(js === undefined || re.kind === "unsafe").toBe(true);
          return;
        }
        expect(js).toBeDefined();
        for (const t of texts) {
          expect(plain(re.exec(t))).toEqual(plain(jsMatch(p, t)));
          expect(plain(compiled(p, "re2").exec(t))).toEqual(plain(jsMatch(p, t)));
        }
      }),
      { numRuns: runs(500) },
    );
  });

  it("never throws for any string, and names the offset of what it refuses", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (p) => {
        const re = compileRegex(p);
        if (isRefusal(re)) expect(re.index).toBeLessThanOrEqual(Math.max(p.length, 0));
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe("what is refused, and why", () => {
  it.each([
    ["(?<from>a)\\k<from>", "backreference", 10],
    ["(a)\\1", "backreference", 3],
    ["foo(?=bar)", "lookahead", 3],
    ["(?<!x)y", "lookbehind", 0],
    ["a{1001}", "over 1000", 0],
    ["[😀]", "Basic Multilingual Plane", 0],
  ])("%s: %s", (source, why, index) => {
    const re = compileRegex(source);
    expect(isRefusal(re) && re.kind === "unsafe" ? [re.message.includes(why), re.index, re.hint.length > 0] : re).toEqual([true, index, true]);
  });

  it("a pattern that is not JavaScript syntax is a syntax error with JavaScript's message", () => {
    expect(compileRegex("(?<from>x")).toMatchObject({ kind: "syntax", message: expect.stringMatching(/Unterminated group/) as unknown });
  });

  it("the proof of linearity says no for ambiguous patterns, and yes for anchored or literal-led deterministic ones", () => {
    const native = (p: string): boolean => {
      const t = translate(p);
      return "native" in t && t.native;
    };
    for (const p of ["(a|a)*b", "a*b", "\\s+x", "(?:[a-z]+!|.)*$", "^(a+)+$", "x(?:a|ab)*y", "phase (?<from>\\w+) -> (?<to>\\w+)"]) expect([p, native(p)]).toEqual([p, false]);
    for (const p of ["^a*b", "Lease: (?<from>[A-Z_]+) -> (?<to>[A-Z_]+)", "start (?<id>\\S+)", "^(?<ts>\\d{4}-\\d\\d)"]) expect([p, native(p)]).toEqual([p, true]);
  });
});
