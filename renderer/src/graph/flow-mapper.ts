/**
 * Pure mappers from the diagram and what the session observed to what xyflow draws. Split in two
 * for speed: `mapStatic` gives the nodes and edges (positions, names, labels) — they change only
 * with the layout or when a new undeclared transition appears — and `liveDecorations` gives what
 * moves with each observation (the lit state, counts, the pulse), which nodes and edges read from
 * their own store, so one transition re-renders the few elements it touches, not the machine.
 */
import type { Edge as FlowEdge, Node as FlowNode } from "@xyflow/react";
import type { ObservedEdge, SessionModel } from "../../../shared/trace/session-model";
import type { Pulse } from "./use-pulse";
import { edgeKey, parseEdgeKey, summarize } from "../../../shared/trace/stats";
import { INITIAL_NODE, edgeForTransition, ghostEnds, litNodes, type Diagram } from "../../../shared/diagram/diagram";
import type { Box, Layout, Point } from "../../../shared/diagram/layout";
import { dict, get } from "../../../shared/dict";
import { parseIsoMs } from "../../../shared/trace/time";
import type { Overlays } from "../store/ui-slice";

export interface StateNodeData extends Record<string, unknown> {
  name: string;
  final: boolean;
  initial: boolean;
  /** Events handled in place (targetless transitions). */
  internal?: string[];
  /** Statecharts: the state's path (its node id) and the machine's id, to collapse or expand it. */
  path?: string;
  machine?: string;
  /** A collapsed container: how many states it hides. */
  collapsed?: number;
}

/** A compound or parallel state drawn around its children (statecharts). */
export interface ContainerNodeData extends Record<string, unknown> {
  name: string;
  path: string;
  machine: string;
  kind: "compound" | "parallel";
  /** A region of a parallel state: drawn with a dashed border, beside its siblings. */
  region: boolean;
  /** How many states it holds (shown when collapsed). */
  holds: number;
}

export interface MarkerNodeData extends Record<string, unknown> {
  label: string;
  members?: string[];
}

export interface TransitionEdgeData extends Record<string, unknown> {
  points: Point[];
  label?: Box;
  lines: string[];
  ghost: boolean;
  auto: boolean;
  internal: boolean;
  fromAny: boolean;
  selfLoop: boolean;
  title: string;
}

export type StateFlowNode = FlowNode<StateNodeData, "state">;
export type ContainerFlowNode = FlowNode<ContainerNodeData, "container">;
export type MarkerFlowNode = FlowNode<MarkerNodeData, "initial" | "any" | "fanin" | "history">;
export type MachineFlowNode = StateFlowNode | ContainerFlowNode | MarkerFlowNode;
export type TransitionFlowEdge = FlowEdge<TransitionEdgeData, "transition">;

/** What a state shows that changes as things happen. */
export interface NodeLive {
  current: boolean;
  /** Statecharts: a container around the lit state(s), lit lighter. */
  within?: boolean;
  /** Instances in this state (multi-instance sessions, badges overlay). */
  instances?: number;
  /** How long those instances have been here: the median and 95th percentile (ms), when their times are known. */
  spread?: { p50Ms: number; p95Ms: number };
  /** How many of them are stuck (past the state's limit). */
  stuck?: number;
  dwell?: { p50Ms: number; p95Ms: number; count: number };
  /** Since when the selected instance is here (for the live timer), when current. */
  since?: string;
  sinceObserved?: boolean;
  unseen: boolean;
  /** Transitions collapsed into the running animation (they arrived faster than it ran). */
  queued: number;
}

/** What an edge shows that changes as things happen. */
export interface EdgeLive {
  count: number;
  /** Stroke width from frequency (counts overlay). */
  weight: number;
  showCount: boolean;
  unseen: boolean;
  active: boolean;
  /** Changes each time a transition along this edge should pulse. */
  pulse: number;
}

export interface Live {
  nodes: Record<string, NodeLive>;
  edges: Record<string, EdgeLive>;
}

function center(b: Box): Point {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Where the segment from the box's centre towards `to` leaves the box. */
function exitPoint(b: Box, to: Point): Point {
  const c = center(b);
  const dx = to.x - c.x;
  const dy = to.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const sx = dx === 0 ? Infinity : b.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

function weightOf(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 1.5;
  return 1.5 + 4 * (Math.log(1 + count) / Math.log(1 + max));
}

/** Observed from→to keys the machine does not declare (drawn as ghost edges when that overlay is on). */
/** The parts of a session's model the diagram reads (a batch that changes none of them does not draw it again). */
export type DiagramModel = Pick<SessionModel, "instances" | "instanceOrder" | "edges" | "dwell">;

export function ghostKeys(diagram: Diagram, model: DiagramModel | undefined): string[] {
  return Object.values(model?.edges ?? {})
    .filter((o) => o.verdict === "undeclared" && !(diagram.chart ? edgeForTransition(diagram, o.from, o.to) : diagram.edges.some((e) => e.source === o.from && e.target === o.to)))
    .map((o) => edgeKey(o.from, o.to))
    .sort();
}

/** The flow edge id of a ghost edge. */
const ghostId = (from: string, to: string): string => `ghost:${edgeKey(from, to)}`;

export function mapStatic(diagram: Diagram, layout: Layout, ghosts: readonly string[], machine = ""): { nodes: MachineFlowNode[]; edges: TransitionFlowEdge[] } {
  const nodes: MachineFlowNode[] = [];
  // Statecharts: a child is placed relative to its container (xyflow's parent nodes), which comes first.
  const holds = new Map<string, number>();
  for (const n of diagram.nodes) {
    if (n.kind !== "state") continue;
    for (let p = n.parent; p !== undefined; p = diagram.nodes.find((x) => x.id === p)?.parent) holds.set(p, (holds.get(p) ?? 0) + 1);
  }
  const placed = new Set<string>();
  for (const n of diagram.nodes) {
    const box = layout.nodes[n.id];
    if (!box) continue;
    const parentBox = n.parent !== undefined && placed.has(n.parent) ? layout.nodes[n.parent] : undefined;
    const position = parentBox ? { x: box.x - parentBox.x, y: box.y - parentBox.y } : { x: box.x, y: box.y };
    const inside = parentBox && n.parent !== undefined ? { parentId: n.parent } : {};
    placed.add(n.id);
    if (n.kind !== "state") {
      const data: MarkerNodeData = { label: n.label };
      if (n.members) data.members = n.members;
      const aria = n.kind === "any" ? "Any state (root-level transitions)" : n.kind === "fanin" ? `Any of ${n.members?.join(", ")}` : n.kind === "history" ? `History (${n.history ?? "shallow"}) of ${n.parent ?? "the machine"}` : "Initial state marker";
      nodes.push({ id: n.id, type: n.kind, position, ...inside, data, width: box.width, height: box.height, selectable: false, ariaLabel: aria });
      continue;
    }
    if (n.container) {
      const data: ContainerNodeData = { name: n.label, path: n.id, machine, kind: n.container, region: n.region === true, holds: holds.get(n.id) ?? 0 };
      nodes.push({ id: n.id, type: "container", position, ...inside, data, width: box.width, height: box.height, selectable: false, ariaLabel: `${n.container === "parallel" ? "Parallel state" : n.region ? "Region" : "State"} ${n.label}, holding ${data.holds} state${data.holds === 1 ? "" : "s"}` });
      continue;
    }
    const initial = diagram.edges.some((e) => e.source.startsWith(INITIAL_NODE) && e.target === n.id);
    const data: StateNodeData = { name: n.label, final: n.final, initial };
    if (n.internal) data.internal = n.internal;
    if (diagram.chart) Object.assign(data, { path: n.id, machine });
    if (n.collapsed !== undefined) data.collapsed = n.collapsed;
    const aria = `State ${n.label}${n.final ? ", final" : ""}${n.collapsed !== undefined ? `, collapsed, holding ${n.collapsed} states` : ""}`;
    nodes.push({ id: n.id, type: "state", position, ...inside, data, width: box.width, height: box.height, ariaLabel: aria });
  }

  const edges: TransitionFlowEdge[] = [];
  for (const e of diagram.edges) {
    const route = layout.edges[e.id];
    if (!route) continue;
    const data: TransitionEdgeData = {
      points: route.points,
      lines: e.labels,
      ghost: false,
      auto: e.auto,
      internal: e.internal,
      fromAny: e.fromAny,
      selfLoop: e.selfLoop,
      title: e.transitions.map((t) => t.description).filter(Boolean).join("; "),
    };
    if (route.label) data.label = route.label;
    edges.push({
      id: e.id,
      type: "transition",
      source: e.source,
      target: e.target,
      data,
      selectable: false,
      ariaLabel: e.source === INITIAL_NODE ? `Initial transition to ${e.target}` : `Transition ${e.fromAny ? "from any state" : e.source} to ${e.target} on ${e.labels.join(", ")}`,
    });
  }

  for (const key of ghosts) {
    const { from, to } = parseEdgeKey(key);
    // A statechart's configurations: drawn between the states that changed.
    const ends = ghostEnds(diagram, from, to);
    const a = ends && layout.nodes[ends[0]];
    const b = ends && layout.nodes[ends[1]];
    if (!ends || !a || !b) continue;
    const start = exitPoint(a, center(b));
    const end = exitPoint(b, center(a));
    // Bowed well clear of the straight line, where declared edges and states usually are.
    const mid = { x: (start.x + end.x) / 2 + (end.y - start.y) * 0.35, y: (start.y + end.y) / 2 - (end.x - start.x) * 0.35 };
    edges.push({
      id: ghostId(from, to),
      type: "transition",
      source: ends[0],
      target: ends[1],
      data: {
        points: [start, mid, end],
        label: { x: mid.x - 60, y: mid.y - 10, width: 120, height: 20 },
        lines: ["undeclared"],
        ghost: true,
        auto: false,
        internal: false,
        fromAny: false,
        selfLoop: false,
        title: `Observed, but the machine declares no transition ${from} → ${to}.`,
      },
      selectable: false,
      ariaLabel: `Undeclared transition ${from} to ${to}`,
    });
  }
  return { nodes, edges };
}

export interface LiveInput {
  diagram: Diagram;
  model: DiagramModel | undefined;
  instance: string | undefined;
  overlays: Overlays;
  pulse: Pulse | undefined;
  /** The view's clock (for how long instances have been in their states). */
  now?: number | undefined;
  /** Stuck instances per state. */
  stuck?: ReadonlyMap<string, number> | undefined;
}

export function liveDecorations({ diagram, model, instance, overlays, pulse, now, stuck }: LiveInput): Live {
  const inst = instance && model ? get(model.instances, instance) : undefined;
  const lit = litNodes(diagram, inst?.state);
  const observed = model?.edges ?? dict<ObservedEdge>();
  const anyObserved = Object.keys(observed).length > 0;
  const multi = (model?.instanceOrder.length ?? 0) > 1;
  const perState = new Map<string, number>();
  const timesIn = new Map<string, number[]>();
  const seenStates = new Set<string>();
  const spreads = overlays.badges && multi && now !== undefined && Number.isFinite(now);
  const statesOf = (state: string): Iterable<string> => {
    if (!diagram.chart) return [state];
    const l = litNodes(diagram, state);
    return [...l.current, ...l.within];
  };
  for (const id of model?.instanceOrder ?? []) {
    const inst = model ? get(model.instances, id) : undefined;
    const state = inst?.state;
    if (!state) continue;
    const sinceMs = spreads && inst.since !== undefined ? parseIsoMs(inst.since) : undefined;
    // Statecharts: an instance counts in every state it is in, containers included.
    for (const s of statesOf(state)) {
      seenStates.add(s);
      perState.set(s, (perState.get(s) ?? 0) + 1);
      if (sinceMs !== undefined && now !== undefined) {
        let list = timesIn.get(s);
        if (!list) timesIn.set(s, (list = []));
        list.push(Math.max(0, now - sinceMs));
      }
    }
  }
  for (const e of Object.values(observed)) {
    for (const s of statesOf(e.from)) seenStates.add(s);
    for (const s of statesOf(e.to)) seenStates.add(s);
  }
  const pulseTarget = pulse?.to;

  const nodes: Record<string, NodeLive> = dict();
  for (const n of diagram.nodes) {
    if (n.kind !== "state") continue;
    const isCurrent = lit.current.has(n.id);
    const live: NodeLive = { current: isCurrent, ...(lit.within.has(n.id) ? { within: true } : {}), unseen: overlays.unseen && anyObserved && !seenStates.has(n.id), queued: pulse && pulseTarget === n.id ? pulse.queued : 0 };
    if (overlays.badges && multi) {
      live.instances = perState.get(n.id) ?? 0;
      const times = timesIn.get(n.id);
      if (times?.length) {
        const d = summarize(times);
        // Rounded to the second: the node is drawn again when that changes, not at every tick.
        live.spread = { p50Ms: Math.round(d.p50Ms / 1000) * 1000, p95Ms: Math.round(d.p95Ms / 1000) * 1000 };
      }
      const stuckHere = stuck?.get(n.id);
      if (stuckHere) live.stuck = stuckHere;
    }
    const samples = model ? get(model.dwell, n.id) : undefined;
    if (overlays.dwell && samples?.length) {
      const d = summarize(samples);
      live.dwell = { p50Ms: d.p50Ms, p95Ms: d.p95Ms, count: d.count };
    }
    if (isCurrent && inst?.since) {
      live.since = inst.since;
      live.sinceObserved = inst.sinceObserved === true;
    }
    nodes[n.id] = live;
  }

  // Observed transitions, each counted on the edge that draws it (direct, a fan-in's, any state's, or a ghost).
  const counts = new Map<string, number>();
  for (const o of Object.values(observed)) {
    const id = edgeForTransition(diagram, o.from, o.to)?.id ?? ghostId(o.from, o.to);
    counts.set(id, (counts.get(id) ?? 0) + o.count);
  }
  const max = Math.max(0, ...counts.values());
  const last = inst?.last;
  const idFor = (from: string, to: string): string => edgeForTransition(diagram, from, to)?.id ?? ghostId(from, to);
  const activeId = last ? idFor(last.from, last.to) : undefined;
  const pulseId = pulse ? idFor(pulse.from, pulse.to) : undefined;
  const edges: Record<string, EdgeLive> = dict();
  const ids = [...diagram.edges.map((e) => e.id), ...ghostKeys(diagram, model).map((k) => `ghost:${k}`)];
  for (const id of ids) {
    const count = counts.get(id) ?? 0;
    const ghost = id.startsWith("ghost:");
    edges[id] = {
      count,
      weight: overlays.counts ? weightOf(count, max) : 1.5,
      showCount: (overlays.counts || ghost) && count > 0,
      unseen: overlays.unseen && anyObserved && count === 0 && !id.startsWith(INITIAL_NODE),
      active: id === activeId,
      pulse: pulse && id === pulseId ? pulse.seq : 0,
    };
  }
  return { nodes, edges };
}
