import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { formatDuration, formatDurationShort, parseIsoMs } from "../../../shared/trace/time";
import { useViewNow } from "../hooks/use-view-now";
import type { MarkerFlowNode, NodeLive, StateFlowNode } from "./flow-mapper";
import { useNodeLive } from "./live-store";

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
  const now = useViewNow();
  const ms = parseIsoMs(since);
  if (ms === undefined) return <></>;
  return (
    <span className="node-timer" data-testid="node-timer">
      {now - ms < 1000 ? "just now" : `${atLeast ? "≥ " : ""}${formatDuration(now - ms)}`}
    </span>
  );
}

function badgeTitle(state: string, live: NodeLive): string {
  const n = live.instances ?? 0;
  const spread = live.spread ? `; here for ${formatDurationShort(live.spread.p50Ms)} (median), ${formatDurationShort(live.spread.p95Ms)} (95th percentile)` : "";
  return `${n} instance${n === 1 ? "" : "s"} in ${state}${spread}${live.stuck ? `; ${live.stuck} stuck` : ""}`;
}

export const StateNode = memo(function StateNode({ id, data }: NodeProps<StateFlowNode>) {
  const live = useNodeLive(id);
  const cls = ["state-node", live.current ? "is-current" : "", data.final ? "is-final" : "", live.unseen ? "is-unseen" : ""].filter(Boolean).join(" ");
  return (
    <div className={cls} data-state={data.name} data-current={live.current ? "true" : "false"} title={data.final ? `${data.name} (final state)` : data.name}>
      <Anchors />
      <span className="state-name">{data.name}</span>
      {data.internal && (
        <span className="node-internal" title="Handled here without leaving the state">
          ↺ {data.internal.join(", ")}
        </span>
      )}
      {live.current && live.since && <Timer since={live.since} atLeast={live.sinceObserved === true} />}
      {live.dwell && (
        <span className="node-dwell" data-testid="node-dwell" title={`time in ${data.name} over ${live.dwell.count} stays`}>
          p50 {formatDurationShort(live.dwell.p50Ms)} · p95 {formatDurationShort(live.dwell.p95Ms)}
        </span>
      )}
      {live.instances !== undefined && live.instances > 0 && (
        <span className="node-badge" data-testid="node-badge" data-count={live.instances} {...(live.spread ? { "data-p50": live.spread.p50Ms, "data-p95": live.spread.p95Ms } : {})} title={badgeTitle(data.name, live)} aria-label={badgeTitle(data.name, live)}>
          {live.instances}
        </span>
      )}
      {live.stuck !== undefined && live.stuck > 0 && (
        <span className="node-stuck" data-testid="node-stuck" data-count={live.stuck} title={`${live.stuck} instance(s) stuck in ${data.name}: longer than its limit (see Warnings)`}>
          {live.stuck} stuck
        </span>
      )}

      {live.queued > 0 && (
        <span className="node-queued" data-testid="node-queued" title={`${live.queued} more transition(s) arrived during the animation`}>
          +{live.queued}
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
