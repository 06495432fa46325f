/** Our layout request as an elk graph, and elk's answer as our Layout (pure). */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Diagram } from "./diagram";
import type { Direction, Layout, LayoutRequest, Point } from "./layout";
import { dict } from "../dict";

export const ELK_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.spacing.nodeNode": "46",
  "elk.spacing.edgeNode": "22",
  "elk.spacing.edgeEdge": "14",
  "elk.spacing.edgeLabel": "4",
  "elk.layered.spacing.edgeNodeBetweenLayers": "22",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "12",
  "elk.edgeLabels.placement": "CENTER",
  "elk.layered.edgeLabels.sideSelection": "SMART_DOWN",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
  "elk.layered.crossingMinimization.forceNodeModelOrder": "false",
  "elk.layered.thoroughness": "7",
  "elk.padding": "[top=24,left=24,bottom=24,right=24]",
};

/**
 * For large machines, elk's careful settings cost seconds (network-simplex node placement, label
 * dummy nodes): use its fast ones, and place labels ourselves on the routes afterwards.
 */
export const FAST_OPTIONS: Record<string, string> = {
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.thoroughness": "1",
  "elk.layered.crossingMinimization.greedySwitch.type": "OFF",
  "elk.layered.considerModelOrder.strategy": "NONE",
  "elk.layered.cycleBreaking.strategy": "GREEDY",
};

/** What elk needs of a diagram: the sizes of its boxes and labels, and who links to whom. */
export function layoutRequest(d: Diagram, direction: Direction): LayoutRequest {
  return {
    key: d.key,
    direction,
    nodes: d.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: d.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, labelWidth: e.labelWidth, labelHeight: e.labelHeight })),
  };
}

/** Above this size a diagram is laid out with FAST_OPTIONS. */
export function isLarge(req: LayoutRequest): boolean {
  return req.nodes.length > 30 || req.edges.length > 80;
}

export function toElk(req: LayoutRequest): ElkNode {
  const large = isLarge(req);
  return {
    id: "root",
    layoutOptions: { ...ELK_OPTIONS, ...(large ? FAST_OPTIONS : {}), "elk.direction": req.direction },
    children: req.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: req.edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.source],
        targets: [e.target],
        labels: e.labelWidth > 0 && !large ? [{ id: `${e.id}#label`, text: e.id, width: e.labelWidth, height: e.labelHeight }] : [],
      }),
    ),
  };
}

/** A label box centred on the middle of the route's longest segment (for labels elk did not place). */
export function labelOnRoute(points: Point[], width: number, height: number): { x: number; y: number; width: number; height: number } {
  let best = 0;
  let at = { x: points[0]?.x ?? 0, y: points[0]?.y ?? 0 };
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Point;
    const b = points[i] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len > best) {
      best = len;
      at = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
  }
  return { x: at.x - width / 2, y: at.y - height / 2, width, height };
}

export function fromElk(graph: ElkNode, ms: number, req?: LayoutRequest): Layout {
  const layout: Layout = { nodes: dict(), edges: dict(), engine: "elk", ms };
  for (const c of graph.children ?? []) layout.nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
  for (const e of (graph.edges ?? []) as ElkExtendedEdge[]) {
    const section = e.sections?.[0];
    if (!section) continue;
    const points: Point[] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
    const l = e.labels?.[0];
    const wanted = req?.edges.find((x) => x.id === e.id);
    if (l) layout.edges[e.id] = { points, label: { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } };
    else if (wanted && wanted.labelWidth > 0) layout.edges[e.id] = { points, label: labelOnRoute(points, wanted.labelWidth, wanted.labelHeight) };
    else layout.edges[e.id] = { points };
  }
  return layout;
}
