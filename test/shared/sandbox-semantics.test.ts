/**
 * The sandbox's questions, answered by the built-in machines as SYSTEMS.md describes the real
 * programs: sequences of events with what each machine remembers (its context, set by assign
 * actions written as data), what every event would do from a state, the payload fields an event
 * reads, and the shortest way to a state.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../shared/machine/definition";
import { step, type StepResult } from "../../shared/machine/step";
import { payloadFields, previewEvents, shortestPath } from "../../shared/machine/explore";
import { validateMachine } from "../../shared/machine/validate";
import { findProfile } from "../../shared/profiles";
import type { Payload } from "../../shared/machine/guards";

const machine = (id: string) => {
  const p = findProfile(id);
  if (!p) throw new Error(id);
  return p.machine;
};

/** Runs events one after another, as the sandbox does, and returns every step. */
function run(id: string, events: [string, Payload?][], start?: string): StepResult[] {
  const def = machine(id);
  let state = start ?? def.initial;
  let context: Record<string, Json> = def.context ?? {};
  return events.map(([event, payload]) => {
    const r = step(def, state, event, payload ?? {}, context);
    state = r.next;
    context = r.context;
    return r;
  });
}

describe("jumpstarter: what the exporter remembers between calls", () => {
  it("request_end during BEFORE_LEASE is remembered: the hook's end goes to ENDING, not READY", () => {
    const r = run("jumpstarter", [["request_end"], ["before_hook_done"]], "BEFORE_LEASE");
    expect(r[0]?.outcome).toBe("taken");
    expect(r[0]?.next).toBe("BEFORE_LEASE");
    expect(r[0]?.context["endRequested"]).toBe(true);
    expect(r[0]?.explanation).toContain("endRequested false → true");
    expect(r[1]?.next).toBe("ENDING");
    expect(r[1]?.explanation).toContain("endRequested (remembered) holds");
  });

  it("request_end in CREATED only signals the end: start then goes to STARTING with end requested still false", () => {
    const [req, start] = run("jumpstarter", [["request_end"], ["start"]]);
    expect(req?.next).toBe("CREATED");
    expect(req?.context["endSignalled"]).toBe(true);
    expect(req?.context["endRequested"]).toBe(false);
    expect(start?.next).toBe("STARTING");
    expect(start?.context["endRequested"]).toBe(false);
  });

  it("request_end from ENDING on does nothing", () => {
    for (const s of ["ENDING", "AFTER_LEASE", "RELEASING", "DONE", "FAILED"]) expect(step(machine("jumpstarter"), s, "request_end").next).toBe(s);
  });

  it.each([
    ["warn", "LEASE_READY", false],
    ["endLease", "BEFORE_LEASE_HOOK_FAILED", false],
    ["exit", "OFFLINE", true],
  ] as const)("a before-lease hook failure with onFailure=%s: READY, status %s, never FAILED", (policy, status, exits) => {
    const steps = run("jumpstarter", [["start"], ["before_hook_failed", { onFailure: policy }], ["request_end"], ["after_hook_done"]]);
    const [, failed, end, after] = steps;
    expect(failed?.path).toEqual(["STARTING", "BEFORE_LEASE", "READY"]);
    expect(failed?.context["status"]).toBe(status);
    if (policy !== "warn") expect(failed?.assignments.map((a) => a.to)).toContain("BEFORE_LEASE_HOOK_FAILED");
    expect(failed?.context["stopAfterLease"]).toBe(exits);
    expect(failed?.context["skipAfterLease"]).toBe(exits);
    expect(end?.next).toBe("ENDING");
    // With exit the after-lease hook is skipped at the end: ENDING → RELEASING, no AFTER_LEASE.
    expect(after?.path).toEqual(exits ? ["ENDING", "RELEASING", "DONE"] : ["ENDING", "AFTER_LEASE", "RELEASING", "DONE"]);
    expect(steps.some((s) => s.path.includes("FAILED"))).toBe(false);
  });

  it("an after-lease hook failure: the lease still releases; endLease and exit set AFTER_LEASE_HOOK_FAILED, exit then OFFLINE and a stop", () => {
    for (const [policy, status, stop] of [["warn", "AVAILABLE", false], ["endLease", "AFTER_LEASE_HOOK_FAILED", false], ["exit", "OFFLINE", true]] as const) {
      const r = step(machine("jumpstarter"), "READY", "after_hook_failed", { onFailure: policy });
      expect(r.path).toEqual(["READY", "ENDING", "AFTER_LEASE", "RELEASING", "DONE"]);
      expect(r.context["status"]).toBe(status);
      expect(r.context["stopAfterLease"]).toBe(stop);
    }
  });
});

describe("iai-mcp: the sandbox sequence of the issue", () => {
  it("idle_5min, idle_30min blocked then allowed, sleep_cycle_done, wake_signal", () => {
    const r = run("iai-mcp", [["idle_5min"], ["idle_30min", { sleep_eligible: false }], ["idle_30min", { sleep_eligible: true }], ["sleep_cycle_done", { still_idle: true }], ["wake_signal"]]);
    expect(r.map((s) => s.next)).toEqual(["DROWSY", "DROWSY", "SLEEP", "HIBERNATION", "WAKE"]);
    expect(r[1]?.outcome).toBe("guard-blocked");
    expect(r[1]?.explanation).toBe('idle_30min in DROWSY would go to SLEEP, but guard sleep_eligible does not hold for payload {"sleep_eligible":false}.');
  });
});

describe("what every event would do from here", () => {
  it("lists the events that change something first, each with its effect and sentence", () => {
    const def = machine("jumpstarter");
    const list = previewEvents(def, "BEFORE_LEASE", def.context ?? {});
    expect(list.map((p) => p.event).sort()).toEqual([...new Set(list.map((p) => p.event))].sort());
    const effects = list.map((p) => p.effect);
    expect(effects).toEqual([...effects].sort((a, b) => ["moves", "stays", "blocked", "ignored"].indexOf(a) - ["moves", "stays", "blocked", "ignored"].indexOf(b)));
    const byEvent = new Map(list.map((p) => [p.event, p]));
    expect(byEvent.get("before_hook_done")?.effect).toBe("moves");
    expect(byEvent.get("request_end")?.effect).toBe("stays");
    expect(byEvent.get("start")?.effect).toBe("ignored");
    expect(byEvent.get("start")?.result.explanation).toBe("BEFORE_LEASE has no transition for start: nothing happens.");
    const iai = machine("iai-mcp");
    expect(new Map(previewEvents(iai, "DROWSY", {}).map((p) => [p.event, p.effect])).get("idle_30min")).toBe("blocked");
  });

  it("suggests the payload fields a guard or an action reads, with the values that matter", () => {
    expect(payloadFields(machine("iai-mcp"), "idle_30min")).toEqual([{ key: "sleep_eligible", values: [true], usedBy: "guard sleep_eligible" }]);
    const onFailure = payloadFields(machine("jumpstarter"), "before_hook_failed").find((f) => f.key === "onFailure");
    expect(onFailure?.values).toEqual(["warn", "endLease", "exit"]);
  });
});

describe("how do I reach a state", () => {
  it("finds the shortest sequence, payloads included, and none for the unreachable", () => {
    const iai = machine("iai-mcp");
    expect(shortestPath(iai, "WAKE", {}, "HIBERNATION")?.map((s) => [s.event, s.payload])).toEqual([
      ["idle_5min", {}],
      ["idle_30min", { sleep_eligible: true }],
      ["sleep_cycle_done", { still_idle: true }],
    ]);
    expect(shortestPath(iai, "WAKE", {}, "WAKE")).toEqual([]);
    const j = machine("jumpstarter");
    expect(shortestPath(j, "DONE", j.context ?? {}, "READY")).toBeUndefined();
    // AFTER_LEASE is passed through on the way to DONE: reaching it counts.
    expect(shortestPath(j, "CREATED", j.context ?? {}, "AFTER_LEASE")?.map((s) => s.event)).toEqual(["start", "lease_ready", "after_hook_done"]);
  });
});

describe("actions as data are validated like guards", () => {
  const base = { id: "m", initial: "A", states: { A: { on: { go: { target: "B", actions: [] as unknown[] } } }, B: {} } };
  const withActions = (actions: unknown, context?: unknown) => ({ ...base, ...(context !== undefined ? { context } : {}), states: { ...base.states, A: { on: { go: { target: "B", actions } } } } });
  it("accepts assigns of values, payload fields with maps, context keys", () => {
    const r = validateMachine(withActions([{ type: "assign", params: { a: true, b: { payload: "p", map: { x: 1 }, default: 0 }, c: { context: "a" }, d: { value: { nested: 1 } } } }], { a: false }), { file: "m.json" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
  it.each([
    [[{ type: "assign" }], "needs \"params\""],
    [[{ type: "assign", params: { a: { nested: 1 } } }], "not one that computes"],
    [[{ type: "assign", params: { a: { payload: "p", map: 3 } } }], "\"map\" of \"a\""],
    [[42], "an action must be"],
  ])("refuses %j with a message that says what is wrong", (actions, message) => {
    const r = validateMachine(withActions(actions), { file: "m.json" });
    expect(r.definition).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message).join("\n")).toContain(message);
  });
  it("refuses a context that is not an object, and a guard reading from neither payload nor context", () => {
    expect(validateMachine(withActions([], [1]), { file: "m.json" }).diagnostics.map((d) => d.message).join("\n")).toContain('"context"');
    const g = { ...base, states: { A: { on: { go: { target: "B", guard: { type: "payload", params: { key: "k", of: "elsewhere" } } } } }, B: {} } };
    expect(validateMachine(g, { file: "m.json" }).diagnostics.map((d) => d.message).join("\n")).toContain('"of" says where');
    // A guard of the user's own type has its own params: an "of" there is not ours to judge.
    const custom = { ...base, states: { A: { on: { go: { target: "B", guard: { type: "custom_A", params: { of: false } } } } }, B: {} } };
    expect(validateMachine(custom, { file: "m.json" }).definition).toBeDefined();
  });
  it("a context key named __proto__ or constructor is remembered like any other", () => {
    // As a file would say it (JSON.parse makes "__proto__" an own key).
    const text = '{"id":"m","initial":"A","context":{"constructor":0},"states":{"A":{"on":{"go":{"target":"B","actions":[{"type":"assign","params":{"__proto__":{"value":1},"constructor":{"payload":"n"}}}]}}},"B":{}}}';
    const v = validateMachine(JSON.parse(text), { file: "m.json" });
    expect(v.definition).toBeDefined();
    const r = step(v.definition as never, "A", "go", { n: 5 });
    expect(r.next).toBe("B");
    expect(r.context["constructor"]).toBe(5);
    expect(Object.hasOwn(r.context, "__proto__")).toBe(true);
    expect(r.context["__proto__"]).toBe(1);
    expect(Object.getPrototypeOf(r.context)).toBeNull();
  });
});
