/**
 * The linear-time proof (shared/regex/linear-native.ts) lets JavaScript's backtracking engine run
 * a pattern. If it ever said yes to a pattern that backtracks exponentially or quadratically, one
 * of these searches over 50,000 characters would take seconds to minutes (quadratic: 2.5·10^9 steps per search,
 * exponential: forever) and the test would time out; linear, all of them take well under a second.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { compileRegex, isRefusal } from "../../../shared/regex/safe-regex";

const RUNS = 400;

const patternArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
  atom: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("a", "b", ":", " ", ".", "\\w", "\\s", "\\S", "[ab]", "[^a]", "[a:]", "\\d") },
    { weight: 2, arbitrary: tie("alt").map((a) => `(?:${String(a)})`) },
  ),
  piece: fc.tuple(tie("atom"), fc.constantFrom("", "", "*", "+", "?", "{2,3}", "*?", "+?")).map(([a, q]) => `${String(a)}${q}`),
  seq: fc.array(tie("piece"), { minLength: 1, maxLength: 4 }).map((xs) => xs.join("")),
  alt: fc.array(tie("seq"), { minLength: 1, maxLength: 3 }).map((xs) => xs.join("|")),
  pattern: fc.tuple(fc.constantFrom("", "^", "ab:", "x "), tie("alt"), fc.constantFrom("", "$")).map(([a, b, c]) => `${a}${String(b)}${c}`),
})).pattern as fc.Arbitrary<string>;

describe("patterns proven linear for JavaScript's engine", () => {
  it("search 50,000-character pumped texts in linear time (a wrong proof would hang here)", { timeout: 120_000 }, () => {
    let proven = 0;
    // At least 200 even in a quick pass (FSM_TEST_RUNS): the ratio checked below needs a sample that size.
    const numRuns = Math.max(runs(RUNS), 200);
    fc.assert(
      fc.property(patternArb, fc.array(fc.constantFrom("a", "b", ":", " ", "x", "1"), { minLength: 1, maxLength: 3 }), fc.constantFrom("", "!", "\n", "a", " "), (pattern, pump, end) => {
        const re = compileRegex(pattern);
        if (isRefusal(re) || !re.usesNativeEngine) return;
        proven += 1;
        const unit = pump.join("");
        const text = unit.repeat(Math.ceil(50_000 / unit.length)) + end;
        const t0 = performance.now();
        re.exec(text);
        re.exec(`ab:${text}`);
        // Generous: a linear search of 50,000 characters takes a few milliseconds, a quadratic one seconds.
        expect(performance.now() - t0).toBeLessThan(2_000);
      }),
      { numRuns },
    );
    // The generator must reach the proof's "yes" often enough for this test to mean something
    // (about 1 in 10 of its patterns; at least 1 in 20 over any run of this size).
    expect(proven).toBeGreaterThan(numRuns / 20);
  });
});
