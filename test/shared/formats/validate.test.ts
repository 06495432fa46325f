import { describe, expect, it } from "vitest";
import { formatDiagnostic, type Diagnostic } from "../../../shared/machine/diagnostics";
import { validateMachine } from "../../../shared/machine/validate";
import { validateText } from "./machines";

/** A JSON text from lines, so that line N of the test is line N of the file. */
const lines = (...l: string[]): string => l.join("\n");

/** [severity, path, line] of every diagnostic. */
const where = (ds: Diagnostic[]): [string, string, number | undefined][] => ds.map((d) => [d.severity, d.path, d.line]);

function only(text: string): Diagnostic {
  const ds = validateText(text);
  expect(ds, ds.map(formatDiagnostic).join("\n")).toHaveLength(1);
  return ds[0] as Diagnostic;
}

describe("validateMachine: errors", () => {
  it("not an object", () => {
    const d = only("[1, 2]");
    expect(d).toMatchObject({ severity: "error", path: "", line: 1, column: 1 });
    expect(d.message).toBe("a machine definition must be an object, but this is an array");
  });

  it("missing id: a warning, defaulted from the file name", () => {
    const r = validateMachine({ initial: "a", states: { a: {} } }, { file: "dir/my machine.json" });
    expect(r.definition?.id).toBe("my-machine");
    expect(r.diagnostics).toMatchObject([{ severity: "warning", path: "", message: 'the machine has no "id"; "my-machine" is used' }]);
  });

  it("empty id: a warning at /id", () => {
    const d = only(lines('{ "initial": "a",', '  "id": "",', '  "states": { "a": {} } }'));
    expect(d).toMatchObject({ severity: "warning", path: "/id", line: 2 });
  });

  it("id that is not a string", () => {
    const d = only(lines('{ "initial": "a",', '  "id": 7,', '  "states": { "a": {} } }'));
    expect(d).toMatchObject({ severity: "error", path: "/id", line: 2, message: '"id" must be a string, but it is number 7' });
  });

  it("missing initial", () => {
    const d = only(lines("{", '  "id": "m",', '  "states": { "a": {}, "b": {} }', "}"));
    expect(d).toMatchObject({ severity: "error", path: "", line: 1, message: 'the machine has no "initial" state', hint: 'Add "initial": "a" (the state a new instance starts in).' });
  });

  it("initial is not a state, with a suggestion", () => {
    const d = only(lines("{", '  "id": "m",', '  "initial": "WAEK",', '  "states": { "WAKE": {}, "SLEEP": {} }', "}"));
    expect(d).toMatchObject({ severity: "error", path: "/initial", line: 3, column: 3, message: 'the initial state "WAEK" is not a state', hint: "Did you mean WAKE?" });
  });

  it("no states: missing, empty, or not an object", () => {
    expect(only('{ "id": "m", "initial": "a" }')).toMatchObject({ severity: "error", path: "", message: 'the machine has no "states"' });
    expect(only(lines('{ "id": "m", "initial": "a",', '  "states": {} }'))).toMatchObject({ severity: "error", path: "/states", line: 2, message: "the machine has no states" });
    expect(only(lines('{ "id": "m", "initial": "a",', '  "states": ["a"] }'))).toMatchObject({ path: "/states", line: 2, message: '"states" must be an object of named states, but it is an array' });
  });

  it("unknown target, with a did-you-mean suggestion (the example of the brief)", () => {
    const text = lines(
      "{",
      '  "id": "m",',
      '  "initial": "SLEEP",',
      '  "states": {',
      '    "SLEEP": {',
      '      "on": {',
      '        "x": { "target": "SLEPE" }',
      "      }",
      "    }",
      "  }",
      "}",
    );
    const d = only(text);
    expect(formatDiagnostic(d)).toBe('machine.json:7:16: error: state "SLEEP" has a transition to "SLEPE", which is not a state (at /states/SLEEP/on/x/target). Did you mean SLEEP?');
  });

  it("unknown target without a close name lists the states; root-level and eventless too", () => {
    const text = lines(
      '{ "id": "m", "initial": "a",',
      '  "on": { "reset": ".zzz" },',
      '  "states": {',
      '    "a": { "always": [{ "target": "qqq", "guard": "g" }] },',
      '    "b": { "on": { "go": ["a", "nowhere"] } } } }',
    );
    const ds = validateText(text);
    expect(where(ds)).toEqual([
      ["error", "/on/reset", 2],
      ["error", "/states/a/always/0/target", 4],
      ["error", "/states/b/on/go/1", 5],
      ["error", "/states/b/on/go/1", 5],
    ]);
    expect(ds[0]?.message).toBe('the root-level transition for "reset" goes to "zzz", which is not a state');
    expect(ds[0]?.hint).toBe("The states are: a, b.");
    expect(ds[1]?.message).toBe('state "a" has an eventless transition to "qqq", which is not a state');
    expect(ds[3]?.message).toMatch(/^two unguarded transitions for "go" in state "b"/);
  });

  it("duplicate state (reported by parseDocument, line of the second)", () => {
    const ds = validateText(lines('{ "id": "m", "initial": "a", "states": {', '  "a": {},', '  "b": {},', '  "a": { "on": { "go": "b" } } } }'));
    expect(where(ds)).toEqual([["error", "/states/a", 4]]);
    expect(ds[0]?.message).toBe('duplicate state "a" (first at line 2): only the second definition would be kept, the first would be silently lost');
  });

  it("nested states: a compound state's initial must be one of its children", () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": {', '  "a": { "initial": "y",', '    "states": { "x": {} } } } }'));
    expect(d).toMatchObject({ severity: "error", path: "/states/a/initial", line: 2, message: 'the initial state the string "y" of "a" is not one of its children' });
  });

  it("a parallel state without regions, a history state at the top level, a parallel machine", () => {
    const ds = validateText(lines('{ "id": "m", "initial": "a", "states": {', '  "a": { "type": "parallel" },', '  "h": { "type": "history" } } }'));
    expect(where(ds)).toEqual([
      ["error", "/states/a/type", 2],
      ["error", "/states/h", 3],
    ]);
    expect(ds[0]?.message).toBe('parallel state "a" has no regions');
    expect(ds[1]?.message).toBe('history state "h" is at the top level, where there is nothing to remember');
    expect(only(lines('{ "id": "m",', '  "type": "parallel", "initial": "a", "states": { "a": {} } }'))).toMatchObject({ path: "/type", line: 2 });
  });

  it("unknown state types", () => {
    const ds = validateText(lines('{ "id": "m", "initial": "a", "states": {', '  "a": { "type": "compound" },', '  "b": { "type": "atomik" } } }'));
    expect(where(ds)).toEqual([["error", "/states/b/type", 3]]);
    expect(ds[0]?.message).toBe('state "b" has the unknown type the string "atomik"');
  });

  it("a guard that is neither a name nor {type, params}", () => {
    const text = lines(
      '{ "id": "m", "initial": "a", "states": { "b": {}, "a": { "on": {',
      '  "e1": { "target": "b", "guard": 42 },',
      '  "e2": { "target": "b", "guard": { "params": { "key": "k" } } },',
      '  "e3": { "target": "b", "guard": { "type": "payload" } },',
      '  "e4": { "target": "b", "guard": { "type": "event", "params": { "in": [] } } },',
      '  "e5": { "target": "b", "guard": { "type": "x", "params": [1] } },',
      '  "e6": { "target": "b", "guard": "" } } } } }',
    );
    const ds = validateText(text);
    expect(where(ds)).toEqual([
      ["error", "/states/a/on/e1/guard", 2],
      ["error", "/states/a/on/e2/guard", 3],
      ["error", "/states/a/on/e3/guard/params", 4],
      ["error", "/states/a/on/e4/guard/params", 5],
      ["error", "/states/a/on/e5/guard/params", 6],
      ["error", "/states/a/on/e6/guard", 7],
    ]);
    expect(ds[0]?.message).toBe('a guard must be a name or an object { "type": ..., "params": {...} }, but this is number 42');
    expect(ds[2]?.message).toBe('a "payload" guard needs "params.key", the payload field it tests');
  });

  it('v4 "cond" is an error in the canonical format (it would be silently unguarded)', () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": { "b": {}, "a": { "on": {', '  "go": { "target": "b", "cond": "ok" } } } } }'));
    expect(d).toMatchObject({ severity: "error", path: "/states/a/on/go/cond", line: 2 });
    expect(d.hint).toMatch(/^Rename "cond" to "guard"/);
  });

  it("non-determinism: two unguarded transitions for one event from one state", () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": { "b": {}, "c": {}, "a": { "on": { "go": [', '  { "target": "b" },', '  { "target": "c" } ] } } } }'));
    expect(d).toMatchObject({ severity: "error", path: "/states/a/on/go/1", line: 3 });
    expect(d.message).toBe('two unguarded transitions for "go" in state "a" (the transition to "b" and the transition to "c"): the machine is not deterministic, and the second is never taken');
  });

  it("a transition after an unguarded one for the same event can never be taken", () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": { "b": {}, "c": {}, "a": { "on": { "go": [', '  { "target": "b" },', '  { "target": "c", "guard": "ok" } ] } } } }'));
    expect(d).toMatchObject({ severity: "error", path: "/states/a/on/go/1", line: 3 });
    expect(d.message).toBe('the transition to "c" for "go" in state "a" can never be taken: the transition to "b" before it has no guard, so it is always taken first');
  });

  it("eventless transitions without guards that loop", () => {
    const ds = validateText(lines('{ "id": "m", "initial": "a", "states": {', '  "a": { "always": { "target": "b" } },', '  "b": { "always": [{ "target": "c", "guard": "g" }, { "target": "a" }] },', '  "c": { "always": {} } } }'));
    expect(where(ds)).toEqual([
      ["error", "/states/a/always", 2],
      ["error", "/states/c/always", 4],
    ]);
    expect(ds[0]?.message).toBe('eventless ("always") transitions loop forever: a → b → a, and none of them has a guard');
    expect(ds[1]?.message).toBe('state "c" has an eventless ("always") transition without a target and without a guard: XState would take it forever');
  });

  it('root-level "always" is not supported', () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": { "a": {} },', '  "always": { "target": ".a", "guard": "g" } }'));
    expect(d).toMatchObject({ severity: "error", path: "/always", line: 2 });
  });

  it("targets XState cannot resolve: a root-level target without a dot, a state-level child target, another machine's id", () => {
    const text = lines('{ "id": "m", "initial": "a",', '  "on": { "r": "a" },', '  "states": { "b": {}, "a": { "on": {', '    "x": ".b",', '    "y": "#other.b",', '    "z": "#m.b" } } } }');
    const ds = validateText(text);
    expect(where(ds)).toEqual([
      ["error", "/on/r", 2],
      ["error", "/states/a/on/x", 4],
      ["error", "/states/a/on/y", 5],
    ]);
    expect(ds.map((d) => d.hint)).toEqual(['Write ".a": targets of root-level transitions start with a dot.', 'Write "b".', 'Write the state\'s name, "b".']);
  });

  it("bad names and shapes: a dotted state name, a state that is not an object, `on` not an object, a bad transition, several targets", () => {
    const text = lines(
      '{ "id": "m", "initial": "a", "states": {',
      '  "a.b": {}, "*": {}, "": {},',
      '  "c": "final",',
      '  "d": { "on": ["x"] },',
      '  "a": { "on": { "": "d", "p": 5, "q": { "target": ["a", "d"] } } } } }',
    );
    const ds = validateText(text);
    expect(where(ds)).toEqual([
      ["error", "/states/a.b", 2],
      ["error", "/states/*", 2],
      ["error", "/states/", 2],
      ["error", "/states/c", 3],
      ["error", "/states/d/on", 4],
      ["error", "/states/a/on/", 5],
      ["error", "/states/a/on/p", 5],
      ["error", "/states/a/on/q/target", 5],
    ]);
    expect(ds[0]?.hint).toBe('Rename it (e.g. "a_b").');
  });
});

describe("validateMachine: warnings", () => {
  it("unreachable states (root-level transitions count from every reachable non-final state)", () => {
    const text = lines(
      '{ "id": "m", "initial": "a",',
      '  "on": { "fail": ".failed" },',
      '  "states": {',
      '    "a": { "on": { "go": "done" } },',
      '    "done": { "type": "final" },',
      '    "failed": { "on": { "retry": "b" } },',
      '    "b": {},',
      '    "island": { "on": { "x": "a" } } } }',
    );
    const ds = validateText(text);
    expect(where(ds)).toEqual([["warning", "/states/island", 8]]);
    expect(ds[0]?.message).toBe('state "island" cannot be reached from the initial state "a"');
  });

  it("unused events listed in meta.events", () => {
    const text = lines('{ "id": "m", "initial": "a",', '  "meta": { "events": [', '    "go",', '    "stopp" ] },', '  "states": { "a": { "on": { "go": "a", "stop": "a" } } } }');
    const d = only(text);
    expect(d).toMatchObject({ severity: "warning", path: "/meta/events/1", line: 4, message: 'event "stopp" is listed in meta.events, but no transition uses it' });
    expect(d.hint).toBe("Did you mean stop? Add a transition for it, or remove it from the list.");
  });

  it("transitions out of a final state", () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": { "a": { "on": { "end": "z" } },', '  "z": { "type": "final",', '    "on": { "again": "a" } } } }'));
    expect(d).toMatchObject({ severity: "warning", path: "/states/z/on", line: 3, message: 'final state "z" has transitions, which never run: reaching a final state ends the machine' });
  });

  it("guarded eventless transitions that can loop (step would run them forever once their guards hold)", () => {
    const ds = validateText(lines('{ "id": "m", "initial": "a", "states": {', '  "a": { "always": { "target": "b", "guard": "g" } },', '  "b": { "always": [{ "target": "c", "guard": "h" }, { "target": "a", "guard": "k" }] },', '  "c": { "always": { "guard": "z" } } } }'));
    expect(where(ds)).toEqual([
      ["warning", "/states/a/always", 2],
      ["warning", "/states/c/always", 4],
    ]);
    expect(ds.map((d) => d.message)).toEqual([
      'eventless ("always") transitions can loop forever: a → b → a, whenever their guards all hold',
      'state "c" has an eventless ("always") transition without a target: it runs forever whenever its guard holds',
    ]);
  });

  it("delayed transitions are stepped; invoked actors are not, and a named delay is an error", () => {
    const ds = validateText(lines('{ "id": "m", "initial": "a", "states": { "a": {', '  "after": { "1000": "a" },', '  "invoke": { "src": "x" } } } }'));
    expect(where(ds)).toEqual([["warning", "/states/a/invoke", 3]]);
    const named = validateText(lines('{ "id": "m", "initial": "a", "states": { "a": {', '  "after": { "LONG": "a" } } } }'));
    expect(where(named)).toEqual([["error", "/states/a/after/LONG", 2]]);
  });

  it("guard keys beside type and params (v4 style) are a warning", () => {
    const d = only(lines('{ "id": "m", "initial": "a", "states": { "a": { "on": { "go": { "target": "a",', '  "guard": { "type": "below", "limit": 3 } } } } } }'));
    expect(d).toMatchObject({ severity: "warning", path: "/states/a/on/go/guard", line: 2, hint: 'Move it into "params".' });
  });

  it("descriptions that are not text, and meta.events that is not a list", () => {
    const text = lines('{ "id": "m", "initial": "a", "meta": { "events": "go" }, "states": {', '  "a": { "description": 5,', '    "on": { "go": { "target": "a", "description": ["x"] } } } } }');
    const ds = validateText(text);
    expect(where(ds)).toEqual([
      ["warning", "/states/a/description", 2],
      ["warning", "/states/a/on/go/description", 3],
      ["warning", "/meta/events", 1],
    ]);
    expect(ds[2]?.message).toBe('"meta.events" should list event names, but it is the string "go"');
  });

  it("a valid machine returns the definition; one with errors does not", () => {
    expect(validateMachine({ id: "m", initial: "a", states: { a: {} } }, { file: "m.json" }).definition).toEqual({ id: "m", initial: "a", states: { a: {} } });
    expect(validateMachine({ id: "m", initial: "b", states: { a: {} } }, { file: "m.json" }).definition).toBeUndefined();
  });

  it("prefixes paths with basePath and locates them in the enclosing document", () => {
    const r = validateMachine({ id: "m", initial: "b", states: { a: {} } }, { file: "p.json", basePath: "/machine", locate: (p) => (p === "/machine/initial" ? { line: 9, column: 5 } : undefined) });
    expect(r.diagnostics).toMatchObject([{ path: "/machine/initial", line: 9, column: 5 }]);
  });
});
