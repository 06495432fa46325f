/**
 * Pure mapper from (diagram, layout, what the session observed, overlays) to xyflow nodes and
 * edges. React only draws what this returns; memoised components compare the data it builds.
 */
import type { Edge as FlowEdge, Node as FlowNode } from "@xyflow/react";
import type { SessionModel } from "../../../shared/trace/session-model";
import { summarize } from "../../../shared/trace/stats";
import { INITIAL_NODE, edgeForTransition, type Diagram } from "./diagram";
import type { Box, Layout, Point } from "./layout/types";

export interface Overlays {
  counts: boolean;
  dwell: boolean;
  ghosts: boolean;
  unseen: boolean;
  badges: boolean;
}

export const DEFAULT_OVERLAYS: Overlays = { counts: true, dwell: false, ghosts: true, unseen: false, badges: true };

export interface StateNodeData extends Record<string, unknown> {
  name: string;
  final: boolean;
  initial: boolean;
  current: boolean;
  /** Instances in this state (multi-instance sessions, badges overlay). */
  instances?: number;
  dwell?: { p50Ms: number; p95Ms: number; count: number };
  /** Since when the selected instance is here (for the live timer), when current. */
  since?: string;
  sinceObserved?: boolean;
  unseen: boolean;
  /** Transitions collapsed into the last animation (arrived faster than it ran). */
  queued: number;
}

export interface MarkerNodeData extends Record<string, unknown> {
  label: string;
  members?: string[];
}

export interface TransitionEdgeData extends Record<string, unknown> {
  points: Point[];
  label?: Box;
  lines: string[];
  count: number;
  /** Stroke width from frequency (counts overlay). */
  weight: number;
  showCount: boolean;
  ghost: boolean;
  unseen: boolean;
  active: boolean;
  /** Changes each time a transition along this edge should pulse. */
  pulse: number;
  auto: boolean;
  internal: boolean;
  fromAny: boolean;
  selfLoop: boolean;
  title: string;
}

export type StateFlowNode = FlowNode<StateNodeData, "state">;
export type MarkerFlowNode = FlowNode<MarkerNodeData, "initial" | "any" | "fanin">;
export type MachineFlowNode = StateFlowNode | MarkerFlowNode;
export type TransitionFlowEdge = FlowEdge<TransitionEdgeData, "transition">;

export interface MapInput {
  diagram: Diagram;
  layout: Layout;
  model: SessionModel | undefined;
  instance: string | undefined;
  overlays: Overlays;
  /** The transition being animated (the selected instance's last one) and how many were collapsed into it. */
  pulse: { key: string; seq: number; queued: number } | undefined;
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

export function mapToFlow(input: MapInput): { nodes: MachineFlowNode[]; edges: TransitionFlowEdge[] } {
  const { diagram, layout, model, instance, overlays, pulse } = input;
  const inst = instance ? model?.instances[instance] : undefined;
  const current = inst?.state;
  const observed = model?.edges ?? {};
  const anyObserved = Object.keys(observed).length > 0;
  const multi = (model?.instanceOrder.length ?? 0) > 1;
  const perState = new Map<string, number>();
  if (model && multi) for (const id of model.instanceOrder) {
    const s = model.instances[id]?.state;
    if (s) perState.set(s, (perState.get(s) ?? 0) + 1);
  }
  const seenStates = new Set<string>();
  for (const e of Object.values(observed)) {
    seenStates.add(e.from);
    seenStates.add(e.to);
  }
  for (const id of model?.instanceOrder ?? []) {
    const s = model?.instances[id]?.state;
    if (s) seenStates.add(s);
  }
  const pulseTarget = pulse ? pulse.key.split("->")[1] : undefined;

  const nodes: MachineFlowNode[] = [];
  for (const n of diagram.nodes) {
    const box = layout.nodes[n.id];
    if (!box) continue;
    const position = { x: box.x, y: box.y };
    if (n.kind !== "state") {
      const data: MarkerNodeData = { label: n.label };
      if (n.members) data.members = n.members;
      const aria = n.kind === "any" ? "Any state (root-level transitions)" : n.kind === "fanin" ? `Any of ${n.members?.join(", ")}` : "Initial state marker";
      nodes.push({ id: n.id, type: n.kind, position, data, width: box.width, height: box.height, selectable: false, ariaLabel: aria });
      continue;
    }
    const data: StateNodeData = {
      name: n.label,
      final: n.final,
      initial: diagram.edges.some((e) => e.source === INITIAL_NODE && e.target === n.id),
      current: n.id === current,
      unseen: overlays.unseen && anyObserved && !seenStates.has(n.id),
      queued: pulse && pulseTarget === n.id ? pulse.queued : 0,
    };
    if (overlays.badges && multi) data.instances = perState.get(n.id) ?? 0;
    if (overlays.dwell && model?.dwell[n.id]?.length) {
      const d = summarize(model.dwell[n.id] ?? []);
      data.dwell = { p50Ms: d.p50Ms, p95Ms: d.p95Ms, count: d.count };
    }
    if (n.id === current && inst?.since) {
      data.since = inst.since;
      data.sinceObserved = inst.sinceObserved === true;
    }
    nodes.push({ id: n.id, type: "state", position, data, width: box.width, height: box.height, ariaLabel: `State ${n.label}${n.id === current ? " (current)" : ""}${n.final ? ", final" : ""}` });
  }

  // Observed transitions, each counted on the edge that draws it (direct, or a group's / any state's).
  const counts = new Map<string, number>();
  for (const o of Object.values(observed)) {
    const e = edgeForTransition(diagram, o.from, o.to);
    if (e) counts.set(e.id, (counts.get(e.id) ?? 0) + o.count);
  }
  const max = Math.max(0, ...counts.values());
  const last = inst?.last;
  const lastKey = last ? `${last.from}->${last.to}` : undefined;
  const lastEdgeId = last ? edgeForTransition(diagram, last.from, last.to)?.id : undefined;
  const [pulseFrom, pulseTo] = pulse ? (pulse.key.split("->") as [string, string]) : ["", ""];
  const pulseEdgeId = pulse ? edgeForTransition(diagram, pulseFrom, pulseTo)?.id : undefined;

  const edges: TransitionFlowEdge[] = [];
  for (const e of diagram.edges) {
    const route = layout.edges[e.id];
    if (!route) continue;
    const count = counts.get(e.id) ?? 0;
    const data: TransitionEdgeData = {
      points: route.points,
      lines: e.labels,
      count,
      weight: overlays.counts ? weightOf(count, max) : 1.5,
      showCount: overlays.counts && count > 0,
      ghost: false,
      unseen: overlays.unseen && anyObserved && count === 0 && e.source !== INITIAL_NODE,
      active: e.id === lastEdgeId,
      pulse: pulse && pulseEdgeId === e.id ? pulse.seq : 0,
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
      ariaLabel: e.source === INITIAL_NODE ? `Initial transition to ${e.target}` : `Transition ${e.fromAny ? "from any state" : e.source} to ${e.target} on ${e.labels.join(", ")}${count ? `, seen ${count} times` : ""}`,
    });
  }

  if (overlays.ghosts) {
    for (const o of Object.values(observed)) {
      if (o.verdict !== "undeclared") continue;
      const a = layout.nodes[o.from];
      const b = layout.nodes[o.to];
      if (!a || !b || diagram.edges.some((e) => e.id === `${o.from}->${o.to}`)) continue;
      const start = exitPoint(a, center(b));
      const end = exitPoint(b, center(a));
      const mid = { x: (start.x + end.x) / 2 + (end.y - start.y) * 0.15, y: (start.y + end.y) / 2 - (end.x - start.x) * 0.15 };
      const key = `ghost:${o.from}->${o.to}`;
      edges.push({
        id: key,
        type: "transition",
        source: o.from,
        target: o.to,
        data: {
          points: [start, mid, end],
          label: { x: mid.x - 60, y: mid.y - 10, width: 120, height: 20 },
          lines: [`undeclared ×${o.count}`],
          count: o.count,
          weight: 2,
          showCount: false,
          ghost: true,
          unseen: false,
          active: lastKey === `${o.from}->${o.to}`,
          pulse: pulse?.key === `${o.from}->${o.to}` ? pulse.seq : 0,
          auto: false,
          internal: false,
          fromAny: false,
          selfLoop: false,
          title: `Observed ${o.count} time(s), but the machine declares no transition ${o.from} → ${o.to}.`,
        },
        selectable: false,
        ariaLabel: `Undeclared transition ${o.from} to ${o.to}, seen ${o.count} times`,
      });
    }
  }
  return { nodes, edges };
}
