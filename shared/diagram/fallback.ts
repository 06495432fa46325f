/**
 * The layout used when elk fails or takes too long: states in columns by their distance from the
 * initial state, edges as straight segments between box sides (self-loops as a small loop above).
 */
import type { Diagram } from "./diagram";
import { INITIAL_NODE } from "./diagram";
import type { Direction, Layout, Point } from "./layout";
import { dict } from "../dict";

export function fallbackLayout(d: Diagram, direction: Direction, reason?: string, engine: "fallback" | "quick" = "fallback"): Layout {
  const depth = new Map<string, number>();
  const first = d.edges.find((e) => e.source === INITIAL_NODE)?.target;
  depth.set(INITIAL_NODE, 0);
  if (first) depth.set(first, 1);
  const queue = first ? [first] : [];
  while (queue.length) {
    const s = queue.shift() as string;
    for (const e of d.edges) {
      if (e.source !== s || depth.has(e.target)) continue;
      depth.set(e.target, (depth.get(s) ?? 0) + 1);
      queue.push(e.target);
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  for (const n of d.nodes) if (!depth.has(n.id)) depth.set(n.id, n.kind === "any" ? 0 : maxDepth + 1);
  const colWidth = Math.max(...d.nodes.map((n) => n.width), ...d.edges.map((e) => e.labelWidth)) + 60;
  const rowHeight = Math.max(...d.edges.map((e) => e.labelHeight), 0) + 90;
  const rows = new Map<number, number>();
  const layout: Layout = { nodes: dict(), edges: dict(), engine };
  if (reason !== undefined) layout.error = reason;
  for (const n of d.nodes) {
    const col = depth.get(n.id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    const [x, y] = direction === "RIGHT" ? [col * colWidth, row * rowHeight] : [row * colWidth, col * rowHeight];
    layout.nodes[n.id] = { x, y, width: n.width, height: n.height };
  }
  for (const e of d.edges) {
    const a = layout.nodes[e.source];
    const b = layout.nodes[e.target];
    if (!a || !b) continue;
    let points: Point[];
    if (e.selfLoop) {
      const cx = a.x + a.width / 2;
      points = [
        { x: cx - 18, y: a.y },
        { x: cx - 18, y: a.y - 28 },
        { x: cx + 18, y: a.y - 28 },
        { x: cx + 18, y: a.y },
      ];
    } else {
      points = [
        { x: a.x + a.width / 2, y: a.y + a.height / 2 },
        { x: b.x + b.width / 2, y: b.y + b.height / 2 },
      ];
    }
    const mid = points[Math.floor(points.length / 2) - (points.length % 2 === 0 ? 1 : 0)] ?? points[0] ?? { x: 0, y: 0 };
    const next = points[Math.floor(points.length / 2)] ?? mid;
    layout.edges[e.id] = e.labelWidth
      ? { points, label: { x: (mid.x + next.x) / 2 - e.labelWidth / 2, y: (mid.y + next.y) / 2 - e.labelHeight - 4, width: e.labelWidth, height: e.labelHeight } }
      : { points };
  }
  return layout;
}
