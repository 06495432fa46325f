import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { formatDuration, formatDurationShort, parseIsoMs } from "../../../shared/trace/time";
import { useViewNow } from "../hooks/use-view-now";
import type { ContainerFlowNode, MarkerFlowNode, NodeLive, StateFlowNode } from "./flow-mapper";
import { useStore } from "../store/store";
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

/**
 * A double-click that is not on the chevron (its two clicks already toggled). Caught on the way
 * down: the diagram's zoom handler stops double-clicks before they bubble up to React.
 */
function notOnToggle(e: React.MouseEvent): boolean {
  return !(e.target instanceof Element && e.target.closest(".container-toggle"));
}

/** Collapse or expand a container: a chevron button (keyboard: Tab to it, Enter or Space). */
function Chevron({ machine, path, name, expanded }: { machine: string; path: string; name: string; expanded: boolean }): React.JSX.Element {
  const toggle = useStore((s) => s.toggleCollapsed);
  return (
    <button
      type="button"
      className="container-toggle nodrag nopan"
      aria-expanded={expanded}
      aria-label={`${expanded ? "Collapse" : "Expand"} ${name}`}
      title={`${expanded ? "Collapse" : "Expand"} ${name} (or double-click its title)`}
      onClick={(e) => {
        e.stopPropagation();
        toggle(machine, path);
      }}
    >
      {expanded ? "▾" : "▸"}
    </button>
  );
}

export const StateNode = memo(function StateNode({ id, data }: NodeProps<StateFlowNode>) {
  const live = useNodeLive(id);
  const toggle = useStore((s) => s.toggleCollapsed);
  const collapsed = data.collapsed !== undefined;
  const cls = ["state-node", live.current ? "is-current" : "", data.final ? "is-final" : "", live.unseen ? "is-unseen" : "", collapsed ? "is-collapsed" : ""].filter(Boolean).join(" ");
  return (
    <div
      className={cls}
      data-state={data.path ?? data.name}
      data-current={live.current ? "true" : "false"}
      title={data.final ? `${data.name} (final state)` : collapsed ? `${data.name}: ${data.collapsed} states inside (double-click to expand)` : data.name}
      onDoubleClickCapture={collapsed && data.machine !== undefined && data.path !== undefined ? (e) => notOnToggle(e) && toggle(data.machine ?? "", data.path ?? "") : undefined}
    >
      <Anchors />
      {collapsed && data.machine !== undefined && data.path !== undefined ? (
        <span className="state-title-row">
          <Chevron machine={data.machine} path={data.path} name={data.name} expanded={false} />
          <span className="state-name">{data.name}</span>
          <span className="collapsed-count" data-testid="collapsed-count" title={`${data.collapsed} states inside`}>
            +{data.collapsed}
          </span>
        </span>
      ) : (
        <span className="state-name">{data.name}</span>
      )}
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

/** A compound or parallel state (or a parallel state's region) drawn around its children: its title at the top, a chevron to collapse it. */
export const ContainerNode = memo(function ContainerNode({ id, data }: NodeProps<ContainerFlowNode>) {
  const live = useNodeLive(id);
  const toggle = useStore((s) => s.toggleCollapsed);
  const cls = ["container-node", data.kind === "parallel" ? "is-parallel" : "", data.region ? "is-region" : "", live.within ? "is-within" : "", live.current ? "is-current" : "", live.unseen ? "is-unseen" : ""].filter(Boolean).join(" ");
  return (
    <div className={cls} data-state={data.path} data-container={data.kind} data-within={live.within ? "true" : "false"}>
      <Anchors />
      <div className="container-title" onDoubleClickCapture={(e) => notOnToggle(e) && toggle(data.machine, data.path)} title={`${data.name}${data.kind === "parallel" ? " (parallel: its regions run at once)" : ""} — double-click to collapse`}>
        <Chevron machine={data.machine} path={data.path} name={data.name} expanded />
        <span className="state-name">{data.name}</span>
        {data.kind === "parallel" && <span className="container-kind">parallel</span>}
        {live.instances !== undefined && live.instances > 0 && (
          <span className="node-badge container-badge" data-testid="node-badge" data-count={live.instances} title={badgeTitle(data.name, live)} aria-label={badgeTitle(data.name, live)}>
            {live.instances}
          </span>
        )}
        {live.dwell && (
          <span className="node-dwell container-dwell" data-testid="node-dwell" title={`time in ${data.name} (in any of its states) over ${live.dwell.count} stays`}>
            p50 {formatDurationShort(live.dwell.p50Ms)} · p95 {formatDurationShort(live.dwell.p95Ms)}
          </span>
        )}
      </div>
    </div>
  );
});

/** A history state: a small circle, H (shallow) or H* (deep). */
export const HistoryNode = memo(function HistoryNode({ data }: NodeProps<MarkerFlowNode>) {
  return (
    <div className="history-node" title={data.label === "H*" ? "Deep history: re-enters the states last active inside, at every depth" : "History: re-enters the state last active here"}>
      <Anchors />
      <span className="history-label">{data.label}</span>
    </div>
  );
});

/** Defined once at module scope: a new object each render would re-mount every node. */
export const nodeTypes = { state: StateNode, container: ContainerNode, history: HistoryNode, initial: InitialNode, any: AnyStateNode, fanin: FanInNode };
