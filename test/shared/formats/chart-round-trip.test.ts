/**
 * Statecharts through the two machine formats: a definition written as XState JSON and read back
 * is the same machine (states, transitions, tree); written as SCXML and read back (SCXML's
 * semantics, states named by their SCXML ids) it runs the same — the same configurations after the
 * same events and delays; and XState JSON ↔ SCXML keep the nesting both ways. Random nested
 * machines (fast-check) check the same on random event sequences.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../helpers/runs";
import type { MachineDefinition, StateDef, TransitionDef } from "../../../shared/machine/definition";
import { exportXState, importXState } from "../../../shared/machine/formats/xstate-json";
import { exportScxml, importScxml } from "../../../shared/machine/formats/scxml";
import { scxmlIds } from "../../../shared/machine/formats/scxml-write";
import { formatDiagnostic } from "../../../shared/machine/diagnostics";
import { normalize } from "../../../shared/machine/normalize";
import { simulate } from "../../../shared/machine/simulate";
import { ancestors, buildChart, isWithin, joinPath } from "../../../shared/machine/chart";
import { validateMachine } from "../../../shared/machine/validate";
import { seededRandom } from "../../../shared/machine/prng";
import { viaXState } from "./machines";

/** Nested states, a custom id, a key with a dot, a delayed transition, onDone, reenter, a root-level transition. */
const NESTED: MachineDefinition = {
  id: "lease",
  initial: "idle",
  states: {
    idle: { on: { acquire: "held" } },
    held: {
      id: "held-custom",
      initial: "active",
      states: {
        active: {
          initial: "ready",
          states: {
            ready: { on: { work: "busy" } },
            busy: { on: { finish: "ready", stall: "#lease.held.stalled" }, after: { "5000": { target: "#held-custom.v1\\.2" } } },
          },
          on: { pause: "paused", restart: { target: "active", reenter: true }, reset: { target: ".ready" } },
        },
        paused: { on: { resume: "active.busy" } },
        "v1.2": { on: { back: "#held-custom", end: "stalled" } },
        stalled: { type: "final" },
      },
      on: { release: "idle", jump: ".v1\\.2" },
      onDone: "expired",
    },
    expired: { type: "final" },
  },
  on: { panic: ".idle" },
};

/** A parallel state with two regions, a transition into both regions at once, a delay in a region, onDone when both are final. */
const PARALLEL: MachineDefinition = {
  id: "player",
  initial: "off",
  states: {
    off: { on: { start: { target: ["#player.on.audio.loud", "#player.on.video.hd"] }, boot: "on" } },
    on: {
      type: "parallel",
      states: {
        audio: { initial: "muted", states: { muted: { on: { unmute: "loud" } }, loud: { on: { mute: "muted", eject: "ejected" } }, ejected: { type: "final" } } },
        video: { initial: "sd", states: { sd: { on: { hd: "hd" } }, hd: { on: { sd: "sd", stop: "stopped" }, after: { "1000": "sd" } }, stopped: { type: "final" } } },
      },
      on: { reset: { target: [".audio.muted", ".video.sd"] }, kill: "off" },
      onDone: "off",
    },
  },
};

/** Deep and shallow history, one with a default target. */
const HISTORY: MachineDefinition = {
  id: "editor",
  initial: "editing",
  states: {
    editing: {
      initial: "text",
      states: {
        text: { on: { format: "styles" } },
        styles: { initial: "bold", states: { bold: { on: { next: "italic" } }, italic: { on: { next: "bold" } } } },
        deep: { type: "history", history: "deep" },
        shallow: { type: "history", target: "styles" },
      },
      on: { help: "help" },
    },
    help: { on: { back: "editing.deep", backShallow: "#editor.editing.shallow" } },
  },
};

const EXAMPLES: [string, MachineDefinition, string[][]][] = [
  [
    "nested",
    NESTED,
    [
      ["acquire", "work", "+5s", "back", "work", "stall"],
      ["acquire", "pause", "resume", "finish", "jump", "end", "acquire"],
      ["acquire", "work", "restart", "work", "reset", "+10s", "panic", "acquire", "release"],
      ["acquire", "jump", "back", "work", "+4s", "pause", "+2s", "resume", "+5s", "end"],
    ],
  ],
  [
    "parallel",
    PARALLEL,
    [
      ["start", "mute", "+1s", "hd", "reset", "unmute", "kill"],
      ["boot", "unmute", "eject", "hd", "stop", "boot"],
      ["start", "+500ms", "sd", "hd", "+999ms", "+1ms", "eject", "hd", "stop"],
    ],
  ],
  [
    "history",
    HISTORY,
    [
      ["format", "next", "help", "back", "help", "backShallow"],
      ["help", "back", "help", "backShallow", "next"],
      ["format", "help", "backShallow", "next", "help", "back"],
    ],
  ],
];

function valid(def: MachineDefinition): MachineDefinition {
  const checked = validateMachine(def, { file: "machine.json" });
  expect(checked.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  if (!checked.definition) throw new Error("invalid");
  return checked.definition;
}


/**
 * scxml-read.ts must read our extensions back (readScxmlAfter, asksForChart in scxml-ext.ts):
 * without them a delayed transition reads as an eventless one, and a random machine can then loop.
 */
let extensionsChecked = false;
function requireExtensions(): void {
  if (extensionsChecked) return;
  const probe = importScxml(exportScxml({ id: "probe", initial: "a", states: { a: { initial: "x", states: { x: { after: { "10": "y" } }, y: {} } } } }), "probe.scxml");
  const delayed = probe.definition !== undefined && normalize(probe.definition).edges.some((e) => e.kind === "after");
  if (!delayed) throw new Error("importScxml does not read exportScxml's extensions back: scxml-read.ts must call asksForChart(tree.root) and readScxmlAfter(state, el, this.fsm) (shared/machine/formats/scxml-ext.ts)");
  extensionsChecked = true;
}

function viaScxml(def: MachineDefinition): MachineDefinition {
  requireExtensions();
  const text = exportScxml(def);
  const back = importScxml(text, "machine.scxml");
  expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic), text).toEqual([]);
  if (!back.definition) throw new Error("no definition");
  return back.definition;
}

/** What an XState JSON round trip keeps exactly: the tree, every transition, the initial configuration. */
function chartShape(def: MachineDefinition): unknown {
  const n = normalize(def);
  return JSON.parse(JSON.stringify({ states: n.states, initial: n.initial, finals: n.finals, edges: n.edges, chart: n.chart }));
}

/**
 * The configurations a run goes through, each state named by its SCXML id (what `simulate` prints
 * for a machine read from SCXML; for an XState machine its paths, mapped to the ids exportScxml gives them).
 */
function runIds(def: MachineDefinition, items: readonly string[]): string[][] {
  const sim = simulate(def, items);
  if (def.eventMatching === "scxml") return sim.configurations;
  const chart = normalize(def).chart;
  if (!chart) throw new Error("not a chart");
  const ids = scxmlIds(chart);
  return sim.configurations.map((c) => c.map((p) => ids.get(p) ?? `?${p}`).sort());
}

/** The tree's shape without names: each state's kind and depth, in document order. */
function nesting(def: MachineDefinition): string[] {
  const chart = buildChart(def);
  return Object.values(chart.nodes)
    .filter((n) => n.key !== ":initial")
    .map((n) => `${ancestors(chart, n.path).length}:${n.kind}${n.history ? `:${n.history}` : ""}`);
}

describe("statechart round trips of the examples", () => {
  for (const [name, raw, sequences] of EXAMPLES) {
    const def = valid(raw);

    it(`${name}: definition → XState JSON → definition is the same machine`, () => {
      const back = viaXState(def);
      expect(chartShape(back)).toEqual(chartShape(def));
      expect(exportXState(back)).toEqual(exportXState(def));
    });

    it(`${name}: definition → SCXML → definition runs the same`, () => {
      const back = viaScxml(def);
      expect(back.eventMatching).toBe("scxml");
      for (const items of sequences) expect(runIds(back, items), items.join(",")).toEqual(runIds(def, items));
    });

    it(`${name}: SCXML → definition → SCXML is stable`, () => {
      const once = viaScxml(def);
      const text = exportScxml(once);
      const twice = viaScxml(once);
      expect(exportScxml(twice)).toBe(text);
      for (const items of sequences) expect(runIds(twice, items)).toEqual(runIds(def, items));
    });

    it(`${name}: XState JSON → SCXML and SCXML → XState JSON keep the nesting and the runs`, () => {
      const throughJson = viaScxml(viaXState(def));
      const throughScxml = viaXState(viaScxml(def));
      const wrapped = def.on !== undefined;
      // A machine with root-level transitions gets one wrapping state in SCXML: one level deeper
      // (but its top-level final states, which end the machine, stay at the top).
      const expected = nesting(def)
        .map((s) => (wrapped && s !== "0:final" ? s.replace(/^(\d+)/, (d) => String(Number(d) + 1)) : s))
        .sort();
      const read = (d: MachineDefinition): string[] => (wrapped ? nesting(d).slice(1) : nesting(d)).sort();
      expect(read(throughJson)).toEqual(expected);
      expect(read(throughScxml)).toEqual(expected);
      for (const items of sequences) {
        expect(runIds(throughJson, items)).toEqual(runIds(def, items));
        expect(runIds(throughScxml, items)).toEqual(runIds(def, items));
      }
    });
  }

  it("SCXML: nested <state>, <parallel>, <final>, <history> with ids from paths, internal transitions, done and delayed transitions", () => {
    const nested = exportScxml(valid(NESTED));
    expect(nested).toContain('<state id="held-custom" initial="held_active">');
    expect(nested).toContain('<state id="held_v1_2">');
    expect(nested).toContain('<transition event="reset" target="held_active_ready" type="internal"/>');
    expect(nested).toContain('<transition event="restart" target="held_active"/>');
    expect(nested).toContain('<transition event="done.state.held-custom" target="expired"/>');
    expect(nested).toContain('<send event="fsm.after.5000.held_active_busy" id="fsm.after.5000.held_active_busy" delay="5000ms"/>');
    expect(nested).toContain('<cancel sendid="fsm.after.5000.held_active_busy"/>');
    expect(nested).toContain('<transition event="fsm.after.5000.held_active_busy" target="held_v1_2"/>');
    expect(nested).toContain('fsm:statechart="true"');
    expect(nested).toMatch(/<state id="lease" initial="idle">\n {4}<!-- [^\n]+ -->\n {4}<transition event="panic" target="idle" type="internal"\/>/);
    const parallel = exportScxml(valid(PARALLEL));
    expect(parallel).toContain('<parallel id="on">');
    expect(parallel).toContain('<transition event="start" target="on_audio_loud on_video_hd"/>');
    expect(parallel).toContain('<final id="on_audio_ejected"/>');
    const history = exportScxml(valid(HISTORY));
    expect(history).toContain('<history id="editing_deep" type="deep">\n      <transition target="editing_text"/>\n    </history>');
    expect(history).toContain('<history id="editing_shallow">\n      <transition target="editing_styles"/>\n    </history>');
  });

  it("SCXML: a self-transition that does not re-enter an atomic state is written targetless; names with spaces are percent-encoded", () => {
    const def = valid({ id: "m", initial: "a b", states: { "a b": { initial: "x", states: { x: { on: { poke: "x", go: "y" } }, y: { after: { "100": "x" } } } } } });
    const text = exportScxml(def);
    expect(text).toContain('fsm:names="percent"');
    expect(text).toContain('<state id="a%20b" initial="a%20b_x">');
    expect(text).toContain('<transition event="poke"/>');
    const back = viaScxml(def);
    for (const items of [["go", "+50ms", "poke", "+50ms"], ["poke", "go", "+100ms", "go"]]) expect(runIds(back, items)).toEqual(runIds(def, items));
  });

  it("SCXML: a machine read from SCXML is written back in document order, with its several initial states and multi-event transitions", () => {
    const text = [
      '<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="doc" initial="p">',
      '  <parallel id="p">',
      '    <state id="r1" initial="a"><state id="a"><transition event="t u" target="b"/><transition event="*" target="c"/></state><state id="b"/><state id="c"/></state>',
      '    <state id="r2"><initial><transition target="y"/></initial><state id="x"/><state id="y"><transition event="t" target="x"/></state></state>',
      "  </parallel>",
      "</scxml>",
    ].join("\n");
    const read = importScxml(text, "doc.scxml");
    expect(read.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const def = read.definition as MachineDefinition;
    const out = exportScxml(def);
    expect(out).toContain('<transition event="t u" target="b"/>');
    expect(out.indexOf('event="t u"')).toBeLessThan(out.indexOf('event="*"'));
    const back = viaScxml(def);
    for (const items of [["t"], ["u", "t"], ["v", "t"]]) expect(runIds(back, items)).toEqual(runIds(def, items));
  });
});

describe("importXState of nested machines", () => {
  it("walks every level: v4 cond, \"\" events, [\"X\"] targets, string shorthands, history, parallel: true, internal: false", () => {
    const v4 = {
      id: "m",
      initial: "outer",
      states: {
        outer: {
          initial: "a",
          states: {
            a: { on: { go: { target: ["b"], cond: "ok" }, "": { target: "c", cond: { type: "payload", key: "x" } } } },
            b: { on: { back: "a", again: { target: "#m.outer", internal: false } } },
            c: {},
            hist: { history: "deep" },
          },
        },
        both: { parallel: true, states: { r1: { initial: "x", states: { x: {} } }, r2: { initial: "z", states: { z: {}, y: { history: true } } } } },
      },
    };
    const r = importXState(v4, "m.json");
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const outer = r.definition?.states["outer"]?.states ?? {};
    expect(outer["a"]?.on?.["go"]).toEqual({ target: "b", guard: "ok" });
    expect(outer["a"]?.always).toEqual({ target: "c", guard: { type: "payload", params: { key: "x" } } });
    expect(outer["a"]?.on?.[""]).toBeUndefined();
    expect(outer["b"]?.on?.["again"]).toEqual({ target: "#m.outer", reenter: true });
    expect(outer["hist"]).toEqual({ history: "deep", type: "history" });
    expect(r.definition?.states["both"]?.type).toBe("parallel");
    const chart = normalize(r.definition as MachineDefinition).chart;
    expect(chart?.nodes["both.r2.y"]?.kind).toBe("history");
  });

  it("keeps Stately's v4 targets (#machine.state.child) and v5 exports (after, onDone, history target, tags, meta)", () => {
    const studio = {
      id: "door",
      initial: "closed",
      states: {
        closed: { on: { open: { target: "#door.opened.moving" } }, tags: ["shut"], meta: { note: "x" }, description: "closed door" },
        opened: {
          initial: "moving",
          states: { moving: { after: { "300": { target: "still" } } }, still: { type: "final" }, h: { type: "history", history: "shallow", target: "still" } },
          onDone: { target: "closed" },
        },
      },
    };
    const r = importXState(studio, "door.json");
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const def = r.definition as MachineDefinition;
    expect(def.states["closed"]?.tags).toEqual(["shut"]);
    const edges = normalize(def).edges.map((e) => `${e.from}:${e.event}→${e.to}`);
    expect(edges).toEqual(["closed:open→opened.moving", "opened:xstate.done.state.opened→closed", "opened.moving:xstate.after.300→opened.still", "opened.h:xstate.history.default→opened.still"]);
  });

  it("repairs a target that resolves nowhere as the flat importer does (.X meant as a sibling), and says so", () => {
    const r = importXState({ id: "m", initial: "p", states: { p: { initial: "a", states: { a: { on: { go: ".b" } }, b: {} } } } }, "m.json");
    expect(r.definition?.states["p"]?.states?.["a"]?.on?.["go"]).toBe("b");
    expect(r.diagnostics.map((d) => d.message)).toContain('the target ".b" means a child of state "p.a" in XState, which has none so named; it was read as "b" beside it');
  });

  it("a machine whose root is parallel is wrapped in one parallel state, its #id targets rewritten", () => {
    const root = {
      id: "pc",
      type: "parallel",
      states: {
        left: { initial: "l1", states: { l1: { on: { go: "#pc.right.r2" } }, l2: {} } },
        right: { initial: "r1", states: { r1: { on: { go: "r2" } }, r2: { on: { both: { target: ["#pc.left.l2", "#pc.right.r1"] } } } } },
      },
      on: { home: [".left.l1"] },
    };
    const r = importXState(root, "pc.json");
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(r.diagnostics.find((d) => d.severity === "warning" && d.path === "/type")?.message).toBe('the machine\'s root is a parallel state; its regions (left, right) were put in one parallel state "main"');
    const def = r.definition as MachineDefinition;
    expect(def.initial).toBe("main");
    expect(def.states["main"]?.type).toBe("parallel");
    expect(def.states["main"]?.states?.["left"]?.states?.["l1"]?.on?.["go"]).toBe("#pc.main.right.r2");
    expect(def.on?.["home"]).toEqual([".main.left.l1"]);
    expect(simulate(def, ["go", "both", "go", "home"]).configurations).toEqual([
      ["main.left.l1", "main.right.r1"],
      ["main.left.l1", "main.right.r2"],
      ["main.left.l2", "main.right.r1"],
      ["main.left.l2", "main.right.r2"],
      // A root-level transition leaves every state: the other region starts again.
      ["main.left.l1", "main.right.r1"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Random nested machines.

/** Keys at the top level (a flat machine may not have a dot in a name), and below. */
const TOP_KEYS = ["p", "q", "r"];
const KEYS = ["p", "q", "r.s"];
const EVENTS = ["a", "b", "c"];

/**
 * A random statechart from a seed: depth ≤ 3, compound and parallel states, final states, history
 * states in compound states, 0–2 transitions per state to random states (targetless, re-entering,
 * into two regions at once sometimes), delays on non-parallel states, onDone, a root-level transition.
 */
function randomChart(seed: number): MachineDefinition {
  const rnd = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const paths: { path: string; kind: string; parent: string | undefined }[] = [];
  const defs = new Map<string, StateDef>();
  const build = (parent: string | undefined, depth: number, count: number, inParallel: boolean): Record<string, StateDef> => {
    const out: Record<string, StateDef> = {};
    for (let i = 0; i < count; i++) {
      const key = (depth === 0 ? TOP_KEYS : KEYS)[i] as string;
      const path = joinPath(parent, key);
      // The first top-level state holds others: the machine is a statechart.
      const roll = depth === 0 && i === 0 ? rnd() * 0.45 : rnd();
      let s: StateDef;
      if (depth < 3 && (inParallel || roll < 0.3)) {
        s = { initial: KEYS[0] as string, states: {} };
        paths.push({ path, kind: "compound", parent });
        s.states = build(path, depth + 1, 1 + Math.floor(rnd() * 3), false);
        const h = rnd();
        if (h < 0.4) {
          s.states["h"] = h < 0.2 ? { type: "history", history: "deep" } : { type: "history" };
          paths.push({ path: joinPath(path, "h"), kind: "history", parent: path });
        }
      } else if (depth < 3 && roll < 0.45) {
        s = { type: "parallel", states: {} };
        paths.push({ path, kind: "parallel", parent });
        s.states = build(path, depth + 1, 2, true);
      } else if (i > 0 && !inParallel && roll < 0.55) {
        s = { type: "final" };
        paths.push({ path, kind: "final", parent });
      } else {
        s = {};
        paths.push({ path, kind: "atomic", parent });
      }
      out[key] = s;
      defs.set(path, s);
    }
    return out;
  };
  const states = build(undefined, 0, 2 + Math.floor(rnd() * 2), false);
  const targets = paths.map((p) => p.path);
  const ref = (path: string): string => `#m.${path}`;
  const parallels = paths.filter((p) => p.kind === "parallel");
  const transition = (source: string): TransitionDef => {
    const r = rnd();
    if (r < 0.1) return {};
    const region = parallels.length > 0 && r < 0.2 ? pick(parallels) : undefined;
    if (region) {
      const regions = paths.filter((p) => p.parent === region.path);
      const inside = regions.map((reg) => pick(paths.filter((p) => p.path === reg.path || (p.path.startsWith(`${reg.path}.`) && p.kind !== "history"))).path);
      return { target: inside.map(ref) };
    }
    const target = pick(paths);
    const t: TransitionDef = { target: ref(target.path) };
    // XState leaves the source in place (and may take a conflicting transition too) when a history
    // state it targets without reenter restores the source itself; SCXML exits it. Not compared.
    const historyAround = target.kind === "history" && target.parent !== undefined && isWithin(source, target.parent);
    if (historyAround || rnd() < 0.3) t.reenter = true;
    return t;
  };
  for (const p of paths) {
    const s = defs.get(p.path) as StateDef;
    if (p.kind === "final" || p.kind === "history") continue;
    const n = Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) (s.on ??= {})[pick(EVENTS)] = transition(p.path);
    if (p.kind !== "parallel" && rnd() < 0.25) s.after = { [pick(["200", "500"])]: transition(p.path) };
    // onDone leaves the state for one that is not done at once (a final state, or a history state
    // that restores one, could make a state done again, and again: XState would loop for ever).
    const outside = paths.filter((t) => t.kind !== "final" && t.kind !== "history" && !isWithin(t.path, p.path)).map((t) => t.path);
    if ((p.kind === "compound" || p.kind === "parallel") && outside.length > 0 && rnd() < 0.3) s.onDone = { target: ref(pick(outside)) };
  }
  const def: MachineDefinition = { id: "m", initial: KEYS[0] as string, states };
  if (rnd() < 0.3) def.on = { c: { target: ref(pick(targets)) } };
  return def;
}

const chartSeed = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const items = fc.array(fc.constantFrom(...EVENTS, "+200ms", "+300ms", "+1s"), { minLength: 1, maxLength: 8 });

describe("round trips of random statecharts", () => {
  it("definition → XState JSON → definition: the same machine, the same runs", () => {
    fc.assert(
      fc.property(chartSeed, fc.array(items, { minLength: 1, maxLength: 3 }), (seed, lists) => {
        const def = valid(randomChart(seed));
        const back = viaXState(def);
        expect(chartShape(back)).toEqual(chartShape(def));
        for (const list of lists) expect(simulate(back, list).configurations).toEqual(simulate(def, list).configurations);
      }),
      { numRuns: runs(150) },
    );
  });

  it("definition → SCXML → definition runs the same", () => {
    fc.assert(
      fc.property(chartSeed, fc.array(items, { minLength: 1, maxLength: 3 }), (seed, lists) => {
        const def = valid(randomChart(seed));
        const back = viaScxml(def);
        for (const list of lists) expect(runIds(back, list), `${exportScxml(def)}\n${list.join(",")}`).toEqual(runIds(def, list));
      }),
      { numRuns: runs(150) },
    );
  });
});
