/**
 * One picture of a machine for every export format: the diagram's states and edges (shared with
 * the app: diagram.ts), and for the observed variant each edge's count and verdict, each state's
 * dwell, and what was never seen. Pure.
 */
import { ANY_NODE, edgeLabelSize, stateBoxWidth, type Diagram, type DiagramEdge, type DiagramNode } from "../diagram";
import type { LayoutRequest } from "../layout";
import { edgeKey } from "../../trace/stats";
import { pairKey, type ObservedMachine } from "./observed";
import { formatDurationShort } from "../../trace/time";
import { CONFIGURATION_SEPARATOR, isWithin } from "../../machine/chart";

export type ExportVariant = "declared" | "observed";

export interface ExportNode {
  id: string;
  kind: DiagramNode["kind"];
  label: string;
  final: boolean;
  /** Extra lines under the name: events handled in place, dwell. */
  notes: string[];
  /** Declared but never seen (observed variant). */
  unseen: boolean;
  width: number;
  height: number;
  /** Statecharts: the container (a compound or parallel state's id) this node is drawn inside. */
  parent?: string;
  /** Statecharts: this state holds children, one at a time ("compound") or all at once ("parallel": its children are regions). */
  container?: "compound" | "parallel";
  /** Statecharts: a region of a parallel state. */
  region?: boolean;
  /** A history node: H (shallow) or H* (deep). */
  history?: "shallow" | "deep";
}

export interface ExportEdge {
  id: string;
  source: string;
  target: string;
  labels: string[];
  /** How often it was seen (observed variant), 0 otherwise. */
  count: number;
  /** Seen but not declared (drawn dashed, marked). */
  undeclared: boolean;
  unseen: boolean;
  auto: boolean;
  fromAny: boolean;
  labelWidth: number;
  labelHeight: number;
}

export interface ExportPicture {
  title: string;
  nodes: ExportNode[];
  edges: ExportEdge[];
  variant: ExportVariant;
  /** The files it was observed in, only when the user asked for them (paths can name hosts and people). */
  sources?: string[];
}

/** Observed counts of a diagram edge: the sum over the from→to pairs it stands for. */
function countOf(e: DiagramEdge, o: ObservedMachine): number {
  let n = 0;
  const froms = e.source === ANY_NODE || e.members.length > 1 ? e.members : [e.source];
  for (const f of froms) n += o.edges.get(pairKey(f, e.target))?.count ?? 0;
  return n;
}

/** Statecharts: a state was seen when it, or a state inside it, was part of a configuration seen. */
function seenStates(d: Diagram, observed: ObservedMachine): (id: string) => boolean {
  if (!d.nodes.some((n) => n.parent !== undefined || n.container !== undefined)) return (id) => observed.seen.has(id);
  const leaves = [...observed.seen].flatMap((s) => s.split(CONFIGURATION_SEPARATOR));
  return (id) => observed.seen.has(id) || leaves.some((l) => isWithin(l, id));
}

export function exportPicture(title: string, d: Diagram, observed?: ObservedMachine): ExportPicture {
  const seen = observed ? seenStates(d, observed) : undefined;
  const markers = new Set(d.nodes.filter((n) => n.kind === "initial").map((n) => n.id));
  const nodes: ExportNode[] = d.nodes.map((n) => {
    const notes = n.internal?.length ? [n.internal.join(" · ")] : [];
    const dw = observed?.dwell.get(n.id);
    if (dw && n.kind === "state") notes.push(`p50 ${formatDurationShort(dw.p50)} · p95 ${formatDurationShort(dw.p95)}`);
    const height = n.height - (n.internal?.length ? 14 : 0) + notes.length * 14;
    const width = Math.max(n.width, ...notes.map((t) => Math.round(30 + t.length * 6)));
    const node: ExportNode = { id: n.id, kind: n.kind, label: n.kind === "fanin" ? `${n.label}: ${(n.members ?? []).join(", ")}` : n.label, final: n.final, notes, unseen: seen !== undefined && n.kind === "state" && !seen(n.id), width, height };
    if (n.parent !== undefined) node.parent = n.parent;
    if (n.container !== undefined) node.container = n.container;
    if (n.region === true) node.region = true;
    if (n.history !== undefined) node.history = n.history;
    return node;
  });
  const edges: ExportEdge[] = d.edges.map((e) => {
    const count = observed && !markers.has(e.source) ? countOf(e, observed) : 0;
    const labels = count > 0 ? [...e.labels, `×${count}`] : e.labels;
    return { id: e.id, source: e.source, target: e.target, labels, count, undeclared: false, unseen: observed !== undefined && !markers.has(e.source) && count === 0, auto: e.auto, fromAny: e.fromAny, ...edgeLabelSize(labels) };
  });
  if (observed) {
    const known = new Set(nodes.map((n) => n.id));
    for (const o of observed.edges.values()) {
      if (o.verdict !== "undeclared" && o.verdict !== "unknown-state") continue;
      for (const s of [o.from, o.to]) {
        if (known.has(s)) continue;
        known.add(s);
        nodes.push({ id: s, kind: "state", label: s, final: false, notes: ["not a state of the machine"], unseen: false, width: stateBoxWidth(s), height: 64 });
      }
      const labels = [`undeclared ×${o.count}`];
      edges.push({ id: `${edgeKey(o.from, o.to)}#observed`, source: o.from, target: o.to, labels, count: o.count, undeclared: true, unseen: false, auto: false, fromAny: false, ...edgeLabelSize(labels) });
    }
  }
  return { title, nodes, edges, variant: observed ? "observed" : "declared" };
}

/** Does the picture have containers (a statechart's hierarchy)? */
export function isNested(p: ExportPicture): boolean {
  return p.nodes.some((n) => n.parent !== undefined || n.container !== undefined);
}

/** What elk needs to lay the picture out (the app's diagram, plus what only the observation has; a statechart's containers). */
export function pictureLayoutRequest(p: ExportPicture, key: string, direction: LayoutRequest["direction"]): LayoutRequest {
  return {
    key,
    direction,
    nodes: p.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height, ...(n.parent !== undefined ? { parent: n.parent } : {}), ...(n.container ? { container: n.container } : {}) })),
    edges: p.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, labelWidth: e.labelWidth, labelHeight: e.labelHeight })),
  };
}
