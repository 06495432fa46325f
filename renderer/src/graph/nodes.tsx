import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { AnyFlowNode, StateFlowNode } from "./mapper";

function Handles(): React.JSX.Element {
  return (
    <>
      <Handle type="target" id="t-left" position={Position.Left} />
      <Handle type="target" id="t-top" position={Position.Top} />
      <Handle type="target" id="t-bottom" position={Position.Bottom} />
      <Handle type="source" id="s-right" position={Position.Right} />
      <Handle type="source" id="s-bottom" position={Position.Bottom} />
    </>
  );
}

export const StateNode = memo(function StateNode({ data }: NodeProps<StateFlowNode>) {
  const cls = ["state-node", data.current ? "is-current" : "", data.final ? "is-final" : "", data.initial ? "is-initial" : ""].join(" ");
  return (
    <div className={cls} data-state={data.name} data-current={data.current ? "true" : "false"}>
      <Handles />
      {data.initial && <span className="initial-dot" title="initial state" aria-hidden="true" />}
      <span className="state-name">{data.name}</span>
      {data.current && <span className="state-tag">current</span>}
    </div>
  );
});

export const AnyStateNode = memo(function AnyStateNode({ data }: NodeProps<AnyFlowNode>) {
  return (
    <div className="any-node" title="Transitions declared at the machine's root leave every (non-final) state">
      <Handle type="source" id="s-bottom" position={Position.Bottom} />
      {data.label}
    </div>
  );
});

/** Defined once at module scope: a new object each render would re-mount every node. */
export const nodeTypes = { state: StateNode, any: AnyStateNode };
