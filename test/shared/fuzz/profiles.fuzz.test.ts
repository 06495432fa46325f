/**
 * Profiles: the built-in ones with parts replaced by random JSON, names like "__proto__", and
 * random or hostile regular expressions. Loading never throws; every problem has a message, a file
 * and a place; a pattern that cannot run in bounded time is refused at load, naming the field.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { formatDiagnostic } from "../../../shared/machine/diagnostics";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import { loadDefinitionText, loadProfile } from "../../../shared/profiles/load";
import { TextLogParser, textLogSpecProblems } from "../../../shared/trace/parse-text";
import type { TextLogSource } from "../../../shared/profiles/profile";
import { OBJECT_NAMES, nameArb } from "./arbitraries";

const RUNS = 200;

const jsonArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constantFrom(null, true, -1, 0, "", "*.log", "(?<from>a)(?<to>b)", ...OBJECT_NAMES), fc.array(tie("value"), { maxLength: 3 }), tie("object")),
  object: fc.array(fc.tuple(nameArb, tie("value")), { maxLength: 3 }).map((kv) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of kv) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }),
})).value;

/** Every path (as a list of keys) to a value inside `v`. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (typeof v === "object" && v !== null) for (const k of Object.keys(v)) out.push(...paths((v as Record<string, unknown>)[k], [...at, k]));
  return out;
}

function replaced(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  Object.defineProperty(cur, path[path.length - 1] as string | number, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

describe("profiles", () => {
  it("a built-in profile with any one part replaced by random JSON loads or is refused with located problems, never an exception", () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUILTIN_PROFILES), fc.nat(), jsonArb, (profile, which, junk) => {
        const all = paths(profile);
        const value = replaced(profile, all[which % all.length] ?? [], junk);
        const text = JSON.stringify(value, null, 2);
        const r = loadDefinitionText(text, "p.json");
        for (const d of r.diagnostics) {
          expect(d.message.length).toBeGreaterThan(0);
          expect(formatDiagnostic(d)).toMatch(/^p\.json(:\d+:\d+)?: (error|warning): /);
        }
        if (!r.profile && !r.definition) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("a regular expression in any text-log field is either usable by the parser or refused at load with the field's path", () => {
    const jumpstarter = BUILTIN_PROFILES.find((p) => p.id === "jumpstarter");
    const fields = ["transitionRegex", "instanceStartRegex", "restartRegex", "lineRegex"] as const;
    const patternArb = fc.oneof(
      fc.string({ unit: fc.constantFrom("(", ")", "?", "<", ">", "a", "+", "*", "|", "\\", "1", "k", "=", "!", "[", "]", "{", "}", "2", ",", ".", "$", "^") , maxLength: 16 }),
      fc.constantFrom("^(?<from>a)(a+)+(?<to>c)$", "(?<from>\\w+) -> (?<to>\\w+)", "(?<from>a)\\k<from>", "(?=x)(?<from>a)(?<to>b)", "(?<from>x){2000}(?<to>y)"),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), patternArb, (field, pattern) => {
        const p = JSON.parse(JSON.stringify(jumpstarter)) as { sources: Record<string, unknown>[] };
        const i = p.sources.findIndex((s) => s["kind"] === "text-log");
        (p.sources[i] as Record<string, unknown>)[field] = pattern;
        const r = loadProfile(p, { file: "j.json" });
        const errors = r.diagnostics.filter((d) => d.severity === "error");
        const spec = p.sources[i] as unknown as TextLogSource;
        if (r.profile) {
          expect(textLogSpecProblems(spec)).toEqual([]);
          const parser = new TextLogParser(spec, r.profile.instances);
          expect(() => parser.line({ lineNo: 1, offset: 0, bytes: 42, text: `${"a".repeat(40)}!` }, "x.log")).not.toThrow();
        } else {
          expect(errors.map((d) => d.path)).toContain(`/sources/${i}/${field}`);
          // (An empty pattern is refused by the profile's rules, not the parser's.)
          if (pattern !== "") expect(textLogSpecProblems(spec).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: runs(RUNS * 2) },
    );
  });

  it("the hostile pattern of the issue is refused at load with file, line, column, field and what to do", () => {
    const jumpstarter = BUILTIN_PROFILES.find((p) => p.id === "jumpstarter");
    const p = JSON.parse(JSON.stringify(jumpstarter)) as { sources: Record<string, unknown>[] };
    const i = p.sources.findIndex((s) => s["kind"] === "text-log");
    (p.sources[i] as Record<string, unknown>)["transitionRegex"] = "(?<from>a)(?<to>b)\\k<from>";
    const text = JSON.stringify(p, null, 2);
    const line = text.split("\n").findIndex((l) => l.includes('"transitionRegex"')) + 1;
    const r = loadDefinitionText(text, "my.profile.json");
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      `my.profile.json:${line}:7: error: the regular expression in "transitionRegex" cannot be run in bounded time: the backreference \\k<from> needs a backtracking engine, which can take exponential time on some lines (at character 19 of the pattern) (at /sources/${i}/transitionRegex). Capture the part and compare it afterwards, or match it literally.`,
    ]);
  });
});
