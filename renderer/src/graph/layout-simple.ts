import { ANY_STATE, type NormalizedMachine } from "../../../shared/machine/normalize";

export interface Point {
  x: number;
  y: number;
}

/**
 * A quick layered layout: each state's column is its distance from the initial state; states no
 * path reaches go last. Used until (and whenever) the elk layout is not available.
 */
export function simpleLayout(m: NormalizedMachine, labelChars = 12, gapY = 150): Record<string, Point> {
  // Room for the longest label between two columns (≈7 px a character at 12 px) plus a node.
  const gapX = Math.max(240, 150 + labelChars * 7);
  const depth = new Map<string, number>([[m.initial, 0]]);
  const queue = [m.initial];
  while (queue.length) {
    const s = queue.shift() as string;
    const d = depth.get(s) ?? 0;
    for (const e of m.edges) {
      if (e.from !== s || e.targetless || depth.has(e.to)) continue;
      depth.set(e.to, d + 1);
      queue.push(e.to);
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  for (const s of m.states) if (!depth.has(s)) depth.set(s, maxDepth + 1);
  const rows = new Map<number, number>();
  const out: Record<string, Point> = {};
  for (const s of m.states) {
    const col = depth.get(s) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out[s] = { x: col * gapX, y: row * gapY + (m.edges.some((e) => e.from === ANY_STATE) ? 120 : 0) };
  }
  return out;
}
