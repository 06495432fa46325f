/**
 * The diagram's pure parts: how each machine becomes nodes and edges, elk's layout of it (elk runs
 * in Node too), the fallback layout, and the live decorations (lit state, counts, ghosts, pulse).
 */
import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import { normalize } from "../../shared/machine/normalize";
import { BUILTIN_PROFILES, findProfile } from "../../shared/profiles";
import { applyAll, emptyModel } from "../../shared/trace/session-model";
import type { Observation } from "../../shared/trace/observation";
import { ANY_NODE, INITIAL_NODE, buildDiagram, edgeForTransition } from "../../shared/diagram/diagram";
import { fromElk, layoutRequest, toElk } from "../../shared/diagram/elk-graph";
import { fallbackLayout } from "../../shared/diagram/fallback";
import { ghostKeys, liveDecorations, mapStatic } from "../../renderer/src/graph/flow-mapper";
import { DEFAULT_OVERLAYS } from "../../renderer/src/store/ui-slice";
import type { Layout } from "../../shared/diagram/layout";
import { generateMachine } from "../../renderer/src/bench/generate";

const profile = (id: string) => {
  const p = findProfile(id);
  if (!p) throw new Error(id);
  return p;
};

function overlaps(l: Layout): string[] {
  const boxes = Object.entries(l.nodes);
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i] as [string, Layout["nodes"][string]];
      const [b, q] = boxes[j] as [string, Layout["nodes"][string]];
      if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height) out.push(`${a}/${b}`);
    }
  return out;
}

describe("machine → diagram", () => {
  it("draws root-level transitions once, from 'any state'", () => {
    const d = buildDiagram(normalize(profile("iai-mcp").machine));
    const fromAny = d.edges.filter((e) => e.source === ANY_NODE);
    expect(fromAny.map((e) => [e.target, e.labels])).toEqual([["WAKE", ["request_arrived"]]]);
    expect(d.edges.find((e) => e.source === INITIAL_NODE)?.target).toBe("WAKE");
  });

  it("merges parallel transitions into one edge, lists targetless events inside the state", () => {
    const d = buildDiagram(normalize(profile("jumpstarter").machine));
    const e = d.edges.filter((x) => x.source === "BEFORE_LEASE" && x.target === "READY");
    expect(e).toHaveLength(1);
    expect(e[0]?.labels).toEqual(["before_hook_done", "before_hook_failed"]);
    expect(d.nodes.find((n) => n.id === "STARTING")?.internal).toEqual(["request_end"]);
    expect(d.edges.some((x) => x.selfLoop)).toBe(false);
  });

  it("draws duckgres' drain / mark_lost / retire once each, from a group of the states they leave", () => {
    const d = buildDiagram(normalize(profile("duckgres").machine));
    const groups = d.nodes.filter((n) => n.kind === "fanin");
    expect(groups.map((g) => g.members)).toEqual([
      ["spawning", "idle", "reserved", "activating", "hot", "hot_idle"],
      ["spawning", "idle", "reserved", "activating", "hot", "hot_idle", "draining"],
    ]);
    expect(d.edges.filter((e) => e.target === "lost")).toHaveLength(1);
    // An observed hot → lost is drawn on the group's edge.
    expect(edgeForTransition(d, "hot", "lost")?.source).toBe(groups[0]?.id);
    expect(edgeForTransition(d, "reserved", "activating")?.source).toBe("reserved");
    expect(edgeForTransition(d, "retired", "hot")).toBeUndefined();
  });
});

describe("layout", () => {
  const elk = new ELK();
  it.each(BUILTIN_PROFILES.map((p) => [p.id] as const))("elk lays out %s with every node and edge placed and no overlap", async (id) => {
    const d = buildDiagram(normalize(profile(id).machine));
    for (const direction of ["RIGHT", "DOWN"] as const) {
      const req = layoutRequest(d, direction);
      const layout = fromElk(await elk.layout(toElk(req)), 1, req);
      expect(Object.keys(layout.nodes).sort()).toEqual(d.nodes.map((n) => n.id).sort());
      expect(Object.keys(layout.edges).sort()).toEqual(d.edges.map((e) => e.id).sort());
      for (const e of d.edges) {
        expect(layout.edges[e.id]?.points.length, e.id).toBeGreaterThanOrEqual(2);
        if (e.labels.length) expect(layout.edges[e.id]?.label, e.id).toBeDefined();
      }
      expect(overlaps(layout)).toEqual([]);
    }
  });

  it("draws a state's own self-loop as a loop with its label", async () => {
    const def = { id: "loop", initial: "A", states: { A: { on: { ping: "A", go: "B" } }, B: { on: { back: "A", ping: "B" } } } };
    const d = buildDiagram(normalize(def));
    const loop = d.edges.find((e) => e.id === "A->A");
    expect(loop?.selfLoop).toBe(true);
    const req = layoutRequest(d, "RIGHT");
    const layout = fromElk(await elk.layout(toElk(req)), 1, req);
    const route = layout.edges["A->A"];
    expect(route?.points.length).toBeGreaterThanOrEqual(4); // out, around, back in
    expect(route?.label).toBeDefined();
    const box = layout.nodes["A"];
    const xs = route?.points.map((p) => p.x) ?? [];
    const ys = route?.points.map((p) => p.y) ?? [];
    // The loop leaves the box: some of its points lie outside it.
    expect(xs.some((x) => x > (box?.x ?? 0) + (box?.width ?? 0) || x < (box?.x ?? 0)) || ys.some((y) => y < (box?.y ?? 0) || y > (box?.y ?? 0) + (box?.height ?? 0))).toBe(true);
  });

  it("large machines get labels placed on their routes (elk's fast settings)", async () => {
    const d = buildDiagram(normalize(generateMachine(40, 100)));
    const req = layoutRequest(d, "RIGHT");
    const layout = fromElk(await elk.layout(toElk(req)), 1, req);
    expect(d.edges.filter((e) => e.labels.length && !layout.edges[e.id]?.label)).toEqual([]);
  }, 60_000);

  it("the fallback layout places everything without overlap", () => {
    for (const p of BUILTIN_PROFILES) {
      const d = buildDiagram(normalize(p.machine));
      const layout = fallbackLayout(d, "RIGHT", "elk took too long");
      expect(layout.engine).toBe("fallback");
      expect(layout.error).toBe("elk took too long");
      expect(Object.keys(layout.nodes)).toHaveLength(d.nodes.length);
      expect(overlaps(layout), p.id).toEqual([]);
    }
  });
});

describe("live decorations", () => {
  const d = buildDiagram(normalize(profile("iai-mcp").machine));
  let seq = 0;
  const t = (from: string, to: string, verdict: "declared" | "undeclared" = "declared", dwellMs?: number): Observation => ({ kind: "transition", seq: ++seq, instance: "daemon", from, to, verdict, tsFrom: "artifact", ts: `2026-06-01T10:0${seq}:00+00:00`, source: {}, ...(dwellMs !== undefined ? { dwellMs } : {}) });
  // As a session judges them: only the stay in WAKE between the 2nd and 3rd transition is a whole stay the trace shows.
  const model = applyAll(emptyModel(), [t("WAKE", "DROWSY"), t("DROWSY", "WAKE", "declared", 60_000), t("WAKE", "DROWSY", "declared", 60_000), t("DROWSY", "HIBERNATION", "undeclared", 60_000)]);

  it("lights the current state, counts each edge, and adds a ghost for the undeclared one", () => {
    const live = liveDecorations({ diagram: d, model, instance: "daemon", overlays: DEFAULT_OVERLAYS, pulse: undefined });
    expect(Object.entries(live.nodes).filter(([, n]) => n.current).map(([id]) => id)).toEqual(["HIBERNATION"]);
    expect(live.edges["WAKE->DROWSY"]?.count).toBe(2);
    expect(live.edges["WAKE->DROWSY"]?.weight).toBeGreaterThan(live.edges["DROWSY->WAKE"]?.weight ?? 0);
    expect(ghostKeys(d, model)).toEqual(["DROWSY->HIBERNATION"]);
    expect(live.edges["ghost:DROWSY->HIBERNATION"]).toMatchObject({ count: 1, active: true, showCount: true });
    const fl = mapStatic(d, fallbackLayout(d, "RIGHT"), ghostKeys(d, model));
    expect(fl.edges.find((e) => e.id === "ghost:DROWSY->HIBERNATION")?.data?.ghost).toBe(true);
  });

  it("pulses the edge of the transition being animated, and counts what was folded into it", () => {
    const live = liveDecorations({ diagram: d, model, instance: "daemon", overlays: DEFAULT_OVERLAYS, pulse: { from: "WAKE", to: "DROWSY", seq: 7, queued: 3 } });
    expect(live.edges["WAKE->DROWSY"]?.pulse).toBe(7);
    expect(live.nodes["DROWSY"]?.queued).toBe(3);
    const fromAny = liveDecorations({ diagram: d, model, instance: "daemon", overlays: DEFAULT_OVERLAYS, pulse: { from: "SLEEP", to: "WAKE", seq: 9, queued: 0 } });
    expect(fromAny.edges[`${ANY_NODE}->WAKE`]?.pulse).toBe(9);
  });

  it("counts the instances in each state, how long they have been there, and how many are stuck", () => {
    const e = buildDiagram(normalize(profile("ecluse").machine));
    const T = Date.UTC(2026, 5, 10);
    const at = (min: number): string => new Date(T + min * 60_000).toISOString();
    let n = 0;
    const to = (instance: string, from: string, state: string, min: number): Observation => ({ kind: "transition", seq: ++n, instance, from, to: state, ts: at(min), tsFrom: "artifact", source: {} });
    // Four sessions active since minutes 0, 10, 20 and 30; one pending since minute 5.
    const fleet = applyAll(emptyModel(), [to("a", "absent", "active", 0), to("b", "absent", "active", 10), to("c", "absent", "active", 20), to("d", "absent", "active", 30), to("e", "absent", "pending", 5)]);
    const now = T + 40 * 60_000;
    const live = liveDecorations({ diagram: e, model: fleet, instance: "a", overlays: DEFAULT_OVERLAYS, pulse: undefined, now, stuck: new Map([["pending", 1]]) });
    // Here for 40, 30, 20 and 10 min: nearest-rank median 20 min, 95th percentile 40 min.
    expect(live.nodes["active"]).toMatchObject({ instances: 4, spread: { p50Ms: 20 * 60_000, p95Ms: 40 * 60_000 } });
    expect(live.nodes["active"]?.stuck).toBeUndefined();
    expect(live.nodes["pending"]).toMatchObject({ instances: 1, stuck: 1, spread: { p50Ms: 35 * 60_000, p95Ms: 35 * 60_000 } });
    // Without the badges overlay: none of it.
    const off = liveDecorations({ diagram: e, model: fleet, instance: "a", overlays: { ...DEFAULT_OVERLAYS, badges: false }, pulse: undefined, now });
    expect(off.nodes["active"]).not.toHaveProperty("instances");
    expect(off.nodes["active"]).not.toHaveProperty("spread");
  });

  it("overlays switch their decorations off and on", () => {
    const off = liveDecorations({ diagram: d, model, instance: "daemon", overlays: { ...DEFAULT_OVERLAYS, counts: false, unseen: true, dwell: true }, pulse: undefined });
    expect(off.edges["WAKE->DROWSY"]?.showCount).toBe(false);
    expect(off.nodes["SLEEP"]?.unseen).toBe(true);
    expect(off.nodes["WAKE"]?.dwell?.count).toBe(1);
  });
});

describe("states whose names hold -> or %", () => {
  it("edge keys are one key per pair, read back to the same pair; the diagram and its ghosts keep them apart", async () => {
    const { edgeKey, parseEdgeKey } = await import("../../shared/trace/stats");
    for (const [from, to] of [["a->b", "c"], ["a", "b->c"], ["100%", "%3E"], ["WAKE", "DROWSY"]] as const) expect(parseEdgeKey(edgeKey(from, to))).toEqual({ from, to });
    expect(edgeKey("a->b", "c")).not.toBe(edgeKey("a", "b->c"));
    expect(edgeKey("WAKE", "DROWSY")).toBe("WAKE->DROWSY");
    const machine = { id: "m", initial: "a->b", states: { "a->b": { on: { go: "c" } }, a: { on: { go: "b->c" } }, c: {}, "b->c": {} } };
    const diagram = buildDiagram(normalize(machine as never));
    const ids = diagram.edges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const edge = diagram.edges.find((e) => e.source === "a->b");
    expect(edge?.target).toBe("c");
    expect(diagram.edges.find((e) => e.source === "a")?.target).toBe("b->c");
    // An undeclared a->b → b->c, drawn as a ghost between those two states.
    const observed = applyAll(emptyModel(), [{ kind: "transition", seq: 1, instance: "x", from: "a->b", to: "b->c", tsFrom: "observed", source: {}, verdict: "undeclared" } as Observation]);
    const ghosts = ghostKeys(diagram, observed);
    const layout = fallbackLayout(diagram, "DOWN");
    const flow = mapStatic(diagram, layout, ghosts);
    const ghost = flow.edges.find((e) => e.id.startsWith("ghost:"));
    expect([ghost?.source, ghost?.target]).toEqual(["a->b", "b->c"]);
  });
});
