/**
 * Machine documents (JSON, YAML, SCXML, XState JSON) and step() on random flat machines whose
 * states, events and guard keys are often "__proto__", "constructor", "toString" ...: reading never
 * throws (every failure is a diagnostic with a message), written machines read back the same, and
 * names survive exactly.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import type { GuardRef, Json, MachineDefinition, TransitionDef, TransitionsDef } from "../../../shared/machine/definition";
import { hasErrors, type Diagnostic } from "../../../shared/machine/diagnostics";
import { parseDocument } from "../../../shared/machine/document";
import { exportScxml, importScxml } from "../../../shared/machine/formats/scxml";
import { exportXState, importXState } from "../../../shared/machine/formats/xstate-json";
import type { Payload } from "../../../shared/machine/guards";
import { transitionList } from "../../../shared/machine/normalize";
import { step } from "../../../shared/machine/step";
import { validateMachine } from "../../../shared/machine/validate";
import { loadDefinitionText } from "../../../shared/profiles/load";
import { OBJECT_NAMES, machineArb, nameArb, payloadArb } from "./arbitraries";

const RUNS = 300;

const own = <T>(o: Record<string, T> | undefined, k: string): T | undefined => (o && Object.hasOwn(o, k) ? o[k] : undefined);

function wellFormed(ds: readonly Diagnostic[]): void {
  for (const d of ds) {
    expect(typeof d.message).toBe("string");
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.file.length).toBeGreaterThan(0);
  }
}

function noErrors(ds: readonly Diagnostic[]): void {
  expect(ds.filter((d) => d.severity === "error")).toEqual([]);
}

/** Block-style YAML written by hand with every key quoted (the yaml package's writer drops "__proto__" keys). */
function toYaml(value: unknown, indent = ""): string {
  const inline = (v: unknown): boolean => typeof v !== "object" || v === null || Object.keys(v).length === 0;
  const scalar = (v: unknown): string => (Array.isArray(v) ? "[]" : typeof v === "object" && v !== null ? "{}" : JSON.stringify(v));
  if (Array.isArray(value)) return value.map((v) => (inline(v) ? `${indent}- ${scalar(v)}` : `${indent}-\n${toYaml(v, `${indent}  `)}`)).join("\n");
  return Object.keys(value as object)
    .map((k) => {
      const v = (value as Record<string, unknown>)[k];
      return inline(v) ? `${indent}${JSON.stringify(k)}: ${scalar(v)}` : `${indent}${JSON.stringify(k)}:\n${toYaml(v, `${indent}  `)}`;
    })
    .join("\n");
}

function truthy(v: Json | undefined): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === "");
}

function holds(g: GuardRef | undefined, payload: Payload): boolean {
  if (g === undefined) return true;
  if (typeof g === "string") return truthy(own(payload, g));
  const key = g.params?.["key"] as string;
  return g.type === "not" ? !truthy(own(payload, key)) : truthy(own(payload, key));
}

const targetOf = (t: TransitionDef): string | undefined => (typeof t.target === "string" ? t.target.replace(/^\./, "") : undefined);

/** What step() must answer, computed directly from the definition (no XState). */
function reference(def: MachineDefinition, state: string, event: string, payload: Payload): { outcome: string; next: string } {
  const s = own(def.states, state);
  if (!s || s.type === "final") return { outcome: "ignored", next: state };
  const cands = [...transitionList(own(s.on as Record<string, TransitionsDef> | undefined, event)), ...transitionList(own(def.on as Record<string, TransitionsDef> | undefined, event))];
  const taken = cands.find((t) => holds(t.guard, payload));
  if (!taken) return { outcome: cands.some((t) => t.guard !== undefined) ? "guard-blocked" : "ignored", next: state };
  let next = targetOf(taken) ?? state;
  // Eventless transitions continue the step (they only go forward in these machines).
  for (;;) {
    const always = transitionList(own(def.states, next)?.always).find((t) => holds(t.guard, payload));
    const to = always && targetOf(always);
    if (to === undefined) break;
    next = to;
  }
  return { outcome: "taken", next };
}

describe("random machines named like Object members", () => {
  it("validate without error and read back the same from JSON, YAML, XState JSON and SCXML", () => {
    fc.assert(
      fc.property(machineArb, ({ def }) => {
        const checked = validateMachine(def, { file: "m.json" });
        wellFormed(checked.diagnostics);
        noErrors(checked.diagnostics);
        expect(checked.definition).toEqual(def);

        const json = loadDefinitionText(JSON.stringify(def, null, 2), "m.json");
        noErrors(json.diagnostics);
        expect(json.definition).toEqual(def);

        const yaml = loadDefinitionText(toYaml(def), "m.yaml");
        noErrors(yaml.diagnostics);
        expect(yaml.definition).toEqual(def);

        const xstate = importXState(JSON.parse(JSON.stringify(exportXState(def))), "m.json");
        noErrors(xstate.diagnostics);
        expect(xstate.definition).toEqual(def);

        const scxml = importScxml(exportScxml(def), "m.scxml");
        noErrors(scxml.diagnostics);
        expect(scxml.definition && exportScxml(scxml.definition)).toEqual(exportScxml(def));
        expect(Object.keys(scxml.definition?.states ?? {})).toEqual(Object.keys(def.states));
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("step() answers what the definition says, for every state and event (names included), and never throws", () => {
    fc.assert(
      fc.property(machineArb, fc.array(fc.tuple(fc.nat(), fc.oneof(fc.nat(), nameArb), payloadArb), { minLength: 1, maxLength: 12 }), ({ def, states, events }, calls) => {
        for (const [si, ev, payload] of calls) {
          const state = states[si % states.length] as string;
          const event = typeof ev === "number" ? (events[ev % events.length] as string) : ev;
          const r = step(def, state, event, payload);
          expect({ state, event, outcome: r.outcome, next: r.next }).toEqual({ state, event, ...reference(def, state, event, payload) });
          expect(r.explanation.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it('a state "__proto__" is a state, an event "constructor" is an event, and step takes it', () => {
    const def = JSON.parse('{ "id": "m", "initial": "__proto__", "states": { "__proto__": { "on": { "constructor": "toString", "__proto__": { "target": "hasOwnProperty", "guard": "valueOf" } } }, "toString": { "on": { "toString": "__proto__" } }, "hasOwnProperty": { "type": "final" } } }') as MachineDefinition;
    const r = loadDefinitionText(JSON.stringify(def), "m.json");
    expect(r.diagnostics).toEqual([]);
    const m = r.definition as MachineDefinition;
    expect(Object.keys(m.states)).toEqual(["__proto__", "toString", "hasOwnProperty"]);
    expect(step(m, "__proto__", "constructor")).toMatchObject({ outcome: "taken", next: "toString" });
    expect(step(m, "toString", "toString")).toMatchObject({ outcome: "taken", next: "__proto__" });
    expect(step(m, "__proto__", "__proto__")).toMatchObject({ outcome: "guard-blocked", next: "__proto__" });
    expect(step(m, "__proto__", "__proto__", JSON.parse('{ "valueOf": true }') as Payload)).toMatchObject({ outcome: "taken", next: "hasOwnProperty" });
    // A guard key that every object inherits does not hold on an empty payload.
    expect(step(m, "__proto__", "__proto__", {})).toMatchObject({ outcome: "guard-blocked" });
    expect(step(m, "__proto__", "hasOwnProperty")).toMatchObject({ outcome: "ignored" });
    expect(step(m, "constructor", "toString")).toMatchObject({ outcome: "ignored", explanation: "constructor is not a state of m, so toString cannot be applied." });
  });
});

describe("reading never throws: every failure is a diagnostic with a message", () => {
  const files = ["m.json", "m.yaml", "m.scxml", "m", "p.profile.yaml"];

  it("on any text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("{", "}", "[", "]", ":", ",", '"', "<", ">", "/", "&", "*", "-", " ", "\n", "a", "__proto__", "state", "scxml", "id=") })), fc.constantFrom(...files), (text, file) => {
        const r = loadDefinitionText(text, file);
        wellFormed(r.diagnostics);
        if (!r.definition && !r.profile) expect(hasErrors(r.diagnostics)).toBe(true);
      }),
      { numRuns: runs(RUNS * 3) },
    );
  });

  it("on any JSON value as a machine, and on machines with a random part replaced", () => {
    const jsonWithNames = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.constantFrom(null, true, 0, "", "x", ...OBJECT_NAMES), fc.array(tie("value"), { maxLength: 3 }), tie("object")),
      object: fc.array(fc.tuple(fc.oneof(nameArb, fc.constantFrom("states", "on", "always", "target", "guard", "type", "params", "initial", "id")), tie("value")), { maxLength: 4 }).map((kv) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of kv) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        return o;
      }),
    })).value;
    fc.assert(
      fc.property(machineArb, jsonWithNames, fc.nat(), ({ def }, junk, where) => {
        const text = JSON.stringify(def);
        // Replace the `where`-th value-ish spot with random JSON.
        const spots = [...text.matchAll(/:(?=[{["])/g)].map((m) => m.index ?? 0);
        const at = spots.length > 0 ? (spots[where % spots.length] as number) : 0;
        const mutated = `${text.slice(0, at + 1)}${JSON.stringify(junk) ?? "null"},"zz":${text.slice(at + 1)}`;
        for (const t of [mutated, JSON.stringify(junk) ?? "null"]) {
          const doc = parseDocument(t, "m.json");
          wellFormed(doc.diagnostics);
          wellFormed(validateMachine(doc.value, { file: "m.json" }).diagnostics);
          wellFormed(importXState(doc.value, "m.json").diagnostics);
          wellFormed(loadDefinitionText(t, "m.json").diagnostics);
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("on SCXML with random edits", () => {
    fc.assert(
      fc.property(machineArb, fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom("", "<", ">", '"', "/", "&amp;", "&#0;", "<state id='__proto__'/>", " constructor='1'", "<__proto__/>", "<transition/>", "]]>", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>")), { maxLength: 4 }), ({ def }, edits) => {
        let text = exportScxml(def);
        for (const [pos, len, insert] of edits) {
          const at = pos % (text.length + 1);
          text = text.slice(0, at) + insert + text.slice(at + len);
        }
        const r = importScxml(text, "m.scxml");
        wellFormed(r.diagnostics);
        if (!r.definition) expect(hasErrors(r.diagnostics)).toBe(true);
      }),
      { numRuns: runs(RUNS) },
    );
  });
});
