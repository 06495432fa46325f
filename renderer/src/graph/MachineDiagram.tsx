import { useMemo } from "react";
import { Background, Controls, ReactFlow, MarkerType } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { normalize } from "../../../shared/machine/normalize";
import type { MachineDefinition } from "../../../shared/machine/definition";
import type { SessionModel } from "../../../shared/trace/session-model";
import { mapMachine } from "./mapper";
import { nodeTypes } from "./nodes";

const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };
const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.15, maxZoom: 1.4 };

export function MachineDiagram(props: { machine: MachineDefinition; model: SessionModel | undefined; instance: string | undefined }): React.JSX.Element {
  const normalized = useMemo(() => normalize(props.machine), [props.machine]);
  const graph = useMemo(() => mapMachine(props.machine, props.model, props.instance, normalized), [props.machine, props.model, props.instance, normalized]);
  return (
    <div className="diagram" aria-label={`Diagram of ${props.machine.id}`} role="figure">
      <ReactFlow
        nodes={graph.nodes}
        edges={graph.edges}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        fitView
        fitViewOptions={fitViewOptions}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        proOptions={proOptions}
        minZoom={0.2}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
