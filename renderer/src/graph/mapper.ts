/**
 * Pure mapper from the view model (machine + session model) to xyflow nodes and edges. React only
 * draws what this returns.
 */
import type { Edge as FlowEdge, Node as FlowNode } from "@xyflow/react";
import { ANY_STATE, normalize, type NormalizedMachine } from "../../../shared/machine/normalize";
import { describeGuard } from "../../../shared/machine/guards";
import type { MachineDefinition } from "../../../shared/machine/definition";
import type { SessionModel } from "../../../shared/trace/session-model";
import { simpleLayout } from "./layout-simple";

export interface StateNodeData extends Record<string, unknown> {
  name: string;
  initial: boolean;
  final: boolean;
  current: boolean;
}

export interface AnyNodeData extends Record<string, unknown> {
  label: string;
}

export type StateFlowNode = FlowNode<StateNodeData, "state">;
export type AnyFlowNode = FlowNode<AnyNodeData, "any">;
export type MachineFlowNode = StateFlowNode | AnyFlowNode;

export const ANY_NODE_ID = "__any_state__";

export interface MachineGraph {
  nodes: MachineFlowNode[];
  edges: FlowEdge[];
}

export function edgeLabel(event: string, guard: string | undefined): string {
  return guard ? `${event} [${guard}]` : event;
}

export function mapMachine(def: MachineDefinition, model: SessionModel | undefined, instance: string | undefined, m: NormalizedMachine = normalize(def)): MachineGraph {
  const labels = m.edges.map((e) => edgeLabel(e.event, e.guard ? describeGuard(e.guard) : undefined));
  const pos = simpleLayout(m, Math.max(0, ...labels.map((l) => l.length)));
  const colWidth = Math.max(240, 150 + Math.max(0, ...labels.map((l) => l.length)) * 7);
  const current = instance ? model?.instances[instance]?.state : undefined;
  const lastEdge = instance ? model?.instances[instance]?.last : undefined;
  const nodes: MachineFlowNode[] = m.states.map((s) => ({
    id: s,
    type: "state",
    position: pos[s] ?? { x: 0, y: 0 },
    data: { name: s, initial: s === m.initial, final: m.finals.includes(s), current: s === current },
    ariaLabel: `State ${s}${s === current ? " (current)" : ""}`,
  }));
  const edges: FlowEdge[] = [];
  if (m.edges.some((e) => e.from === ANY_STATE)) {
    const xs = Object.values(pos).map((p) => p.x);
    nodes.push({ id: ANY_NODE_ID, type: "any", position: { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: 0 }, data: { label: "any state" } });
  }
  for (const e of m.edges) {
    if (e.targetless) continue;
    const fromAny = e.from === ANY_STATE;
    const source = fromAny ? ANY_NODE_ID : e.from;
    const sp = pos[e.from];
    const tp = pos[e.to];
    const backward = !fromAny && sp !== undefined && tp !== undefined && tp.x <= sp.x && e.from !== e.to;
    const active = lastEdge !== undefined && lastEdge.to === e.to && (fromAny ? !m.edges.some((x) => x.from === lastEdge.from && x.to === e.to) : lastEdge.from === e.from);
    edges.push({
      id: e.id,
      source,
      target: e.to,
      sourceHandle: fromAny ? "s-bottom" : backward ? "s-bottom" : "s-right",
      targetHandle: fromAny ? "t-top" : backward ? "t-bottom" : "t-left",
      label: edgeLabel(e.event, e.guard ? describeGuard(e.guard) : undefined),
      type: backward ? "smoothstep" : "default",
      ...(backward && sp && tp ? { pathOptions: { offset: 24 + Math.round((sp.x - tp.x) / colWidth) * 22, borderRadius: 12 } } : {}),
      animated: active,
      className: active ? "edge-last" : undefined,
      ariaLabel: `Transition ${fromAny ? "from any state" : e.from} to ${e.to} on ${e.event}`,
    } as FlowEdge);
  }
  return { nodes, edges };
}
