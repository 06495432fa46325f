import { useEffect, useMemo, useRef, useState } from "react";
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useShallow } from "zustand/react/shallow";
import { normalize } from "../../../shared/machine/normalize";
import type { MachineDefinition } from "../../../shared/machine/definition";
import type { SessionModel } from "../../../shared/trace/session-model";
import { useStore } from "../store/store";
import { buildDiagram } from "./diagram";
import { EdgeMarkers, edgeTypes } from "./edges";
import { mapToFlow } from "./flow-mapper";
import { nodeTypes } from "./nodes";
import { OverlayBar } from "./OverlayBar";
import { useLayout } from "./use-layout";
import { usePulse } from "./use-pulse";

const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.12, maxZoom: 1.3 };

interface Props {
  machine: MachineDefinition;
  model: SessionModel | undefined;
  instance: string | undefined;
}

function Fitter({ layoutKey }: { layoutKey: string }): null {
  const flow = useReactFlow();
  const fitRequest = useStore((s) => s.fitRequest);
  useEffect(() => {
    const t = requestAnimationFrame(() => void flow.fitView(fitViewOptions));
    return () => cancelAnimationFrame(t);
  }, [flow, layoutKey, fitRequest]);
  return null;
}

/** The size of an element, kept up to date. */
function useSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } | undefined {
  const [size, setSize] = useState<{ width: number; height: number } | undefined>(undefined);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.round(entry.contentRect.width), height: Math.round(entry.contentRect.height) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

function Diagram({ machine, model, instance }: Props): React.JSX.Element {
  const { overlays, direction } = useStore(useShallow((s) => ({ overlays: s.overlays, direction: s.direction })));
  const ref = useRef<HTMLDivElement>(null);
  const view = useSize(ref);
  const normalized = useMemo(() => normalize(machine), [machine]);
  const diagram = useMemo(() => buildDiagram(normalized), [normalized]);
  const chosen = useLayout(diagram, direction, view);
  const layout = chosen?.layout;
  const last = instance ? model?.instances[instance]?.last : undefined;
  const pulse = usePulse(last, instance);
  const flow = useMemo(
    () => (layout ? mapToFlow({ diagram, layout, model, instance, overlays, pulse }) : undefined),
    [diagram, layout, model, instance, overlays, pulse],
  );
  return (
    <div className="diagram" ref={ref} aria-label={`Diagram of ${machine.id}`} role="figure" data-layout={layout?.engine ?? "pending"} data-direction={chosen?.direction}>
      <EdgeMarkers />
      <OverlayBar multiInstance={(model?.instanceOrder.length ?? 0) > 1} layout={layout} />
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
        >
          <Fitter layoutKey={`${diagram.key}|${chosen?.direction ?? ""}`} />
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      ) : (
        <div className="diagram-pending">Laying out {machine.id}…</div>
      )}
    </div>
  );
}

export function MachineDiagram(props: Props): React.JSX.Element {
  return (
    <ReactFlowProvider>
      <Diagram {...props} />
    </ReactFlowProvider>
  );
}
