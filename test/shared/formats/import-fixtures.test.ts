import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../shared/machine/diagnostics";
import { importScxml } from "../../../shared/machine/formats/scxml";
import { exportXState, importXState } from "../../../shared/machine/formats/xstate-json";
import { loadDefinitionText } from "../../../shared/profiles/load";
import { step } from "../../../shared/machine/step";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { shape } from "./machines";

const dir = path.resolve(__dirname, "../../fixtures/formats");
const read = (name: string): string => fs.readFileSync(path.join(dir, name), "utf8");

function machineOf(name: string, warnings: string[] = []): MachineDefinition {
  const r = loadDefinitionText(read(name), name);
  expect(r.diagnostics.map(formatDiagnostic)).toEqual(warnings);
  expect(r.kind).toBe("machine");
  if (!r.definition) throw new Error(`${name} did not load`);
  return r.definition;
}

/** `from event -> to [guard]` lines, sorted: the machine's transitions at a glance. */
function edges(def: MachineDefinition): string[] {
  return shape(def)
    .edges.map((e) => JSON.parse(e) as [string, string, string, boolean, number, { type: string; params: object } | null])
    .map(([from, event, to, targetless, order, guard]) => `${from} ${event || "(always)"}#${order} -> ${targetless ? "(stays)" : to}${guard ? ` [${guard.type} ${JSON.stringify(guard.params)}]` : ""}`)
    .sort();
}

describe("Stately Studio / XState exports", () => {
  it("imports an XState v4 export: cond, #id.X and array targets, string shorthand, v4 eventless, actions kept", () => {
    const def = machineOf("stately-v4-fetch.json");
    expect(edges(def)).toEqual([
      "* RESET#0 -> idle",
      "failure RETRY#0 -> loading [canRetry {}]",
      "idle FETCH#0 -> loading",
      "loading PROGRESS#0 -> (stays)",
      "loading REJECT#0 -> retrying [canRetry {}]",
      "loading REJECT#1 -> failure",
      "loading RESOLVE#0 -> success",
      'retrying (always)#0 -> loading [belowLimit {"limit":3}]',
      "retrying (always)#1 -> failure",
    ]);
    expect(def.on).toEqual({ RESET: { target: ".idle", actions: "clearData" } });
    expect(def.states["loading"]?.["entry"]).toEqual(["startRequest"]);
    expect(def.states["loading"]?.on?.["RESOLVE"]).toEqual({ target: "success", actions: ["assignData"] });
    expect(def["context"]).toEqual({ retries: 0, data: null });
    expect(def.states["success"]?.type).toBe("final");
  });

  it("the imported v4 machine steps like the original (guards by name, eventless after the event)", () => {
    const def = machineOf("stately-v4-fetch.json");
    expect(step(def, "idle", "FETCH").next).toBe("loading");
    expect(step(def, "loading", "REJECT", { canRetry: true, belowLimit: true }).path).toEqual(["loading", "retrying", "loading"]);
    expect(step(def, "loading", "REJECT", { canRetry: true }).path).toEqual(["loading", "retrying", "failure"]);
    expect(step(def, "failure", "RESET").next).toBe("idle");
  });

  it("unwraps a { config } wrapper and resolves #custom-id targets (v5 export)", () => {
    const def = machineOf("stately-v5-checkout.json");
    expect(def.id).toBe("checkout");
    expect(edges(def)).toEqual([
      "cart add_item#0 -> (stays)",
      "cart checkout#0 -> payment [hasItems {}]",
      'payment pay#0 -> confirmed [isValid {"min":1}]',
      "payment pay#1 -> cart",
    ]);
    expect(def.states["payment"]?.on?.["pay"]).toEqual([
      { target: "confirmed", guard: { type: "isValid", params: { min: 1 } } },
      { target: "cart", description: "back to the cart" },
    ]);
  });

  it("reports positions inside the wrapper (basePath /config)", () => {
    const text = read("stately-v5-checkout.json").replace('"#checkout.confirmed"', '"#checkout.confirmd"');
    const r = loadDefinitionText(text, "checkout.json");
    expect(r.definition).toBeUndefined();
    expect(r.diagnostics).toMatchObject([
      { severity: "error", path: "/config/states/payment/on/pay/0/target", line: 20, message: 'state "payment" has a transition to "confirmd", which is not a state', hint: "Did you mean confirmed?" },
    ]);
  });

  it("reads a hand-written YAML machine", () => {
    const def = machineOf("door.yaml");
    expect(edges(def)).toEqual([
      "* fire_alarm#0 -> open",
      "closed lock#0 -> locked [payload {\"key\":\"has_key\"}]",
      "closed open#0 -> open",
      "locked unlock#0 -> closed [has_key {}]",
      "open close#0 -> closed",
    ]);
    expect(def.description).toBe("A door with a lock");
  });

  it("warns, and still imports, when targets are written the way XState itself would not resolve", () => {
    const r = importXState({ id: "m", initial: "a", on: { reset: "a" }, states: { a: { on: { go: ".b" } }, b: {} } }, "m.json");
    expect(r.definition?.on).toEqual({ reset: ".a" });
    expect(r.definition?.states["a"]?.on).toEqual({ go: "b" });
    expect(r.diagnostics.map((d) => [d.severity, d.path])).toEqual([
      ["warning", "/on/reset"],
      ["warning", "/states/a/on/go"],
    ]);
  });

  it("exports canonical XState v5: objects, plain names at state level, dotted at the root", () => {
    const def = machineOf("stately-v4-fetch.json");
    const out = exportXState(def);
    expect(out.on).toEqual({ RESET: { target: ".idle", actions: "clearData" } });
    expect(out.states["idle"]?.on).toEqual({ FETCH: { target: "loading" } });
    expect(out.states["retrying"]?.always).toEqual([{ target: "loading", guard: { type: "belowLimit", params: { limit: 3 } } }, { target: "failure" }]);
    expect(JSON.stringify(out)).not.toContain('"cond"');
  });
});

describe("SCXML files", () => {
  it("reads a wrapper state's transitions as root-level, splits multiple events, keeps order and conds", () => {
    const def = machineOf("vending.scxml");
    expect(def.id).toBe("vending");
    expect(def.initial).toBe("idle");
    expect(shape(def).finals).toEqual(["off"]);
    expect(edges(def)).toEqual([
      "* power_cut#0 -> off",
      "* reset#0 -> idle",
      "change change_given#0 -> idle",
      'dispensing (always)#0 -> idle [not {"key":"jammed"}]',
      "dispensing (always)#1 -> change [credit > 0 && change_due {}]",
      "dispensing jam_cleared#0 -> idle",
      "idle coin#0 -> paying",
      "idle note#0 -> paying",
      "paying cancel#0 -> idle",
      'paying coin#0 -> dispensing [payload {"key":"enough"}]',
      "paying coin#1 -> (stays)",
      'paying note#0 -> dispensing [payload {"key":"enough"}]',
      "paying note#1 -> (stays)",
    ]);
  });

  it("the imported SCXML machine steps: root-level events, eventless continuation", () => {
    const def = machineOf("vending.scxml");
    expect(step(def, "paying", "coin", { enough: true, change_due: true, credit: 1 }).path).toEqual(["paying", "dispensing", "idle"]);
    expect(step(def, "paying", "coin", { enough: true, jammed: true }).next).toBe("dispensing");
    expect(step(def, "change", "power_cut").next).toBe("off");
    expect(step(def, "paying", "coin", {}).outcome).toBe("taken");
  });

  it("reads a flat SCXML file: initial attribute, id from the file name, `not x` conds", () => {
    const def = machineOf("light.scxml", ['light.scxml:2:1: warning: the <scxml> element has no name; "light" is used. Add name="light" to <scxml> (it names the machine in diagrams and exports).']);
    expect(def.id).toBe("light");
    expect(def.initial).toBe("red");
    expect(edges(def)).toEqual([
      'green emergency#0 -> red [not {"key":"manual_mode"}]',
      'green power_off#0 -> red [not {"key":"manual_mode"}]',
      "green timer#0 -> yellow",
      "red timer#0 -> green",
      "yellow timer#0 -> red",
    ]);
  });

  it("gives line numbers of SCXML elements to validation errors", () => {
    const text = read("vending.scxml").replace('<transition event="cancel" target="idle"/>', '<transition event="cancel" target="idel"/>');
    const r = importScxml(text, "vending.scxml");
    expect(r.definition).toBeUndefined();
    expect(r.diagnostics).toMatchObject([
      { severity: "error", path: "/states/paying/on/cancel/0/target", line: 23, column: 34, message: 'state "paying" has a transition to "idel", which is not a state', hint: "Did you mean idle?" },
    ]);
  });
});
