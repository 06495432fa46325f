/** Our layout request as an elk graph, and elk's answer as our Layout (pure). */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Layout, LayoutRequest, Point } from "./types";

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

export function toElk(req: LayoutRequest): ElkNode {
  return {
    id: "root",
    layoutOptions: { ...ELK_OPTIONS, "elk.direction": req.direction },
    children: req.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: req.edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.source],
        targets: [e.target],
        labels: e.labelWidth > 0 ? [{ id: `${e.id}#label`, text: e.id, width: e.labelWidth, height: e.labelHeight }] : [],
      }),
    ),
  };
}

export function fromElk(graph: ElkNode, ms: number): Layout {
  const layout: Layout = { nodes: {}, edges: {}, engine: "elk", ms };
  for (const c of graph.children ?? []) layout.nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
  for (const e of (graph.edges ?? []) as ElkExtendedEdge[]) {
    const section = e.sections?.[0];
    if (!section) continue;
    const points: Point[] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
    const l = e.labels?.[0];
    layout.edges[e.id] = l ? { points, label: { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : { points };
  }
  return layout;
}
