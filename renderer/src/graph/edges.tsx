import { memo } from "react";
import { EdgeLabelRenderer, type EdgeProps } from "@xyflow/react";
import { roundedPath } from "../../../shared/diagram/path";
import type { TransitionFlowEdge } from "./flow-mapper";
import { useEdgeLive } from "./live-store";

export const TransitionEdge = memo(function TransitionEdge({ id, data }: EdgeProps<TransitionFlowEdge>) {
  const live = useEdgeLive(id);
  if (!data) return null;
  const d = data.ghost ? `M ${data.points[0]?.x ?? 0} ${data.points[0]?.y ?? 0} Q ${data.points[1]?.x ?? 0} ${data.points[1]?.y ?? 0} ${data.points[2]?.x ?? 0} ${data.points[2]?.y ?? 0}` : roundedPath(data.points);
  const cls = ["transition-edge", data.ghost ? "is-ghost" : "", live.active ? "is-active" : "", live.unseen ? "is-unseen" : "", data.auto ? "is-auto" : "", data.internal ? "is-internal" : "", data.fromAny ? "is-any" : ""].filter(Boolean).join(" ");
  const markerId = data.ghost ? "arrow-ghost" : live.active ? "arrow-active" : "arrow";
  return (
    <g className={cls} data-edge={id} data-count={live.count}>
      <path id={`path-${id}`} d={d} className="edge-hit" />
      <path d={d} className="edge-line" style={{ strokeWidth: live.weight }} markerEnd={`url(#${markerId})`}>
        {data.title && <title>{data.title}</title>}
      </path>
      {live.pulse > 0 && (
        // An HTML dot moved along the path by CSS (offset-path): composited on its own layer, so
        // the edges' big SVG is not repainted every frame of the animation.
        <EdgeLabelRenderer>
          <div key={live.pulse} className="edge-pulse" data-testid="edge-pulse" style={{ offsetPath: `path("${d}")` }} />
        </EdgeLabelRenderer>
      )}
      {data.label && (data.lines.length > 0 || live.showCount) && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${data.ghost ? " is-ghost" : ""}${live.active ? " is-active" : ""}${live.unseen ? " is-unseen" : ""}`}
            style={{ transform: `translate(${data.label.x}px, ${data.label.y}px)`, minWidth: data.label.width }}
            title={data.title || undefined}
          >
            {data.lines.map((l) => (
              <div key={l} className="edge-label-line">
                {l}
              </div>
            ))}
            {live.showCount && (
              <span className="edge-count" data-testid="edge-count">
                ×{live.count}
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </g>
  );
});

export const edgeTypes = { transition: TransitionEdge };

/** Arrowheads, once per diagram. */
export function EdgeMarkers(): React.JSX.Element {
  const marker = (id: string, cls: string): React.JSX.Element => (
    <marker id={id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse" className={cls}>
      <path d="M 0 0 L 10 5 L 0 10 z" />
    </marker>
  );
  return (
    <svg className="edge-markers" aria-hidden="true" width="0" height="0">
      <defs>
        {marker("arrow", "marker")}
        {marker("arrow-active", "marker marker-active")}
        {marker("arrow-ghost", "marker marker-ghost")}
      </defs>
    </svg>
  );
}
