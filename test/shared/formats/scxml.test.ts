import { describe, expect, it } from "vitest";
import { condFromGuard, exportScxml, guardFromCond, importScxml } from "../../../shared/machine/formats/scxml";
import { formatDiagnostic, type Diagnostic } from "../../../shared/machine/diagnostics";
import { step } from "../../../shared/machine/step";
import type { MachineDefinition } from "../../../shared/machine/definition";

const lines = (...l: string[]): string => l.join("\n");
const HEAD = '<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="m">';

function errors(text: string): Diagnostic[] {
  const r = importScxml(text, "m.scxml");
  expect(r.definition).toBeUndefined();
  return r.diagnostics.filter((d) => d.severity === "error");
}

describe("importScxml: what cannot be read", () => {
  it("malformed XML, with its line and column", () => {
    const ds = errors(lines(HEAD, '  <state id="a">', '    <transition event="go" target="a">', "  </state>", "</scxml>"));
    expect(ds).toMatchObject([{ line: 4, column: 3, path: "" }]);
    expect(formatDiagnostic(ds[0] as Diagnostic)).toBe("m.scxml:4:3: error: invalid XML: Expected closing tag 'transition' (opened in line 3, col 5) instead of closing tag 'state'. Check that every element is closed, in order, and that attribute values are quoted.");
  });

  it("a root element other than <scxml>", () => {
    expect(errors('<statemachine id="x"/>')).toMatchObject([{ line: 1, message: "the root element is <statemachine>, not <scxml>" }]);
  });

  it("<parallel> and <history> states are read as a statechart; a history state at the top level is an error", () => {
    const ds = errors(lines(HEAD, '  <state id="a"/>', '  <parallel id="p">', '    <state id="r1"/>', "  </parallel>", '  <history id="h"/>', "</scxml>"));
    expect(ds.map((d) => [d.path, d.line, d.message])).toEqual([["/states/h", 6, 'history state "h" is at the top level, where there is nothing to remember']]);
  });

  it("nested states, beside other top-level states or inside a wrapping state, are read as written", () => {
    const r = importScxml(lines(HEAD, '  <state id="a">', '    <state id="a1"/>', "  </state>", '  <state id="b"/>', "</scxml>"), "m.scxml");
    expect(r.diagnostics).toEqual([]);
    expect(r.definition).toMatchObject({ initial: "a", eventMatching: "scxml", states: { a: { id: "a", initial: "a1", states: { a1: { id: "a1" } } }, b: { id: "b" } } });
    const wrapped = importScxml(lines(HEAD, '  <state id="m">', '    <state id="a">', '      <state id="a1"/>', "    </state>", "  </state>", "</scxml>"), "m.scxml");
    expect(wrapped.definition?.states["m"]?.states?.["a"]?.states?.["a1"]).toEqual({ id: "a1" });
  });

  it("a duplicate state id and a state without an id", () => {
    const ds = errors(lines(HEAD, '  <state id="a"/>', "  <state/>", '  <final id="a"/>', "</scxml>"));
    expect(ds.map((d) => [d.path, d.line, d.message])).toEqual([
      ["/states", 3, "a <state> has no id"],
      ["/states/a", 4, 'duplicate state "a" (first at line 2): only one state may have this id'],
    ]);
  });

  it("a transition with several targets, an unknown target, a bad fsm:guard", () => {
    const text = lines(
      '<scxml xmlns="http://www.w3.org/2005/07/scxml" xmlns:x="https://fsm-inspector.dev/scxml" version="1.0" name="m">',
      '  <state id="a">',
      '    <transition event="go" target="a b"/>',
      '    <transition event="run" target="c"/>',
      "    <transition event=\"jump\" target=\"b\" x:guard='{type: 1}'/>",
      "  </state>",
      '  <state id="b"/>',
      "</scxml>",
    );
    const ds = errors(text);
    expect(ds.map((d) => [d.path, d.line, d.column])).toEqual([
      ["", 5, 41],
      ["/states/a/on/go/0/target", 3, 28],
      ["/states/a/on/run/0/target", 4, 29],
    ]);
    expect(ds[0]?.message).toMatch(/^the x:guard attribute is not valid JSON/);
    expect(ds[1]?.message).toBe("this transition has 2 targets; a flat machine's transition has one (or none)");
  });

  it("an initial naming two states that cannot both be active, a transition outside any state", () => {
    const ds = errors(lines('<scxml xmlns="http://www.w3.org/2005/07/scxml" name="m" initial="a b">', '  <transition event="x" target="a"/>', '  <state id="a"/>', '  <state id="b"/>', "</scxml>"));
    expect(ds.map((d) => [d.path, d.line])).toEqual([
      ["", 2],
      ["/states/:initial/always/target", 1],
    ]);
    expect(ds[1]?.message).toBe('the targets "a" and "b" cannot both be active: only states in different regions of one parallel state can');
  });

  it("<scxml initial> may name a state inside the wrapping state", () => {
    const r = importScxml(lines('<scxml xmlns="http://www.w3.org/2005/07/scxml" name="m" initial="b">', '  <state id="all">', '    <transition event="reset" target="a"/>', '    <state id="a"/>', '    <state id="b"/>', "  </state>", "</scxml>"), "m.scxml");
    expect(r.diagnostics).toEqual([]);
    expect(r.definition).toMatchObject({ id: "m", initial: "b", on: { reset: [{ target: ".a" }] } });
  });

  it("the first state is the initial one when none is named (SCXML's rule)", () => {
    const r = importScxml(lines(HEAD, '  <state id="b"><transition event="x" target="a"/></state>', '  <state id="a"/>', "</scxml>"), "m.scxml");
    expect(r.definition?.initial).toBe("b");
  });

  it('state ids and events named like Object members ("constructor", "toString", "__proto__") are ordinary names', () => {
    const r = importScxml(lines(HEAD, '  <state id="constructor"><transition event="constructor toString" target="toString"/></state>', '  <state id="toString"/>', "</scxml>"), "m.scxml");
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.definition?.states ?? {})).toEqual(["constructor", "toString"]);
    expect(Object.keys(r.definition?.states["constructor"]?.on ?? {})).toEqual(["constructor", "toString"]);
    const proto = importScxml(lines(HEAD, '  <state id="__proto__">', '    <transition event="__proto__" target="a"/>', "  </state>", '  <state id="a"/>', "</scxml>"), "m.scxml");
    expect(proto.diagnostics).toEqual([]);
    expect(Object.keys(proto.definition?.states ?? {})).toEqual(["__proto__", "a"]);
    expect(step(proto.definition as MachineDefinition, "__proto__", "__proto__")).toMatchObject({ outcome: "taken", next: "a" });
  });
});

describe("SCXML cond ↔ guard", () => {
  it.each([
    ["sleep_eligible", { type: "payload", params: { key: "sleep_eligible" } }],
    ["_event.data.still_idle", { type: "payload", params: { key: "still_idle" } }],
    ["!jammed", { type: "not", params: { key: "jammed" } }],
    ["not jammed", { type: "not", params: { key: "jammed" } }],
    ["! _event.data.jammed", { type: "not", params: { key: "jammed" } }],
    ["credit > 0", "credit > 0"],
    ["In('s1')", "In('s1')"],
  ])("cond %j is read as %j", (cond, guard) => {
    expect(guardFromCond(cond)).toEqual(guard);
  });

  it("writes readable conds, and fsm:guard when the cond alone would not read back the same guard", () => {
    const xml = exportScxml({
      id: "m",
      initial: "a",
      states: {
        a: {
          on: {
            p: { target: "a", guard: { type: "payload", params: { key: "ok" } } },
            q: { target: "a", guard: { type: "payload", params: { key: "n", equals: 3 } } },
            r: { target: "a", guard: "flag" },
          },
        },
      },
    });
    expect(xml).toContain('<transition event="p" target="a" cond="ok"/>');
    expect(xml).toContain(`<transition event="q" target="a" cond="(_event.data.n === 3)" fsm:guard='{"type":"payload","params":{"key":"n","equals":3}}'/>`);
    expect(xml).toContain(`<transition event="r" target="a" cond="flag" fsm:guard='"flag"'/>`);
    expect(condFromGuard({ type: "event", params: { in: ["a", "b"] } })).toBe('_event.name === "a" || _event.name === "b"');
  });

  it("writes names with spaces percent-encoded, said on the root, and reads them back; refuses an empty name", () => {
    const def = { id: "m", initial: "a b", states: { "a b": { on: { "go on": "c%d" } }, "c%d": { on: { "x\ty": "a b" } } } };
    const xml = exportScxml(def);
    expect(xml).toContain('fsm:names="percent"');
    expect(xml).toContain('<state id="a%20b">');
    expect(xml).toContain('event="go%20on" target="c%25d"');
    expect(importScxml(xml, "m.scxml").definition).toEqual({ id: "m", initial: "a b", states: { "a b": { on: { "go on": [{ target: "c%d" }] } }, "c%d": { on: { "x\ty": [{ target: "a b" }] } } } });
    // Without the root's word, names are read as written (another tool's "a%20b" stays "a%20b").
    expect(importScxml(xml.replace(' fsm:names="percent"', ""), "m.scxml").definition?.initial).toBe("a%20b");
    expect(() => exportScxml({ id: "m", initial: "a", states: { a: { on: { "": "a" } } } })).toThrow(/empty/);
  });

  it("does not take a state named like the machine for the wrapping state", () => {
    const xml = exportScxml({ id: "m", initial: "m", on: { reset: ".m" }, states: { m: {} } });
    expect(xml).toContain('<state id="m_any" initial="m">');
    expect(importScxml(xml, "m.scxml").definition).toEqual({ id: "m", initial: "m", on: { reset: [{ target: ".m" }] }, states: { m: {} } });
  });
});
