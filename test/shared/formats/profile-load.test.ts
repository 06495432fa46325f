import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import { loadDefinitionText, loadProfile } from "../../../shared/profiles/load";
import { formatDiagnostic, type Diagnostic } from "../../../shared/machine/diagnostics";
import { parseDocument } from "../../../shared/machine/document";

const root = path.resolve(__dirname, "../../..");
const iai = BUILTIN_PROFILES.find((p) => p.id === "iai-mcp");
if (!iai) throw new Error("iai-mcp profile missing");

/** The iai-mcp profile with some fields changed, as pretty JSON (so every member has its own line). */
function variant(change: (p: Record<string, unknown>) => void): string {
  const p = JSON.parse(JSON.stringify(iai)) as Record<string, unknown>;
  change(p);
  return JSON.stringify(p, null, 2);
}

function load(text: string, file = "profile.json"): Diagnostic[] {
  const r = loadDefinitionText(text, file);
  expect(r.kind).toBe("profile");
  return r.diagnostics;
}

/** The 1-based line of the first line containing `needle`. */
const lineOf = (text: string, needle: string): number => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

const sources = (p: Record<string, unknown>): Record<string, unknown>[] => p["sources"] as Record<string, unknown>[];

describe("built-in profiles", () => {
  for (const profile of BUILTIN_PROFILES) {
    it(`${profile.id} loads with no error and no warning, from its object and from its file`, () => {
      const r = loadProfile(profile, { file: `${profile.id}.json` });
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(r.profile).toEqual(profile);
      const file = path.join(root, "shared/profiles", `${profile.id}.json`);
      const fromFile = loadDefinitionText(fs.readFileSync(file, "utf8"), file);
      expect(fromFile.kind).toBe("profile");
      expect(fromFile.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(fromFile.profile).toEqual(profile);
    });
  }
});

describe("loadProfile: what is wrong, where", () => {
  it("a regular expression that does not compile: its path, line and the JavaScript error", () => {
    const text = variant((p) => {
      sources(p).push({ kind: "text-log", glob: "*.log", transitionRegex: "(?<from>\\w+ -> (?<to>\\w+)" });
    });
    const ds = load(text);
    expect(ds).toMatchObject([{ severity: "error", path: "/sources/6/transitionRegex", line: lineOf(text, '"transitionRegex"') }]);
    expect(ds[0]?.message).toMatch(/^the regular expression in "transitionRegex" does not compile: Invalid regular expression: .*Unterminated group/);
  });

  it("a regular expression without its named groups", () => {
    const text = variant((p) => {
      sources(p).push({ kind: "text-log", glob: "*.log", transitionRegex: "(\\w+) -> (?<to>\\w+)", tsPatterns: [{ regex: "^\\d+", format: "iso" }] });
    });
    const ds = load(text);
    expect(ds.map((d) => [d.path, d.message])).toEqual([
      ["/sources/6/transitionRegex", 'the regular expression in "transitionRegex" has no named group "from"'],
      ["/sources/6/tsPatterns/0/regex", 'the regular expression in "regex" has no named group "ts"'],
    ]);
  });

  it("a glob with a wildcard in a folder (parseGlob's rule)", () => {
    const text = variant((p) => {
      (sources(p)[1] as Record<string, unknown>)["glob"] = "logs/*/lifecycle-events-*.jsonl";
    });
    expect(load(text)).toMatchObject([
      { severity: "error", path: "/sources/1/glob", line: lineOf(text, "logs/*/"), message: 'glob "logs/*/lifecycle-events-*.jsonl": wildcards are only allowed in the file name, not in folders' },
    ]);
  });

  it("missing required fields of a source, and of the profile", () => {
    const text = variant((p) => {
      delete p["title"];
      delete (sources(p)[1] as Record<string, unknown>)["ts"];
    });
    expect(load(text).map((d) => [d.path, d.message])).toEqual([
      ["", 'the profile has no "title"'],
      ["/sources/1", 'the jsonl-log source has no "ts"'],
    ]);
  });

  it("an unknown source kind, with a suggestion", () => {
    const text = variant((p) => {
      (sources(p)[2] as Record<string, unknown>)["kind"] = "lok";
    });
    expect(load(text)).toMatchObject([{ path: "/sources/2/kind", message: 'the source\'s "kind" must be one of state-file, jsonl-log, text-log, lock, pidfile, signal, table, but it is the string "lok"', hint: "Did you mean lock?" }]);
  });

  it("wrong values: an enum, a number, a list", () => {
    const text = variant((p) => {
      (sources(p)[2] as Record<string, unknown>)["lockType"] = "fcntl";
      (sources(p)[5] as Record<string, unknown>)["staleAfterMs"] = "90s";
      (p["detect"] as Record<string, unknown>)["anyOf"] = "lifecycle_state.json";
    });
    expect(load(text).map((d) => [d.path, d.message])).toEqual([
      ["/detect/anyOf", '"anyOf" of "detect" must be a list of strings, but it is the string "lifecycle_state.json"'],
      ["/sources/2/lockType", '"lockType" of the lock source is "fcntl", which is not one of "flock", "posix"'],
      ["/sources/5/staleAfterMs", '"staleAfterMs" of the signal source must be a number of 0 or more, but it is the string "90s"'],
    ]);
  });

  it("instances: an unknown kind, and a kind's missing field", () => {
    expect(load(variant((p) => (p["instances"] = { kind: "keyd", label: "x" })))).toMatchObject([{ path: "/instances/kind", hint: "Did you mean keyed?" }]);
    expect(load(variant((p) => (p["instances"] = { kind: "per-run", label: "lease" })))).toMatchObject([{ path: "/instances", message: '"instances" (per-run) has no "fallbackId"' }]);
  });

  it("a state-file source with neither state nor records", () => {
    const text = variant((p) => {
      delete (sources(p)[0] as Record<string, unknown>)["state"];
    });
    expect(load(text)).toMatchObject([{ path: "/sources/0", message: 'the state-file source has neither "state" (one instance) nor "records" (one per key)' }]);
  });

  it("unknown keys are warnings, with a suggestion", () => {
    const text = variant((p) => {
      p["gapAfterMS"] = 1000;
      (sources(p)[3] as Record<string, unknown>)["pidfield"] = "pid";
    });
    const ds = load(text);
    expect(ds.map((d) => [d.severity, d.path, d.hint])).toEqual([
      ["warning", "/gapAfterMS", "Did you mean gapAfterMs?"],
      ["warning", "/sources/3/pidfield", "Did you mean pidField?"],
    ]);
    expect(loadDefinitionText(text, "p.json").profile).toBeDefined();
  });

  it("a pendingState that is not a state of the machine", () => {
    expect(load(variant((p) => (p["warnings"] = { pendingState: "SLEEPING" })))).toMatchObject([{ path: "/warnings/pendingState", hint: "Did you mean SLEEP?" }]);
  });

  it("machine errors carry /machine paths and lines of the profile file", () => {
    const text = variant((p) => {
      (p["machine"] as Record<string, unknown>)["initial"] = "AWAKE";
    });
    const ds = load(text);
    expect(ds).toMatchObject([{ path: "/machine/initial", line: lineOf(text, '"initial": "AWAKE"'), message: 'the initial state "AWAKE" is not a state', hint: "Did you mean WAKE?" }]);
  });

  it("not an object", () => {
    expect(loadProfile("iai-mcp", { file: "p.json" }).diagnostics).toMatchObject([{ path: "", message: 'a profile must be an object, but this is the string "iai-mcp"' }]);
  });
});

describe("loadDefinitionText", () => {
  it("reads a user's YAML profile", () => {
    const file = path.join(root, "test/fixtures/formats/my-daemon.profile.yaml");
    const r = loadDefinitionText(fs.readFileSync(file, "utf8"), file);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(r.kind).toBe("profile");
    expect(r.profile?.sources[0]).toMatchObject({ kind: "text-log", transitionRegex: "phase (?<from>\\w+) -> (?<to>\\w+)" });
    expect(r.profile?.machine.states["stopped"]).toEqual({ type: "final" });
  });

  it("tells a profile from a machine, and a machine wrapped in { machine } from a profile", () => {
    expect(loadDefinitionText('{ "id": "m", "initial": "a", "states": { "a": {} } }', "m.json").kind).toBe("machine");
    const wrapped = loadDefinitionText('{ "machine": { "id": "m", "initial": "a", "states": { "a": {} } } }', "m.json");
    expect(wrapped).toMatchObject({ kind: "machine", definition: { id: "m" } });
    expect(loadDefinitionText('{ "id": "p", "title": "P", "machine": {} }', "p.json").kind).toBe("profile");
  });

  it("SCXML by extension or by a leading <", () => {
    const xml = '<scxml xmlns="http://www.w3.org/2005/07/scxml" name="m"><state id="a"/></scxml>';
    expect(loadDefinitionText(xml, "m.scxml")).toMatchObject({ kind: "machine", definition: { id: "m", initial: "a" } });
    expect(loadDefinitionText(`\n  ${xml}`, "machine.txt")).toMatchObject({ kind: "machine", definition: { id: "m" } });
    expect(loadDefinitionText("not xml", "m.xml").diagnostics).toMatchObject([{ line: 1, column: 1, message: "invalid XML: char 'n' is not expected" }]);
  });

  it("a duplicate state in a profile's machine fails the load, at the line of the second", () => {
    const text = JSON.stringify(iai, null, 2).replace('"SLEEP": {', '"DROWSY": {}, "SLEEP": {');
    const r = loadDefinitionText(text, "p.json");
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === "error")).toMatchObject([{ path: "/machine/states/DROWSY", line: lineOf(text, '"DROWSY": {}, "SLEEP"') }]);
    expect(r.diagnostics[0]?.message).toBe('duplicate state "DROWSY" (first at line 22): only the second definition would be kept, the first would be silently lost');
  });

  it("a syntax error stops before any checks", () => {
    expect(loadDefinitionText("{ nope", "p.json")).toMatchObject({ kind: "machine", diagnostics: [{ line: 1, column: 3, message: 'invalid JSON: expected a property name in double quotes, found "n"' }] });
  });

  it("positions survive in both formats (YAML locate)", () => {
    const doc = parseDocument(fs.readFileSync(path.join(root, "test/fixtures/formats/my-daemon.profile.yaml"), "utf8"), "p.yaml");
    expect(doc.locate("/sources/0/transitionRegex")).toEqual({ line: 26, column: 5 });
  });
});
