import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import { MAX_PATTERNS } from "../../../shared/profiles/check-regex";
import { MAX_SOURCES, loadProfile } from "../../../shared/profiles/load";

const jumpstarter = BUILTIN_PROFILES.find((p) => p.id === "jumpstarter");

function withTextSources(n: number, pattern: (i: number) => string): unknown {
  const p = JSON.parse(JSON.stringify(jumpstarter)) as { sources: unknown[] };
  p.sources = Array.from({ length: n }, (_, i) => ({ kind: "text-log", glob: `f${i}.log`, transitionRegex: pattern(i), restartRegex: `${pattern(i)} again` }));
  return p;
}

describe("a profile's size is bounded, so loading one stays quick", () => {
  it(`more than ${MAX_SOURCES} sources is an error; the first ${MAX_SOURCES} are still checked`, () => {
    const r = loadProfile(withTextSources(MAX_SOURCES + 6, () => "(?<from>a) (?<to>b)"), { file: "p.json" });
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.path, d.message])).toEqual([["/sources", `the profile has ${MAX_SOURCES + 6} sources; the limit is ${MAX_SOURCES}`]]);
  });

  it(`more than ${MAX_PATTERNS} different regular expressions is an error, reported once; repeated ones count once`, () => {
    const many = loadProfile(withTextSources(MAX_SOURCES, (i) => `(?<from>a${i}) (?<to>b)`), { file: "p.json" });
    expect(many.diagnostics.filter((d) => d.message.includes("different regular expressions")).map((d) => d.message)).toEqual([`the profile has more than ${MAX_PATTERNS} different regular expressions; the limit is ${MAX_PATTERNS}`]);
    const same = loadProfile(withTextSources(MAX_SOURCES, () => "(?<from>a) (?<to>b)"), { file: "p.json" });
    expect(same.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
