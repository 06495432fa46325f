import { useEffect, useState } from "react";
import type { Diagram } from "./diagram";
import { layoutDiagram } from "./layout/layout-client";
import type { Direction, DirectionChoice, Layout } from "./layout/types";

function extent(l: Layout): { width: number; height: number } {
  let w = 0;
  let h = 0;
  for (const b of Object.values(l.nodes)) {
    w = Math.max(w, b.x + b.width);
    h = Math.max(h, b.y + b.height);
  }
  for (const e of Object.values(l.edges)) {
    for (const p of e.points) {
      w = Math.max(w, p.x);
      h = Math.max(h, p.y);
    }
    if (e.label) {
      w = Math.max(w, e.label.x + e.label.width);
      h = Math.max(h, e.label.y + e.label.height);
    }
  }
  return { width: w, height: h };
}

/** How large the layout can be drawn in a view of this size (the fit scale). */
export function fitScale(l: Layout, view: { width: number; height: number }): number {
  const e = extent(l);
  return Math.min(view.width / Math.max(1, e.width), view.height / Math.max(1, e.height));
}

/**
 * The diagram's layout: computed once per direction in the worker and cached (fallback on
 * failure). With "AUTO", both directions are laid out and the one that can be drawn larger in the
 * current view wins.
 */
export function useLayout(diagram: Diagram, choice: DirectionChoice, view: { width: number; height: number } | undefined): { layout: Layout; direction: Direction } | undefined {
  const [state, setState] = useState<{ key: string; layouts: Partial<Record<Direction, Layout>> } | undefined>(undefined);
  const key = `${diagram.key}|${choice}`;
  useEffect(() => {
    let live = true;
    const dirs: Direction[] = choice === "AUTO" ? ["RIGHT", "DOWN"] : [choice];
    void Promise.all(dirs.map((d) => layoutDiagram(diagram, d))).then((ls) => {
      if (!live) return;
      const layouts: Partial<Record<Direction, Layout>> = {};
      dirs.forEach((d, i) => (layouts[d] = ls[i]));
      setState({ key, layouts });
    });
    return () => {
      live = false;
    };
  }, [diagram, choice, key]);
  if (state?.key !== key) return undefined;
  const right = state.layouts.RIGHT;
  const down = state.layouts.DOWN;
  if (right && down) {
    const v = view ?? { width: 16, height: 9 };
    return fitScale(down, v) > fitScale(right, v) * 1.05 ? { layout: down, direction: "DOWN" } : { layout: right, direction: "RIGHT" };
  }
  if (right) return { layout: right, direction: "RIGHT" };
  if (down) return { layout: down, direction: "DOWN" };
  return undefined;
}
