/**
 * Statecharts in the diagram, the pure parts: the elk request nests containers (edges in the
 * innermost container holding both ends), the flow places children relative to their container,
 * an instance's configuration lights its states and (lighter) their containers, badges count an
 * instance in every state it is in, the edge taken is found from configurations, and a collapsed
 * container stands for what it holds.
 */
import { describe, expect, it } from "vitest";
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { EXAMPLE_MACHINES, findExample } from "../../shared/machine/examples";
import { normalize } from "../../shared/machine/normalize";
import { buildDiagram, collapseDiagram, edgeForTransition, ghostEnds, initialNodeId, litNodes } from "../../shared/diagram/diagram";
import fs from "node:fs";
import { importScxml } from "../../shared/machine/formats/scxml";
import { fromElk, layoutRequest, toElk } from "../../shared/diagram/elk-graph";
import { fallbackLayout } from "../../shared/diagram/fallback";
import { ghostKeys, liveDecorations, mapStatic } from "../../renderer/src/graph/flow-mapper";
import { DEFAULT_OVERLAYS } from "../../renderer/src/store/ui-slice";
import { dict } from "../../shared/dict";
import type { DiagramModel } from "../../renderer/src/graph/flow-mapper";
import type { MachineDefinition } from "../../shared/machine/definition";
import { validateMachine } from "../../shared/machine/validate";
import { findProfile } from "../../shared/profiles";
import { edgeKey } from "../../shared/trace/stats";

const machine = (id: string): MachineDefinition => {
  const e = findExample(`example:${id}`);
  if (!e) throw new Error(`no example ${id}`);
  return e.machine;
};
const lease = () => buildDiagram(normalize(machine("lease")));
const worker = () => buildDiagram(normalize(machine("worker")));

function model(states: Record<string, string>): DiagramModel {
  const instances = dict<DiagramModel["instances"][string]>();
  for (const [id, state] of Object.entries(states)) instances[id] = { id, state } as DiagramModel["instances"][string];
  return { instances, instanceOrder: Object.keys(states), edges: dict(), dwell: dict() };
}

describe("the example statecharts", () => {
  it("are valid machines, opened by ids that are not profiles'", () => {
    for (const e of EXAMPLE_MACHINES) {
      expect(e.id.startsWith("example:")).toBe(true);
      expect(validateMachine(e.machine, { file: `${e.id}.json` }).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(normalize(e.machine).chart).toBeDefined();
    }
  });
});

describe("elk request", () => {
  it("nests children in their containers, laid out together, each edge in the innermost container holding both ends", () => {
    const g = toElk(layoutRequest(lease(), "DOWN"));
    expect(g.layoutOptions?.["elk.hierarchyHandling"]).toBe("INCLUDE_CHILDREN");
    const active = g.children?.find((c) => c.id === "active") as ElkNode;
    expect(active.children?.map((c) => c.id).sort()).toEqual(["__initial__active", "active.busy", "active.hist", "active.ready"]);
    expect(active.layoutOptions?.["elk.padding"]).toMatch(/top=4\d/);
    expect(active.edges?.map((e) => e.id)).toContain("active.ready->active.busy");
    // paused (outside) → active.hist (inside): at the root.
    expect(g.edges?.map((e) => e.id)).toContain("paused->active.hist");
    expect(g.children?.some((c) => c.id === "active.ready")).toBe(false);
  });

  it("flat machines are asked for as before: no nesting options", () => {
    const flat = buildDiagram(normalize({ id: "m", initial: "a", states: { a: { on: { go: "b" } }, b: {} } }));
    const g = toElk(layoutRequest(flat, "RIGHT"));
    expect(g.layoutOptions?.["elk.hierarchyHandling"]).toBeUndefined();
    expect(g.children?.every((c) => c.children === undefined)).toBe(true);
  });

  it("elk's answer in one coordinate space: children inside their containers, a parallel state's regions side by side, none overlapping", async () => {
    for (const direction of ["RIGHT", "DOWN"] as const) {
      const req = layoutRequest(worker(), direction);
      const l = fromElk(await new ELK().layout(toElk(req)), 0, req);
      const box = (id: string) => l.nodes[id] as { x: number; y: number; width: number; height: number };
      const within = (c: string, p: string) => box(c).x >= box(p).x && box(c).y >= box(p).y && box(c).x + box(c).width <= box(p).x + box(p).width && box(c).y + box(c).height <= box(p).y + box(p).height;
      for (const n of req.nodes) if (n.parent !== undefined) expect(within(n.id, n.parent), `${n.id} in ${n.parent} (${direction})`).toBe(true);
      const a = box("working.connection");
      const b = box("working.job");
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart).toBe(true);
      // Regions evened out across the parallel state: the divider runs its whole length.
      if (direction === "DOWN") expect([a.y, a.height]).toEqual([b.y, b.height]);
      else expect([a.x, a.width]).toEqual([b.x, b.width]);
      expect(l.edges["working->stopped"]?.points.length).toBeGreaterThan(1);
    }
  });
});

describe("flow mapping", () => {
  it("children get their container as parentId and positions relative to it; containers, history and initial markers their own types", () => {
    const d = lease();
    const l = fallbackLayout(d, "DOWN");
    // A container around its children, as elk would give it.
    l.nodes["active"] = { x: 100, y: 200, width: 400, height: 300 };
    l.nodes["active.ready"] = { x: 130, y: 260, width: 136, height: 50 };
    const { nodes } = mapStatic(d, l, [], "lease");
    const ready = nodes.find((n) => n.id === "active.ready");
    expect(ready?.parentId).toBe("active");
    expect(ready?.position).toEqual({ x: 30, y: 60 });
    expect(nodes.find((n) => n.id === "active")?.type).toBe("container");
    expect(nodes.find((n) => n.id === "active.hist")?.type).toBe("history");
    expect(nodes.find((n) => n.id === "__initial__active")?.parentId).toBe("active");
    // A parent before its children (xyflow needs it).
    expect(nodes.findIndex((n) => n.id === "active")).toBeLessThan(nodes.findIndex((n) => n.id === "active.ready"));
    expect(nodes.find((n) => n.id === "idle")?.parentId).toBeUndefined();
  });
});

describe("the lit configuration", () => {
  it("lights the leaf and, lighter, every container around it", () => {
    const lit = litNodes(lease(), "active.busy");
    expect([...lit.current]).toEqual(["active.busy"]);
    expect([...lit.within]).toEqual(["active"]);
  });

  it("a parallel configuration lights both leaves and their regions and the parallel state", () => {
    const lit = litNodes(worker(), "working.connection.online, working.job.failed");
    expect([...lit.current].sort()).toEqual(["working.connection.online", "working.job.failed"]);
    expect([...lit.within].sort()).toEqual(["working", "working.connection", "working.job"]);
    const live = liveDecorations({ diagram: worker(), model: model({ w: "working.connection.online, working.job.failed" }), instance: "w", overlays: DEFAULT_OVERLAYS, pulse: undefined });
    expect(live.nodes["working.job.failed"]?.current).toBe(true);
    expect(live.nodes["working.job"]?.within).toBe(true);
    expect(live.nodes["working.job"]?.current).toBe(false);
    expect(live.nodes["stopped"]?.within).toBeUndefined();
  });

  it("the dwell overlay shows the time spent in a container as on a state", () => {
    const m = { ...model({ w: "working.connection.online, working.job.failed" }), dwell: dict([["working", [1000, 3000, 5000]]]) };
    const live = liveDecorations({ diagram: worker(), model: m, instance: "w", overlays: { ...DEFAULT_OVERLAYS, dwell: true }, pulse: undefined });
    expect(live.nodes["working"]?.dwell).toMatchObject({ p50Ms: 3000, count: 3 });
  });

  it("badges count an instance in every state it is in, containers included, once each", () => {
    const live = liveDecorations({
      diagram: worker(),
      model: model({ a: "working.connection.online, working.job.failed", b: "working.connection.offline, working.job.idle", c: "stopped" }),
      instance: undefined,
      overlays: DEFAULT_OVERLAYS,
      pulse: undefined,
    });
    expect(live.nodes["working"]?.instances).toBe(2);
    expect(live.nodes["working.connection"]?.instances).toBe(2);
    expect(live.nodes["working.job.failed"]?.instances).toBe(1);
    expect(live.nodes["stopped"]?.instances).toBe(1);
  });

  it("a flat machine lights its one state, as before", () => {
    const flat = buildDiagram(normalize({ id: "m", initial: "a.b", states: { "a.b": { on: { go: "a" } }, a: {} } }));
    const lit = litNodes(flat, "a.b");
    expect([...lit.current]).toEqual(["a.b"]);
    expect(lit.within.size).toBe(0);
  });
});

describe("the edge taken, from configurations", () => {
  it("a leaf's own transition, inside a region of a parallel state", () => {
    const d = worker();
    expect(edgeForTransition(d, "working.connection.offline, working.job.idle", "working.connection.offline, working.job.running")?.id).toBe("working.job.idle->working.job.running");
  });

  it("a container's transition, taken from a leaf inside it", () => {
    const d = lease();
    expect(edgeForTransition(d, "active.busy", "paused")?.id).toBe("active->paused");
    expect(edgeForTransition(d, "active.ready", "expired")?.id).toBe("active->expired");
    // The parallel state's done transition, from both regions' final states.
    expect(edgeForTransition(worker(), "working.connection.closed, working.job.finished", "stopped")?.id).toBe("working->stopped");
  });

  it("into a container (its initial child entered), and back through history", () => {
    const d = lease();
    expect(edgeForTransition(d, "idle", "active.ready")?.id).toBe("idle->active");
    expect(edgeForTransition(d, "paused", "active.busy")?.id).toBe("paused->active.hist");
  });

  it("nothing for a transition the chart lacks", () => {
    expect(edgeForTransition(lease(), "idle", "released")).toBeUndefined();
  });
});

describe("undeclared transitions (ghost edges)", () => {
  const observed = (from: string, to: string): DiagramModel => {
    const m = model({ w: to });
    m.edges[edgeKey(from, to)] = { from, to, count: 2, verdict: "undeclared" } as DiagramModel["edges"][string];
    return m;
  };

  it("between parallel configurations: drawn from the state that changed to the one entered, the other region left alone", () => {
    const d = worker();
    const from = "working.connection.online, working.job.idle";
    const to = "working.connection.online, working.job.failed";
    expect(edgeForTransition(d, from, to)).toBeUndefined();
    expect(ghostEnds(d, from, to)).toEqual(["working.job.idle", "working.job.failed"]);
    const keys = ghostKeys(d, observed(from, to));
    expect(keys).toHaveLength(1);
    const { edges } = mapStatic(d, fallbackLayout(d, "RIGHT"), keys, "worker");
    const ghost = edges.find((e) => e.data?.ghost);
    expect(ghost).toMatchObject({ source: "working.job.idle", target: "working.job.failed", ariaLabel: `Undeclared transition ${from} to ${to}` });
  });

  it("into a collapsed container: to the container that hides the state", () => {
    const d = collapseDiagram(lease(), ["active"]);
    expect(ghostEnds(d, "released", "active.busy")).toEqual(["released", "active"]);
    expect(ghostEnds(lease(), "released", "active.busy")).toEqual(["released", "active.busy"]);
  });

  it("a flat machine: between the two states, as before", () => {
    const d = buildDiagram(normalize(findProfile("iai-mcp")!.machine));
    expect(ghostEnds(d, "HIBERNATION", "DROWSY")).toEqual(["HIBERNATION", "DROWSY"]);
  });
});

describe("collapse", () => {
  it("a collapsed container is one state with a count; edges to its children go to it, those inside are dropped", () => {
    const c = collapseDiagram(lease(), ["active"]);
    const active = c.nodes.find((n) => n.id === "active");
    expect(active?.container).toBeUndefined();
    expect(active?.collapsed).toBe(2);
    expect(c.nodes.some((n) => n.id.startsWith("active.") || n.id === "__initial__active")).toBe(false);
    const ids = c.edges.map((e) => e.id).sort();
    expect(ids).toContain("paused->active");
    expect(ids.some((id) => id.includes("active.") || id.startsWith("active->active"))).toBe(false);
    expect(c.key).not.toBe(lease().key);
    // The edge taken still found: a leaf inside is drawn as its collapsed container.
    expect(edgeForTransition(c, "paused", "active.busy")?.id).toBe("paused->active");
    const lit = litNodes(c, "active.busy");
    expect([...lit.current]).toEqual(["active"]);
  });

  it("the outermost collapsed container wins; edges that meet are merged with every label", () => {
    const c = collapseDiagram(worker(), ["working", "working.job"]);
    expect(c.nodes.map((n) => n.id).sort()).toEqual(["__initial__", "stopped", "working"]);
    expect(c.nodes.find((n) => n.id === "working")?.collapsed).toBe(9);
    expect(c.edges.map((e) => e.id).sort()).toEqual(["__initial__->working", "working->stopped"]);
    const r = collapseDiagram(worker(), ["working.connection"]);
    expect(r.nodes.find((n) => n.id === "working.connection")?.collapsed).toBe(3);
    expect(r.nodes.find((n) => n.id === "working")?.container).toBe("parallel");
  });

  it("changes nothing for a flat machine or an empty set", () => {
    const d = lease();
    expect(collapseDiagram(d, [])).toBe(d);
    const flat = buildDiagram(normalize({ id: "m", initial: "a", states: { a: {} } }));
    expect(collapseDiagram(flat, ["a"])).toBe(flat);
  });
});

describe("an SCXML initial naming deeper or several states", () => {
  it("draws no transient state: the container's initial dot points at the states it enters", () => {
    const r = importScxml(fs.readFileSync("test/fixtures/scxml/initial-element.scxml", "utf8"), "initial-element.scxml");
    const d = buildDiagram(normalize(r.definition as MachineDefinition));
    expect(d.nodes.some((n) => n.id.includes(":initial"))).toBe(false);
    expect(d.edges.some((e) => e.source.includes(":initial") || e.target.includes(":initial"))).toBe(false);
    expect(d.edges.filter((e) => e.source === initialNodeId("top.par")).map((e) => e.target)).toEqual(["top.par.pp.left.l2", "top.par.pp.right.r2"]);
    expect(d.edges.filter((e) => e.source === initialNodeId("top")).map((e) => e.target)).toEqual(["top.mid.deep"]);
  });
});
