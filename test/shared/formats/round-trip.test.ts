import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import { exportXState } from "../../../shared/machine/formats/xstate-json";
import { exportScxml, importScxml } from "../../../shared/machine/formats/scxml";
import { formatDiagnostic, hasErrors } from "../../../shared/machine/diagnostics";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { validateMachine } from "../../../shared/machine/validate";
import { step } from "../../../shared/machine/step";
import { normalize } from "../../../shared/machine/normalize";
import { randomMachine, shape, withoutEventlessCycles, viaXState } from "./machines";


function viaScxml(def: MachineDefinition): MachineDefinition {
  const back = importScxml(exportScxml(def), "machine.scxml");
  expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  if (!back.definition) throw new Error("no definition");
  return back.definition;
}

describe("round trips of the built-in profiles' machines", () => {
  for (const profile of BUILTIN_PROFILES) {
    it(`${profile.id}: XState JSON → definition → XState JSON keeps the machine`, () => {
      const once = viaXState(profile.machine);
      expect(shape(once)).toEqual(shape(profile.machine));
      expect(exportXState(once)).toEqual(exportXState(profile.machine));
      expect(once.meta).toEqual(profile.machine.meta);
    });

    it(`${profile.id}: SCXML → definition → SCXML keeps the machine`, () => {
      const once = viaScxml(profile.machine);
      expect(shape(once)).toEqual(shape(profile.machine));
      expect(exportScxml(once)).toBe(exportScxml(profile.machine));
      expect(once.description).toBe(profile.machine.description);
      expect(once.meta).toEqual(profile.machine.meta);
    });
  }

  it("writes root-level transitions on a wrapping state named after the machine", () => {
    const iai = BUILTIN_PROFILES.find((p) => p.id === "iai-mcp")?.machine;
    if (!iai) throw new Error("iai-mcp missing");
    const xml = exportScxml(iai);
    expect(xml).toContain('<scxml xmlns="http://www.w3.org/2005/07/scxml" xmlns:fsm="https://fsm-inspector.dev/scxml" version="1.0" datamodel="null" name="iai-mcp" initial="iai-mcp"');
    expect(xml).toMatch(/<state id="iai-mcp" initial="WAKE">\n {4}<!-- [^\n]+ -->\n {4}<transition event="request_arrived" target="WAKE"\/>/);
    expect(xml).toContain('<transition event="idle_30min" target="SLEEP" cond="sleep_eligible"/>');
    const json = exportXState(iai);
    expect(json.on).toEqual({ request_arrived: { target: ".WAKE" } });
    expect(json.states["WAKE"]).toEqual({ on: { idle_5min: { target: "DROWSY" } } });
  });
});

describe("round trips of random flat machines", () => {
  it("generated machines are valid to begin with", () => {
    fc.assert(
      fc.property(randomMachine, (def) => {
        expect(hasErrors(validateMachine(def, { file: "random.json" }).diagnostics)).toBe(false);
      }),
      { numRuns: runs(200) },
    );
  });

  it("XState JSON keeps states, initial, finals and every transition (guards, params, targetless, eventless)", () => {
    fc.assert(
      fc.property(randomMachine, (def) => {
        const once = viaXState(def);
        expect(shape(once)).toEqual(shape(def));
        expect(exportXState(once)).toEqual(exportXState(def));
      }),
      { numRuns: runs(300) },
    );
  });

  it("SCXML keeps states, initial, finals and every transition (guards, params, targetless, eventless)", () => {
    fc.assert(
      fc.property(randomMachine, (def) => {
        const once = viaScxml(def);
        expect(shape(once)).toEqual(shape(def));
        expect(exportScxml(once)).toBe(exportScxml(def));
      }),
      { numRuns: runs(300) },
    );
  });

  it("SCXML and XState JSON agree: one format exported from the other's import is the same machine", () => {
    fc.assert(
      fc.property(randomMachine, (def) => {
        expect(shape(viaXState(viaScxml(def)))).toEqual(shape(def));
        expect(shape(viaScxml(viaXState(def)))).toEqual(shape(def));
      }),
      { numRuns: runs(100) },
    );
  });

  it("imported machines step exactly like the original (XState runs all three)", () => {
    const withProbe = randomMachine.map(withoutEventlessCycles).chain((def) => {
      const n = normalize(def);
      const keys = [...new Set(n.edges.flatMap((e) => (e.guard ? [e.guard.name, e.guard.type] : [])))];
      const payload = fc.subarray(keys).map((ks) => Object.fromEntries(ks.map((k) => [k, true])));
      const probe = fc.tuple(fc.constantFrom(...n.states), fc.constantFrom(...n.events, "unknown_event"), payload);
      return fc.tuple(fc.constant(def), fc.array(probe, { minLength: 1, maxLength: 8 }));
    });
    fc.assert(
      fc.property(withProbe, ([def, probes]) => {
        const copies = [viaXState(def), viaScxml(def)];
        for (const [state, event, payload] of probes) {
          const want = step(def, state, event, payload);
          for (const copy of copies) {
            const got = step(copy, state, event, payload);
            expect([got.outcome, got.next, got.path]).toEqual([want.outcome, want.next, want.path]);
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
