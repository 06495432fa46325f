import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { MAX_GLOB_ALTERNATIVES, globNameToRegExp, parseGlob } from "../../../shared/profiles/glob";

/** The textbook glob matcher (dynamic programming over pattern × name): the meaning to compare with. */
function reference(glob: string, name: string): boolean {
  const alternatives: string[] = [];
  const expand = (prefix: string, rest: string): void => {
    const open = rest.indexOf("{");
    if (open < 0) return void alternatives.push(prefix + rest);
    const close = rest.indexOf("}", open);
    for (const o of rest.slice(open + 1, close).split(",")) expand(prefix + rest.slice(0, open) + o, rest.slice(close + 1));
  };
  expand("", glob);
  return alternatives.some((g) => {
    let row = Array.from({ length: name.length + 1 }, (_, j) => j === 0);
    for (const ch of g) {
      const next = Array.from({ length: name.length + 1 }, () => false);
      for (let j = 0; j <= name.length; j++) {
        if (ch === "*") next[j] = (row[j] ?? false) || (j > 0 && (next[j - 1] ?? false) && name[j - 1] !== "/");
        else if (j > 0 && (row[j - 1] ?? false) && name[j - 1] !== "/" && (ch === "?" || ch === name[j - 1])) next[j] = true;
      }
      row = next;
    }
    return row[name.length] ?? false;
  });
}

const globArb = fc
  .array(fc.oneof(fc.constantFrom("a", "b", ".", "*", "*", "?", "(", "+", "$"), fc.constantFrom("{a,b}", "{ab,}", "{.,*}")), { maxLength: 8 })
  .map((xs) => xs.join(""));
const nameArb = fc.string({ unit: fc.constantFrom("a", "b", ".", "(", "+", "$", "/"), maxLength: 12 });

describe("globs become regular expressions that run in linear time", () => {
  it("match exactly what the textbook glob matcher matches", () => {
    fc.assert(
      fc.property(globArb, nameArb, (glob, name) => {
        expect([glob, name, globNameToRegExp(glob).test(name)]).toEqual([glob, name, reference(glob, name)]);
      }),
      { numRuns: runs(3000) },
    );
  });

  // The plain translation ^[^/]*a[^/]*a...[^/]*b$ takes minutes already for 40 characters and 12
  // stars (it tries every way to split the name); this name has 20,000. A generous timeout is the
  // assertion.
  it("30 stars against a 20,000-character name that almost matches", { timeout: 20_000 }, () => {
    const re = globNameToRegExp(`${"*a".repeat(30)}*b`);
    expect(re.test("a".repeat(20_000))).toBe(false);
    expect(re.test(`${"a".repeat(20_000)}b`)).toBe(true);
    expect(parseGlob(`logs/${"*x".repeat(50)}*.log`).name.test(`${"x".repeat(30_000)}.lo`)).toBe(false);
  });

  it("refuses braces that spell out too many names, and a brace never closed", () => {
    expect(() => globNameToRegExp("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}")).toThrow(`more than ${MAX_GLOB_ALTERNATIVES} names`);
    expect(() => parseGlob("state.{json,yaml")).toThrow(/"\{" at character 7 is never closed/);
  });
});
