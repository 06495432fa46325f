import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type ReactFlowInstance, type Viewport } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useShallow } from "zustand/react/shallow";
import { normalize } from "../../../shared/machine/normalize";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { useStore } from "../store/store";
import { INITIAL_NODE, buildDiagram, collapseDiagram, litNodes } from "../../../shared/diagram/diagram";
import { get } from "../../../shared/dict";
import { EdgeMarkers, edgeTypes } from "./edges";
import { ghostKeys, liveDecorations, mapStatic, type DiagramModel, type MachineFlowNode, type TransitionFlowEdge } from "./flow-mapper";
import { LiveContext, createLiveStore, publish } from "./live-store";
import { nodeTypes } from "./nodes";
import { OverlayBar } from "./OverlayBar";
import { extent, useLayout } from "./use-layout";
import type { Layout } from "../../../shared/diagram/layout";
import { usePulse } from "./use-pulse";
import { useElementSize } from "../hooks/use-element-size";

const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.12, maxZoom: 1.3 };

interface Props {
  machine: MachineDefinition;
  model: DiagramModel | undefined;
  instance: string | undefined;
  /** More controls at the end of the overlay toolbar (a replay's overlay scope). */
  toolbarExtra?: React.ReactNode;
  /** The view's clock, for how long the instances have been in each state. */
  now?: number;
  /** Stuck instances per state, counted on their states. */
  stuck?: ReadonlyMap<string, number>;
}

/** Decorations drawn at most this often (ms) whatever the event rate; the latest always drawn. */
const REDRAW_MS = 200;

/**
 * The smallest zoom at which text stays readable: edge labels are 11.5 px, so 11 px on screen at
 * least. A machine that does not fit at this zoom is shown at it, from its start, and scrolled.
 */
export const READABLE_ZOOM = 0.96;
const FIT_PADDING = 0.04;
/** Machines larger than this draw only what is in view; smaller ones draw everything (scrolling shows no gaps). */
const VIRTUAL_NODES = 60;

/**
 * Shows the drawing — labels included, which xyflow's own fitView does not count: the whole of it
 * when it fits at a readable zoom (or when the user asks to fit, `f`), else at the readable zoom
 * from its top (the initial state), the rest a scroll away.
 */
function Fitter({ layout, layoutKey, view, onScrollMode, lit }: { layout: Layout; layoutKey: string; view: { width: number; height: number } | undefined; onScrollMode(scroll: boolean): void; lit: string | undefined }): null {
  const flow = useReactFlow();
  const fitRequest = useStore((s) => s.fitRequest);
  const asked = useRef(fitRequest);
  // Read when a fit happens, not a reason for one: the view is not moved at every transition.
  const litNow = useRef(lit);
  litNow.current = lit;
  const width = view ? Math.round(view.width / 16) * 16 : 0;
  const height = view ? Math.round(view.height / 16) * 16 : 0;
  useEffect(() => {
    const whole = fitRequest !== asked.current;
    asked.current = fitRequest;
    const e = extent(layout);
    const t = requestAnimationFrame(() => {
      const fits = width === 0 || Math.min(width / (e.width * (1 + 2 * FIT_PADDING)), height / (e.height * (1 + 2 * FIT_PADDING))) >= READABLE_ZOOM;
      if (whole || fits) {
        onScrollMode(false);
        void flow.fitBounds({ x: e.x, y: e.y, width: e.width, height: e.height }, { padding: FIT_PADDING });
        return;
      }
      onScrollMode(true);
      const zoom = READABLE_ZOOM;
      // The lit state in view, else where the machine starts (its initial state); the drawing kept against the edges.
      const start = (litNow.current !== undefined ? layout.nodes[litNow.current] : undefined) ?? layout.nodes[INITIAL_NODE];
      const focus = start ? { x: start.x + start.width / 2, y: start.y + start.height / 2 } : { x: e.x, y: e.y };
      const place = (size: number, lo: number, extentSize: number, at: number, share: number, top: number): number => {
        if (extentSize * zoom <= size - 2 * 16) return (size - extentSize * zoom) / 2 - lo * zoom;
        const wanted = size * share - at * zoom;
        return Math.max(size - 16 - (lo + extentSize) * zoom, Math.min(top - lo * zoom, wanted));
      };
      const x = place(width, e.x, e.width, focus.x, 0.4, 16);
      const y = place(height, e.y, e.height, focus.y, 0.15, 16 + 36);
      void flow.setViewport({ x, y, zoom });
    });
    return () => cancelAnimationFrame(t);
  }, [flow, layout, layoutKey, fitRequest, width, height, onScrollMode]);
  return null;
}

/** A machine shown scrolled: the lit state is brought into view when it moves out of it. */
function FollowCurrent({ layout, state, view }: { layout: Layout; state: string | undefined; view: { width: number; height: number } | undefined }): null {
  const flow = useReactFlow();
  useEffect(() => {
    const b = state ? layout.nodes[state] : undefined;
    if (!b || !view) return;
    const { x, y, zoom } = flow.getViewport();
    const left = b.x * zoom + x;
    const top = b.y * zoom + y;
    const inView = left >= 0 && top >= 40 && left + b.width * zoom <= view.width && top + b.height * zoom <= view.height;
    if (!inView) void flow.setCenter(b.x + b.width / 2, b.y + b.height / 2, { zoom, duration: 250 });
  }, [flow, layout, state, view]);
  return null;
}

function Diagram({ machine, model, instance, toolbarExtra, now, stuck }: Props): React.JSX.Element {
  const { overlays, direction } = useStore(useShallow((s) => ({ overlays: s.overlays, direction: s.direction })));
  const ref = useRef<HTMLDivElement>(null);
  const view = useElementSize(ref);
  const normalized = useMemo(() => normalize(machine), [machine]);
  const full = useMemo(() => buildDiagram(normalized), [normalized]);
  // Statecharts: the containers the user collapsed, drawn as one state each.
  const collapsedList = useStore((s) => get(s.collapsed, machine.id));
  const diagram = useMemo(() => collapseDiagram(full, collapsedList ?? []), [full, collapsedList]);
  const chosen = useLayout(diagram, direction, view);
  const layout = chosen?.layout;
  const last = instance ? model?.instances[instance]?.last : undefined;
  const instanceState = instance ? model?.instances[instance]?.state : undefined;
  // The lit state to keep in view: the state itself, or a statechart configuration's first drawn state.
  const litState = useMemo(() => (instanceState === undefined ? undefined : [...litNodes(diagram, instanceState).current][0]), [diagram, instanceState]);
  const pulse = usePulse(last, instance);
  const [zoomedOut, setZoomedOut] = useState(false);
  // Larger than the window at a readable zoom: the wheel scrolls it (Ctrl + wheel zooms).
  const [scrollMode, setScrollMode] = useState(false);
  const onMove = useCallback((_e: unknown, viewport: Viewport) => setZoomedOut(viewport.zoom < 0.4), []);
  const onInit = useCallback((instance: ReactFlowInstance<MachineFlowNode, TransitionFlowEdge>) => setZoomedOut(instance.getZoom() < 0.4), []);
  // Nodes and edges change with the layout (and a new undeclared transition); the rest is live.
  // Compared as text, so the edges are rebuilt only when the set changes (keys are JSON: any name is safe).
  const ghostList = overlays.ghosts ? JSON.stringify(ghostKeys(diagram, model)) : "[]";
  const flow = useMemo(() => (layout ? mapStatic(diagram, layout, JSON.parse(ghostList) as string[], machine.id) : undefined), [diagram, layout, ghostList, machine.id]);
  const [liveStore] = useState(createLiveStore);
  // Decorations (lit state, counts, badges) follow the model at most every REDRAW_MS: a burst of
  // batches is drawn once, and the last one is always drawn. What the user does (another
  // instance, an overlay) and each new animation are drawn at once.
  const lastDrawn = useRef(0);
  const latest = useRef({ diagram, model, instance, overlays, pulse, now, stuck });
  latest.current = { diagram, model, instance, overlays, pulse, now, stuck };
  const [redraw, setRedraw] = useState(0);
  useLayoutEffect(() => {
    const wait = lastDrawn.current + REDRAW_MS - performance.now();
    if (wait > 0) {
      const t = setTimeout(() => setRedraw((n) => n + 1), wait);
      return () => clearTimeout(t);
    }
    lastDrawn.current = performance.now();
    publish(liveStore, liveDecorations(latest.current));
    return undefined;
  }, [liveStore, model, now, stuck, redraw]);
  useLayoutEffect(() => {
    lastDrawn.current = performance.now();
    publish(liveStore, liveDecorations(latest.current));
  }, [liveStore, diagram, instance, overlays, pulse]);
  return (
    <LiveContext.Provider value={liveStore}>
    <div className={`diagram${zoomedOut ? " is-zoomed-out" : ""}${diagram.chart ? " is-chart" : ""}`} ref={ref} aria-label={`Diagram of ${machine.id}`} role="figure" data-layout={layout?.engine ?? "pending"} data-direction={chosen?.direction} data-fit={scrollMode ? "scroll" : "whole"}>
      <EdgeMarkers />
      <OverlayBar multiInstance={(model?.instanceOrder.length ?? 0) > 1} layout={layout} extra={toolbarExtra} />
      {flow ? (
        <ReactFlow
          nodes={flow.nodes}
          edges={flow.edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={fitViewOptions}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          proOptions={proOptions}
          minZoom={0.1}
          maxZoom={2.5}
          onlyRenderVisibleElements={flow.nodes.length > VIRTUAL_NODES}
          panOnScroll={scrollMode}
          // Statecharts: a double-click on a container's title collapses it (no zoom as well).
          zoomOnDoubleClick={!diagram.chart}
          onMove={onMove}
          onInit={onInit}
        >
          {layout && <Fitter layout={layout} layoutKey={`${diagram.key}|${chosen?.direction ?? ""}`} view={view} onScrollMode={setScrollMode} lit={litState} />}
          {layout && scrollMode && <FollowCurrent layout={layout} state={litState} view={view} />}
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
          {scrollMode && (
            <div className="diagram-scroll-hint" role="note">
              Scroll to see the whole machine · <kbd>f</kbd> fits it (smaller)
            </div>
          )}
        </ReactFlow>
      ) : (
        <div className="diagram-pending">Laying out {machine.id}…</div>
      )}
    </div>
    </LiveContext.Provider>
  );
}

export function MachineDiagram(props: Props): React.JSX.Element {
  return (
    <ReactFlowProvider>
      <Diagram {...props} />
    </ReactFlowProvider>
  );
}
