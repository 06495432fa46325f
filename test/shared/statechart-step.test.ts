/**
 * Statecharts step exactly as XState runs them: random nested machines (compound, parallel,
 * history, final states; transitions between any levels, several targets) stepped by our
 * startChart/sendChart (every state renamed to an id of its own, names encoded) and by XState's
 * own `initialTransition`/`transition` on the config as written agree on every configuration and
 * on what each history state remembers. Plus the chart-specific checks of step() and validation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMachine, initialTransition, transition, type AnyMachineSnapshot } from "xstate";
import type { MachineDefinition, StateDef } from "../../shared/machine/definition";
import { validateMachine } from "../../shared/machine/validate";
import { advanceChart, sendChart, startChart } from "../../shared/machine/chart-step";
import { normalize } from "../../shared/machine/normalize";
import { step } from "../../shared/machine/step";
import { runs } from "../helpers/runs";
import { TraceAccumulator } from "../../shared/trace/accumulator";
import { ReplayIndex } from "../../shared/replay/replay-index";
import { previewEvents } from "../../shared/machine/explore";
import { importScxml } from "../../shared/machine/formats/scxml";
import { chartRunNow, current, initialContext, newTimeline, reduce } from "../../shared/sandbox/timeline";

/** Events sent, and the descriptors transitions listen for (XState's wildcards among them). */
const EVENTS = ["a", "b", "c", "d", "a.x"];
const DESCRIPTORS = ["a", "b", "c", "d", "a.*"];

interface Shape {
  kind: "atomic" | "compound" | "parallel" | "final" | "history";
  children: Shape[];
  deep?: boolean;
}

/** A random tree of states (the root is compound), at most three levels deep. */
function shapeAt(depth: number): fc.Arbitrary<Shape> {
  const leaf = fc.constantFrom<Shape>({ kind: "atomic", children: [] }, { kind: "atomic", children: [] }, { kind: "final", children: [] });
  if (depth === 0) return leaf;
  const inner = fc.record({ kind: fc.constantFrom<"compound" | "parallel">("compound", "parallel"), children: fc.array(shapeAt(depth - 1), { minLength: 1, maxLength: 3 }), deep: fc.boolean() });
  return fc.oneof(leaf, inner);
}
const shape: fc.Arbitrary<Shape> = fc.record({ kind: fc.constant<"compound">("compound"), children: fc.array(shapeAt(2), { minLength: 1, maxLength: 4 }), deep: fc.boolean() });

interface Built {
  def: MachineDefinition;
  paths: string[];
}

/** The shape as a definition: keys s0, s1 ...; a history child in some compounds; transitions drawn by `pick`. */
function build(root: Shape, pick: (n: number) => number, withHistory: boolean): Built {
  let next = 0;
  const paths: string[] = [];
  const atomicLike: string[] = [];
  const make = (s: Shape, prefix: string): Record<string, StateDef> => {
    const out: Record<string, StateDef> = {};
    for (const c of s.children) {
      const key = `s${next++}`;
      const path = prefix === "" ? key : `${prefix}.${key}`;
      paths.push(path);
      if (c.kind === "compound" || c.kind === "parallel") {
        const states = make(c, path);
        if (c.kind === "compound" && withHistory) {
          const hk = `h${next++}`;
          states[hk] = { type: "history", history: c.deep ? "deep" : "shallow" };
          paths.push(`${path}.${hk}`);
        }
        const def: StateDef = c.kind === "parallel" ? { type: "parallel", states } : { initial: Object.keys(states)[0] as string, states };
        out[key] = def;
      } else {
        out[key] = c.kind === "final" ? { type: "final" } : {};
        atomicLike.push(path);
      }
    }
    return out;
  };
  const states = make(root, "");
  const def: MachineDefinition = { id: "m", initial: Object.keys(states)[0] as string, states };
  // Transitions: from random non-final states (any level) on random events to random targets.
  const sources = paths.filter((p) => !/(^|\.)h\d+$/.test(p));
  const lookup = (path: string): StateDef => {
    let at: StateDef | undefined;
    let level: Record<string, StateDef> = def.states;
    for (const k of path.split(".")) {
      at = level[k] as StateDef;
      level = (at.states ?? {}) as Record<string, StateDef>;
    }
    return at as StateDef;
  };
  const count = 2 + pick(2 * paths.length);
  for (let i = 0; i < count; i++) {
    const from = sources[pick(sources.length)] as string;
    const s = lookup(from);
    if (s.type === "final") continue;
    const event = DESCRIPTORS[pick(DESCRIPTORS.length)] as string;
    s.on ??= {};
    if (s.on[event] !== undefined) continue;
    const to = paths[pick(paths.length)] as string;
    s.on[event] = { target: `#m.${to}`, ...(pick(3) === 0 ? { reenter: true } : {}) };
  }
  return { def, paths };
}

/** No compound state with two active children. */
function validConfiguration(snap: AnyMachineSnapshot): boolean {
  const active = new Set(snap._nodes);
  return snap._nodes.every((n) => n.type !== "compound" || Object.values(n.states).filter((c) => active.has(c)).length <= 1);
}

function leavesOf(snap: AnyMachineSnapshot): string[] {
  return snap._nodes
    .filter((n) => n.type === "atomic" || n.type === "final")
    .map((n) => n.id.replace(/^m\./, ""))
    .sort();
}

function historyOf(snap: AnyMachineSnapshot): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, nodes] of Object.entries(snap.historyValue as Record<string, { id: string }[]>)) out[id.replace(/^m\./, "")] = nodes.map((n) => n.id.replace(/^m\./, "")).sort();
  return out;
}

describe("statecharts: step agrees with XState's transition", () => {
  it("random nested machines (wildcard descriptors too), random events: the same configuration and history after every event", () => {
    let checked = 0;
    let machines = 0;
    fc.assert(
      fc.property(shape, fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }), fc.boolean(), fc.array(fc.constantFrom(...EVENTS), { minLength: 1, maxLength: 12 }), (root, numbers, withHistory, events) => {
        let i = 0;
        const pick = (n: number): number => (n <= 0 ? 0 : (numbers[i++ % numbers.length] as number) % n);
        const { def } = build(root, pick, withHistory);
        const v = validateMachine(def, { file: "random.json" });
        // Several targets or other shapes XState cannot take are refused by validation: nothing to compare.
        if (!v.definition) return;
        machines += 1;
        const machine = createMachine(def as Parameters<typeof createMachine>[0]);
        let [snap] = initialTransition(machine);
        let run = startChart(v.definition);
        expect(run.configuration.slice().sort()).toEqual(leavesOf(snap));
        for (const e of events) {
          [snap] = transition(machine, snap, { type: e });
          // XState can end a step in an invalid configuration (two children of one compound state
          // active: a history state restoring the source of a transition that does not re-enter it);
          // ours is always valid from there on, so the runs are no longer comparable.
          if (!validConfiguration(snap)) return;
          run = sendChart(v.definition, run, e).run;
          expect(run.configuration.slice().sort()).toEqual(leavesOf(snap));
          const ours = Object.fromEntries(Object.entries(run.history).map(([k, list]) => [k, [...list].sort()]));
          expect(ours).toEqual(historyOf(snap));
          expect(run.done).toBe(snap.status === "done");
          checked += 1;
        }
      }),
      { numRuns: runs(300) },
    );
    // Most random machines are valid (the rest have targets XState cannot take together, or loops).
    expect(machines).toBeGreaterThan(runs(300) / 2);
    expect(checked).toBeGreaterThan(machines);
  });
});

const LEASE = {
  id: "lease",
  initial: "idle",
  states: {
    idle: { on: { acquire: "active" } },
    active: {
      initial: "ready",
      on: { release: "idle", pause: "paused" },
      states: { ready: { on: { use: "busy" }, after: { "5000": "#lease.expired" } }, busy: { on: { done: "ready" } }, hist: { type: "history" } },
    },
    paused: { on: { resume: "active.hist" } },
    expired: { type: "final" },
  },
};

describe("statecharts: step() and the virtual clock", () => {
  const def = validateMachine(LEASE, { file: "lease.json" }).definition as MachineDefinition;

  it("normalizes to paths, a configuration as the initial state, edges between levels", () => {
    const m = normalize(def);
    expect(m.initial).toBe("idle");
    expect(m.states).toEqual(["idle", "active", "active.ready", "active.busy", "active.hist", "paused", "expired"]);
    expect(m.edges.map((e) => `${e.from} -${e.event}-> ${e.to}`)).toContain("paused -resume-> active.hist");
    expect(m.edges.find((e) => e.kind === "after")).toMatchObject({ from: "active.ready", to: "expired", delayMs: 5000 });
    expect(m.events).toEqual(["acquire", "release", "pause", "use", "done", "resume"]);
  });

  it("step() takes a path (a compound state is entered by default) and answers with the leaf", () => {
    expect(step(def, "idle", "acquire")).toMatchObject({ next: "active.ready", outcome: "taken", configuration: ["active.ready"] });
    expect(step(def, "active", "use")).toMatchObject({ next: "active.busy", outcome: "taken" });
    // The parent's transition applies in a child.
    expect(step(def, "active.busy", "release")).toMatchObject({ next: "idle", outcome: "taken" });
    expect(step(def, "active.busy", "acquire")).toMatchObject({ next: "active.busy", outcome: "ignored" });
    expect(step(def, "nowhere", "acquire")).toMatchObject({ outcome: "ignored", explanation: "nowhere is not a state of lease, so acquire cannot be applied." });
  });

  it("delayed transitions fire only when the virtual clock is advanced past them, and restart when their state is re-entered", () => {
    let run = startChart(def, 0);
    run = sendChart(def, run, "acquire").run;
    expect(run.timers).toMatchObject([{ state: "active.ready", delayMs: 5000, dueMs: 5000 }]);
    let t = advanceChart(def, run, 4000);
    expect(t.steps).toEqual([]);
    run = sendChart(def, t.run, "use").run; // leaves ready: its timer is cancelled
    expect(run.timers).toEqual([]);
    run = sendChart(def, run, "done").run; // back in ready at 4 s: due at 9 s
    expect(run.timers).toMatchObject([{ dueMs: 9000 }]);
    t = advanceChart(def, run, 4999);
    expect(t.run.configuration).toEqual(["active.ready"]);
    t = advanceChart(def, t.run, 1);
    expect(t.steps.map((s) => s.explanation)).toEqual(["after 5 s moves active.ready to expired."]);
    expect(t.run).toMatchObject({ configuration: ["expired"], done: true, nowMs: 9000 });
  });

  it("history: resume returns to the child that was active", () => {
    let run = startChart(def);
    for (const e of ["acquire", "use", "pause"]) run = sendChart(def, run, e).run;
    expect(run.history).toMatchObject({ "active.hist": ["active.busy"] });
    run = sendChart(def, run, "resume").run;
    expect(run.configuration).toEqual(["active.busy"]);
  });

  it("an eventless loop through a compound state's default entry is found before anything spins", () => {
    const loop = validateMachine({ id: "l", initial: "a", states: { a: { always: "b" }, b: { initial: "c", states: { c: { always: "#l.a" } } } } }, { file: "loop.json" });
    expect(loop.definition).toBeUndefined();
    expect(loop.diagnostics.map((d) => d.message)).toContain('eventless ("always") transitions loop forever: a → b.c → a, and none of them has a guard');
  });
});

describe("statecharts: conformance and dwell at every level", () => {
  const def = validateMachine(LEASE, { file: "lease.json" }).definition as MachineDefinition;
  const m = normalize(def);

  it("verdicts keep their meaning with paths: a parent's transition is declared from its children, a log may name a container", () => {
    const trace = new TraceAccumulator(m);
    const t = (from: string, to: string, ms: number): string => trace.transition("i", from, to, ms).verdict;
    expect(t("idle", "active.ready", 0)).toBe("declared");
    expect(t("active.ready", "active.busy", 1000)).toBe("declared");
    expect(t("active.busy", "paused", 4000)).toBe("declared"); // active's pause, from inside it
    expect(t("paused", "active.busy", 5000)).toBe("declared"); // resume to history: anywhere in active
    expect(t("active", "idle", 6000)).toBe("declared"); // the log names the container
    expect(t("idle", "active.busy", 7000)).toBe("undeclared"); // acquire enters active's initial child, ready
    expect(t("active.busy", "nowhere", 8000)).toBe("unknown-state");
    expect(t("idle", "paused", 9000)).toBe("from-mismatch");
  });

  it("time in a container is counted when the instance leaves it, however many children it passed through", () => {
    const trace = new TraceAccumulator(m);
    expect(trace.transition("i", "idle", "active.ready", 1000).containerDwell).toBeUndefined();
    expect(trace.transition("i", "active.ready", "active.busy", 3000)).toMatchObject({ verdict: "declared", dwellMs: 2000 });
    const out = trace.transition("i", "active.busy", "idle", 8000);
    expect(out.dwellMs).toBe(5000);
    expect({ ...out.containerDwell }).toEqual({ active: 7000 });
  });
});

describe("statecharts in the sandbox: history kept between steps, time moved by hand", () => {
  const def = validateMachine(LEASE, { file: "lease.json" }).definition as MachineDefinition;
  const start = { origin: "machine" as const, instance: "lease", state: normalize(def).initial, context: initialContext(def), tsMs: 1_000_000, history: [], original: [], label: "lease, initial state" };

  it("sends keep history; advance fires the delays due, undo goes back to before them", () => {
    let t = newTimeline(start);
    for (const e of ["acquire", "use", "pause", "resume"]) t = reduce(t, def, { type: "send", event: e });
    expect(current(t).state).toBe("active.busy"); // history remembered across steps
    t = reduce(t, def, { type: "send", event: "done" });
    expect(current(t)).toMatchObject({ state: "active.ready", tsMs: 1_000_000 });
    expect(chartRunNow(t, def)?.timers).toMatchObject([{ state: "active.ready", dueMs: 1_005_000 }]);
    t = reduce(t, def, { type: "advance", ms: 4000 });
    expect(t.nodes.at(-1)?.result).toMatchObject({ outcome: "ignored", explanation: "4 s passed: no delayed transition was due." });
    t = reduce(t, def, { type: "advance", ms: 1000 });
    expect(t.nodes.at(-1)?.result).toMatchObject({ outcome: "taken", next: "expired", path: ["active.ready", "expired"] });
    expect(t.nodes.at(-1)?.event).toBe("+1 s");
    expect(current(t).tsMs).toBe(1_005_000);
    t = reduce(reduce(t, def, { type: "undo" }), def, { type: "undo" });
    expect(current(t).state).toBe("active.ready");
    expect(reduce(t, def, { type: "advance", ms: -5 })).toBe(t);
  });

  it("the palette's preview of an event into a history state says where history returns", () => {
    let t = newTimeline(start);
    for (const e of ["acquire", "use", "pause"]) t = reduce(t, def, { type: "send", event: e });
    const at = current(t);
    const resume = previewEvents(def, at.state, at.context, new Map(), chartRunNow(t, def)).find((p) => p.event === "resume");
    expect(resume?.result.next).toBe("active.busy");
  });
});

describe("statecharts in replay", () => {
  it("the index keeps the time spent in each container a transition leaves", () => {
    const index = new ReplayIndex({});
    const o = { seq: 1, kind: "transition" as const, instance: "i", from: "active.busy", to: "idle", ts: "2026-06-01T10:00:07Z", tsFrom: "artifact" as const, source: { file: "x.jsonl", line: 3 }, dwellMs: 5000, containerDwell: { active: 7000 } };
    index.append(o);
    index.append((({ containerDwell: _drop, ...rest }) => ({ ...rest, seq: 2, from: "idle", to: "active.ready", dwellMs: 1000 }))(o));
    expect(index.observation(1)).toMatchObject({ dwellMs: 5000, containerDwell: { active: 7000 } });
    expect(index.observation(2).kind === "transition" && index.observation(2)).not.toHaveProperty("containerDwell");
  });
});

describe("XState's wildcard descriptors", () => {
  it("an event's own transition first, then a.* before *, each only for the events it matches", () => {
    const def = validateMachine({ id: "w", initial: "s", states: { s: { on: { "a.b": "exact", "a.*": "prefix", "*": "any" } }, exact: {}, prefix: {}, any: {} } }, { file: "w.json" }).definition as MachineDefinition;
    expect(step(def, "s", "a.b").next).toBe("exact");
    expect(step(def, "s", "a.c").next).toBe("prefix");
    expect(step(def, "s", "a").next).toBe("prefix");
    expect(step(def, "s", "ab").next).toBe("any");
    expect(step(def, "s", "*").next).toBe("any");
  });

  it("* does not catch a state's done event (XState's would, and loop forever on a final state)", () => {
    const def = validateMachine({ id: "d", initial: "c", states: { c: { initial: "x", on: { "*": ".y" }, states: { x: {}, y: { type: "final" } } } } }, { file: "d.json" }).definition as MachineDefinition;
    expect(step(def, "c.x", "poke")).toMatchObject({ next: "c.y", outcome: "taken" });
  });
});

describe("statecharts that would never stop", () => {
  it("SCXML: a * (or done) transition that catches its own state's done event and enters a final state again is refused", () => {
    const text = ['<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="loop" initial="c">', '  <state id="c" initial="x">', '    <state id="x"><transition event="go" target="y"/></state>', '    <final id="y"/>', '    <transition event="*" target="y"/>', "  </state>", "</scxml>"].join("\n");
    const r = importScxml(text, "loop.scxml", { semantics: true });
    expect(r.definition).toBeUndefined();
    expect(r.diagnostics.find((d) => d.severity === "error")).toMatchObject({ line: 5, message: "transitions taken as soon as a state is done loop forever: c.y → c.y (entering the final state makes its parent done, and the transition that catches that done event enters it again)" });
  });

  it("an onDone into a final state inside its own state (done again at once) is refused before anything spins", () => {
    const v = validateMachine({ id: "d", initial: "c", states: { c: { initial: "x", onDone: ".y", states: { x: { on: { go: "y" } }, y: { type: "final" } } } } }, { file: "done.json" });
    expect(v.definition).toBeUndefined();
    expect(v.diagnostics.map((d) => d.message).join("\n")).toMatch(/as soon as a state is done loop forever: c\.y → c\.y/);
  });
});
