import { useEffect, useMemo, useState } from "react";
import type { Diagram } from "../../../shared/diagram/diagram";
import { followLayout } from "./layout/layout-client";
import type { Direction, DirectionChoice, Layout } from "../../../shared/diagram/layout";

/** The box around everything drawn: states, routes and labels. */
export function extent(l: Layout): { x: number; y: number; width: number; height: number } {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number, w = 0, h = 0): void => {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  };
  for (const b of Object.values(l.nodes)) add(b.x, b.y, b.width, b.height);
  for (const e of Object.values(l.edges)) {
    for (const p of e.points) add(p.x, p.y);
    if (e.label) add(e.label.x, e.label.y, e.label.width, e.label.height);
  }
  if (x0 === Infinity) return { x: 0, y: 0, width: 1, height: 1 };
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** How large the layout can be drawn in a view of this size (the fit scale). */
export function fitScale(l: Layout, view: { width: number; height: number }): number {
  const e = extent(l);
  return Math.min(view.width / Math.max(1, e.width), view.height / Math.max(1, e.height));
}

/**
 * The diagram's layout: a quick one at once, elk's when ready (or straight away when it is
 * known). With "AUTO", both directions are laid out and the one that can be drawn larger in the
 * current view wins.
 */
export function useLayout(diagram: Diagram, choice: DirectionChoice, view: { width: number; height: number } | undefined): { layout: Layout; direction: Direction } | undefined {
  const [state, setState] = useState<{ key: string; layouts: Partial<Record<Direction, Layout>> } | undefined>(undefined);
  const key = `${diagram.key}|${choice}`;
  useEffect(() => {
    const dirs: Direction[] = choice === "AUTO" ? ["RIGHT", "DOWN"] : [choice];
    const stops = dirs.map((d) =>
      followLayout(diagram, d, (layout) =>
        setState((prev) => {
          const layouts = prev?.key === key ? { ...prev.layouts } : {};
          layouts[d] = layout;
          return { key, layouts };
        }),
      ),
    );
    return () => stops.forEach((stop) => stop());
  }, [diagram, choice, key]);
  const width = view?.width ?? 16;
  const height = view?.height ?? 9;
  return useMemo(() => {
    if (state?.key !== key) return undefined;
    const right = state.layouts.RIGHT;
    const down = state.layouts.DOWN;
    // With AUTO, a quick layout in one direction is not compared with a finished one in the other.
    if (right && down && (right.engine === "quick") === (down.engine === "quick")) {
      const v = { width, height };
      return fitScale(down, v) > fitScale(right, v) * 1.05 ? { layout: down, direction: "DOWN" as const } : { layout: right, direction: "RIGHT" as const };
    }
    if (right) return { layout: right, direction: "RIGHT" as const };
    if (down) return { layout: down, direction: "DOWN" as const };
    return undefined;
  }, [state, key, width, height]);
}
