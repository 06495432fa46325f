import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type ReactFlowInstance, type Viewport } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useShallow } from "zustand/react/shallow";
import { normalize } from "../../../shared/machine/normalize";
import type { MachineDefinition } from "../../../shared/machine/definition";
import type { SessionModel } from "../../../shared/trace/session-model";
import { useStore } from "../store/store";
import { buildDiagram } from "../../../shared/diagram/diagram";
import { EdgeMarkers, edgeTypes } from "./edges";
import { ghostKeys, liveDecorations, mapStatic, type MachineFlowNode, type TransitionFlowEdge } from "./flow-mapper";
import { LiveContext, createLiveStore, publish } from "./live-store";
import { nodeTypes } from "./nodes";
import { OverlayBar } from "./OverlayBar";
import { extent, useLayout } from "./use-layout";
import type { Layout } from "../../../shared/diagram/layout";
import { usePulse } from "./use-pulse";
import { useElementSize } from "../app/use-element-size";

const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.12, maxZoom: 1.3 };

interface Props {
  machine: MachineDefinition;
  model: SessionModel | undefined;
  instance: string | undefined;
  /** More controls at the end of the overlay toolbar (a replay's overlay scope). */
  toolbarExtra?: React.ReactNode;
}

/** Fits the whole drawing — labels included, which xyflow's own fitView does not count — in view. */
function Fitter({ layout, layoutKey, sizeKey }: { layout: Layout; layoutKey: string; sizeKey: string }): null {
  const flow = useReactFlow();
  const fitRequest = useStore((s) => s.fitRequest);
  useEffect(() => {
    const e = extent(layout);
    const t = requestAnimationFrame(() => void flow.fitBounds({ x: e.x, y: e.y, width: e.width, height: e.height }, { padding: 0.04 }));
    return () => cancelAnimationFrame(t);
  }, [flow, layout, layoutKey, fitRequest, sizeKey]);
  return null;
}

function Diagram({ machine, model, instance, toolbarExtra }: Props): React.JSX.Element {
  const { overlays, direction } = useStore(useShallow((s) => ({ overlays: s.overlays, direction: s.direction })));
  const ref = useRef<HTMLDivElement>(null);
  const view = useElementSize(ref);
  const normalized = useMemo(() => normalize(machine), [machine]);
  const diagram = useMemo(() => buildDiagram(normalized), [normalized]);
  const chosen = useLayout(diagram, direction, view);
  const layout = chosen?.layout;
  const last = instance ? model?.instances[instance]?.last : undefined;
  const pulse = usePulse(last, instance);
  const [zoomedOut, setZoomedOut] = useState(false);
  const onMove = useCallback((_e: unknown, viewport: Viewport) => setZoomedOut(viewport.zoom < 0.4), []);
  const onInit = useCallback((instance: ReactFlowInstance<MachineFlowNode, TransitionFlowEdge>) => setZoomedOut(instance.getZoom() < 0.4), []);
  // Nodes and edges change with the layout (and a new undeclared transition); the rest is live.
  const ghostList = overlays.ghosts ? ghostKeys(diagram, model).join("|") : "";
  const flow = useMemo(() => (layout ? mapStatic(diagram, layout, ghostList ? ghostList.split("|") : []) : undefined), [diagram, layout, ghostList]);
  const [liveStore] = useState(createLiveStore);
  useLayoutEffect(() => {
    publish(liveStore, liveDecorations({ diagram, model, instance, overlays, pulse }));
  }, [liveStore, diagram, model, instance, overlays, pulse]);
  return (
    <LiveContext.Provider value={liveStore}>
    <div className={`diagram${zoomedOut ? " is-zoomed-out" : ""}`} ref={ref} aria-label={`Diagram of ${machine.id}`} role="figure" data-layout={layout?.engine ?? "pending"} data-direction={chosen?.direction}>
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
          onlyRenderVisibleElements
          onMove={onMove}
          onInit={onInit}
        >
          {layout && <Fitter layout={layout} layoutKey={`${diagram.key}|${chosen?.direction ?? ""}`} sizeKey={view ? `${Math.round(view.width / 16)}x${Math.round(view.height / 16)}` : ""} />}
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
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
