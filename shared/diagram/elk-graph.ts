/** Our layout request as an elk graph, and elk's answer as our Layout (pure). */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { INITIAL_NODE, type Diagram } from "./diagram";
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

/** What elk needs of a diagram: the sizes of its boxes and labels, who links to whom, and (statecharts) what is inside what. */
export function layoutRequest(d: Diagram, direction: Direction): LayoutRequest {
  return {
    key: d.key,
    direction,
    nodes: d.nodes.map((n) => ({
      id: n.id,
      // A container's title row: the collapse chevron, the name, "parallel" for a parallel state.
      width: n.container ? n.width + CONTAINER_CHEVRON + (n.container === "parallel" ? 72 : 0) : n.width,
      height: n.height,
      ...(n.parent !== undefined ? { parent: n.parent } : {}),
      ...(n.container ? { container: n.container } : {}),
    })),
    edges: d.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, labelWidth: e.labelWidth, labelHeight: e.labelHeight })),
  };
}

/** Above this size a diagram is laid out with FAST_OPTIONS. */
export function isLarge(req: LayoutRequest): boolean {
  return req.nodes.length > 30 || req.edges.length > 80;
}

/** The band at the top of a container that holds its title (its children are placed below it). */
export const CONTAINER_TITLE = 30;
/** The width of a container's collapse control in its title row. */
export const CONTAINER_CHEVRON = 30;
/** Space between a container's border and what it holds. */
export const CONTAINER_PAD = 18;

function elkEdge(e: LayoutRequest["edges"][number], large: boolean): ElkExtendedEdge {
  return {
    id: e.id,
    sources: [e.source],
    targets: [e.target],
    labels: e.labelWidth > 0 && !large ? [{ id: `${e.id}#label`, text: e.id, width: e.labelWidth, height: e.labelHeight }] : [],
  };
}

export function toElk(req: LayoutRequest): ElkNode {
  const large = isLarge(req);
  const nested = req.nodes.some((n) => n.parent !== undefined);
  const root: ElkNode = {
    id: "root",
    layoutOptions: { ...ELK_OPTIONS, ...(large ? FAST_OPTIONS : {}), "elk.direction": req.direction },
    children: [],
    edges: [],
  };
  if (!nested) {
    root.children = req.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height }));
    root.edges = req.edges.map((e) => elkEdge(e, large));
    return root;
  }
  // A statechart: containers hold their children; elk lays the levels out together (edges cross them).
  Object.assign(root.layoutOptions ?? {}, { "elk.hierarchyHandling": "INCLUDE_CHILDREN", "elk.json.shapeCoords": "ROOT", "elk.json.edgeCoords": "ROOT" });
  // Model-order options break elk inside nested graphs: a container breaks cycles depth-first from its initial marker instead.
  const inner: Record<string, string> = { "elk.layered.cycleBreaking.strategy": "DEPTH_FIRST" };
  for (const [k, v] of Object.entries(root.layoutOptions ?? {})) if (!/ModelOrder|cycleBreaking|hierarchyHandling|json\.|padding/.test(k)) inner[k] ??= v;
  const byId = new Map<string, ElkNode>();
  const parentOf = new Map<string, string>();
  const kinds = new Map<string, "compound" | "parallel">();
  for (const n of req.nodes) {
    const node: ElkNode = { id: n.id, width: n.width, height: n.height };
    // Each container's initial marker first in its container, where the reader starts.
    if (n.id.startsWith(INITIAL_NODE)) node.layoutOptions = { "elk.layered.layering.layerConstraint": "FIRST" };
    if (n.container) {
      kinds.set(n.id, n.container);
      node.children = [];
      node.edges = [];
      // elk reads most options from each graph's own node: a container gets the root's.
      node.layoutOptions = {
        ...inner,
        "elk.padding": `[top=${CONTAINER_TITLE + CONTAINER_PAD},left=${CONTAINER_PAD},bottom=${CONTAINER_PAD},right=${CONTAINER_PAD}]`,
        "elk.nodeSize.constraints": "MINIMUM_SIZE",
        "elk.nodeSize.minimum": `(${n.width}, ${n.height})`,
        // A parallel state's regions (no edges between them) all in its first layer: across the flow, side by side.
        ...(n.container === "parallel" ? { "elk.spacing.nodeNode": "0", "elk.separateConnectedComponents": "false" } : {}),
      };
    }
    byId.set(n.id, node);
  }
  for (const n of req.nodes) {
    const node = byId.get(n.id) as ElkNode;
    const parent = n.parent !== undefined ? byId.get(n.parent) : undefined;
    if (parent?.children) {
      parent.children.push(node);
      parentOf.set(n.id, n.parent as string);
    } else root.children?.push(node);
  }
  const chain = (id: string): string[] => {
    const out: string[] = [];
    for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) out.push(p);
    return out;
  };
  // An edge lives in the innermost container holding both its ends (a container and its own child: the container's parent).
  const home = (source: string, target: string): ElkNode => {
    const up = new Set(chain(source));
    for (const c of chain(target)) if (up.has(c) && c !== source && c !== target) return byId.get(c) ?? root;
    return root;
  };
  for (const e of req.edges) home(e.source, e.target).edges?.push(elkEdge(e, large));
  return root;
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
  const nested = req?.nodes.some((n) => n.parent !== undefined) === true;
  const wanted = new Map((req?.edges ?? []).map((e) => [e.id, e]));
  // Flat graphs: children relative to the root; nested ones were asked for in root coordinates.
  const visit = (node: ElkNode): void => {
    for (const c of node.children ?? []) {
      layout.nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
      if (nested) visit(c);
    }
    for (const e of (node.edges ?? []) as ElkExtendedEdge[]) {
      const section = e.sections?.[0];
      if (!section) continue;
      const points: Point[] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
      const l = e.labels?.[0];
      const w = wanted.get(e.id);
      if (l) layout.edges[e.id] = { points, label: { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } };
      else if (w && w.labelWidth > 0) layout.edges[e.id] = { points, label: labelOnRoute(points, w.labelWidth, w.labelHeight) };
      else layout.edges[e.id] = { points };
    }
  };
  visit(graph);
  if (nested && req) evenRegions(layout, req);
  return layout;
}

/** A parallel state's regions stretched to the same height (or width) across it, so the dividers between them run from border to border. */
export function evenRegions(layout: Layout, req: LayoutRequest): void {
  for (const p of req.nodes) {
    if (p.container !== "parallel") continue;
    const regions = req.nodes.filter((n) => n.parent === p.id).map((n) => layout.nodes[n.id]).filter((b): b is NonNullable<typeof b> => b !== undefined);
    if (regions.length === 0) continue;
    if (req.direction === "DOWN") {
      const top = Math.min(...regions.map((b) => b.y));
      const bottom = Math.max(...regions.map((b) => b.y + b.height));
      for (const b of regions) Object.assign(b, { y: top, height: bottom - top });
    } else {
      const left = Math.min(...regions.map((b) => b.x));
      const right = Math.max(...regions.map((b) => b.x + b.width));
      for (const b of regions) Object.assign(b, { x: left, width: right - left });
    }
  }
}
