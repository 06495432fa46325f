import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { formatDuration, parseIsoMs } from "../../../shared/trace/time";
import { useNow } from "../app/use-now";
import type { MarkerFlowNode, StateFlowNode } from "./flow-mapper";

/** One hidden handle each way: edges are drawn from elk's routes, not from handle positions. */
function Anchors(): React.JSX.Element {
  return (
    <>
      <Handle type="target" position={Position.Left} className="anchor" isConnectable={false} />
      <Handle type="source" position={Position.Right} className="anchor" isConnectable={false} />
    </>
  );
}

function Timer({ since, atLeast }: { since: string; atLeast: boolean }): React.JSX.Element {
  const now = useNow(1000);
  const ms = parseIsoMs(since);
  if (ms === undefined) return <></>;
  return (
    <span className="node-timer" data-testid="node-timer">
      {now - ms < 1000 ? "just now" : `${atLeast ? "≥ " : ""}${formatDuration(now - ms)}`}
    </span>
  );
}

export const StateNode = memo(function StateNode({ data }: NodeProps<StateFlowNode>) {
  const cls = ["state-node", data.current ? "is-current" : "", data.final ? "is-final" : "", data.unseen ? "is-unseen" : ""].filter(Boolean).join(" ");
  return (
    <div className={cls} data-state={data.name} data-current={data.current ? "true" : "false"} title={data.final ? `${data.name} (final state)` : data.name}>
      <Anchors />
      <span className="state-name">{data.name}</span>
      {data.current && data.since && <Timer since={data.since} atLeast={data.sinceObserved === true} />}
      {data.dwell && (
        <span className="node-dwell" data-testid="node-dwell" title={`time in ${data.name} over ${data.dwell.count} stays`}>
          p50 {formatDuration(data.dwell.p50Ms)} · p95 {formatDuration(data.dwell.p95Ms)}
        </span>
      )}
      {data.instances !== undefined && data.instances > 0 && (
        <span className="node-badge" data-testid="node-badge" title={`${data.instances} instance(s) in ${data.name}`} aria-label={`${data.instances} instances`}>
          {data.instances}
        </span>
      )}
      {data.queued > 0 && (
        <span className="node-queued" title={`${data.queued} more transition(s) arrived during the animation`}>
          +{data.queued}
        </span>
      )}
    </div>
  );
});

export const InitialNode = memo(function InitialNode(_props: NodeProps<MarkerFlowNode>) {
  return (
    <div className="initial-node" title="initial state">
      <Anchors />
    </div>
  );
});

export const AnyStateNode = memo(function AnyStateNode({ data }: NodeProps<MarkerFlowNode>) {
  return (
    <div className="any-node" title="Transitions declared at the machine's root leave every non-final state">
      <Anchors />
      {data.label}
    </div>
  );
});

export const FanInNode = memo(function FanInNode({ data }: NodeProps<MarkerFlowNode>) {
  const members = data.members ?? [];
  return (
    <div className="any-node fanin-node" title={`The same transitions leave each of: ${members.join(", ")}`}>
      <Anchors />
      <span className="group-title">any of {data.label}</span>
      <span className="group-members">{members.join(" · ")}</span>
    </div>
  );
});

/** Defined once at module scope: a new object each render would re-mount every node. */
export const nodeTypes = { state: StateNode, initial: InitialNode, any: AnyStateNode, fanin: FanInNode };
