/**
 * The machine as a diagram, before layout (pure): states, the initial marker, one "any state"
 * node for root-level transitions (drawn once, not once per state), and edges — one per
 * (from, to), so parallel transitions share an edge with one label line each.
 */
import { ALWAYS, ANY_STATE, type Edge, type NormalizedMachine } from "../machine/normalize";
import { describeGuard } from "../machine/guards";
import { edgeKey, parseEdgeKey } from "../trace/stats";
import type { ChartInfo } from "../machine/chart";

export const INITIAL_NODE = "__initial__";
export const ANY_NODE = "__any__";

export type DiagramNodeKind = "state" | "initial" | "any" | "fanin" | "history";

export interface DiagramNode {
  id: string;
  kind: DiagramNodeKind;
  label: string;
  /** For a group node: the states it stands for. */
  members?: string[];
  /** Events handled without leaving the state (targetless transitions), shown inside the node. */
  internal?: string[];
  final: boolean;
  width: number;
  height: number;
  /** Statecharts: the container this node is drawn inside (a compound or parallel state's path). */
  parent?: string;
  /** Statecharts: this state holds children — one at a time ("compound") or all at once ("parallel", its children are regions). */
  container?: "compound" | "parallel";
  /** Statecharts: a region of a parallel state (drawn side by side with its siblings, divided by dashed lines). */
  region?: boolean;
  /** A history node: H (shallow) or H* (deep). */
  history?: "shallow" | "deep";
}

export interface DiagramEdge {
  /** edgeKey(from, to) (shared/trace/stats.ts): `WAKE->DROWSY`, the observed-edge key too. */
  id: string;
  source: string;
  target: string;
  /** One line per distinct transition: `event [guard]`. */
  labels: string[];
  selfLoop: boolean;
  /** Every transition in it is eventless (continues a step) or targetless (handled in place). */
  auto: boolean;
  internal: boolean;
  fromAny: boolean;
  /** The states this edge leaves from (one, or a group's members, or every non-final state). */
  members: string[];
  transitions: Edge[];
  labelWidth: number;
  labelHeight: number;
}

export interface Diagram {
  /** Stable key of the machine's shape, for the layout cache. */
  key: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

const CHAR = 7.4; // px per character of the 12.5 px UI font, measured on DejaVu Sans / Inter
const LABEL_CHAR = 6.6;
const LABEL_LINE = 16;

/** The width of a state's box for its name. */
export function stateBoxWidth(name: string): number {
  return Math.max(136, Math.round(40 + name.length * CHAR));
}

/** The size of an edge's label box for its lines. */
export function edgeLabelSize(labels: readonly string[]): { labelWidth: number; labelHeight: number } {
  if (labels.length === 0) return { labelWidth: 0, labelHeight: 0 };
  return { labelWidth: Math.round(10 + Math.max(...labels.map((l) => l.length)) * LABEL_CHAR), labelHeight: labels.length * LABEL_LINE + 4 };
}

export function transitionLabel(e: Edge): string {
  const g = e.guard;
  if (e.kind === "after") return `after ${formatDelay(e.delayMs ?? 0)}${g ? ` [${describeGuard(g)}]` : ""}`;
  if (e.kind === "done") return `done${g ? ` [${describeGuard(g)}]` : ""}`;
  if (e.kind === "history-default") return "default";
  if (e.event === ALWAYS) {
    const events = g?.type === "event" && Array.isArray(g.params["in"]) ? (g.params["in"] as string[]).join(" | ") : "auto";
    const key = g?.type === "event" && typeof g.params["key"] === "string" ? ` [${g.params["key"]}]` : "";
    return `${events}${key}`;
  }
  return g ? `${e.event} [${describeGuard(g)}]` : e.event;
}

/** `500 ms`, `5 s`, `1.5 min`, `2 h`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)} min`;
  return `${+(ms / 3_600_000).toFixed(2)} h`;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

/** Fan-ins: the same event to the same target from this many states or more is drawn once, from a group. */
export const GROUP_MIN = 4;

/**
 * Transitions that leave many states for the same target on the same event (duckgres: drain,
 * mark_lost, retire from six states) are drawn once, from a group node naming those states, like
 * root-level transitions are drawn once from "any state".
 */
function fanIns(m: NormalizedMachine): Map<string, string[]> {
  const sources = new Map<string, Set<string>>();
  for (const e of m.edges) {
    if (e.from === ANY_STATE || e.targetless || e.event === ALWAYS || e.from === e.to) continue;
    const k = `${e.event}\u0000${e.to}`;
    sources.set(k, (sources.get(k) ?? new Set()).add(e.from));
  }
  const groups = new Map<string, string[]>();
  for (const [k, set] of sources) if (set.size >= GROUP_MIN) groups.set(k, m.states.filter((s) => set.has(s)));
  return groups;
}

function groupId(members: string[]): string {
  return `__group__${hash(members.join(","))}`;
}

/** The id of the initial marker inside a compound state (INITIAL_NODE for the machine's own). */
export function initialNodeId(container: string | undefined): string {
  return container === undefined ? INITIAL_NODE : `${INITIAL_NODE}${container}`;
}

/** A statechart's nodes: every state (containers holding their children), history nodes, an initial marker in each compound state. */
function chartNodes(m: NormalizedMachine, chart: ChartInfo): { nodes: DiagramNode[]; initials: DiagramEdge[] } {
  const nodes: DiagramNode[] = [{ id: INITIAL_NODE, kind: "initial", label: "", final: false, width: 14, height: 14 }];
  const initials: DiagramEdge[] = [];
  const marker = (container: string | undefined, target: string): void => {
    const id = initialNodeId(container);
    if (container !== undefined) nodes.push({ id, kind: "initial", label: "", final: false, width: 14, height: 14, parent: container });
    initials.push({ id: edgeKey(id, target), source: id, target, labels: [], selfLoop: false, auto: false, internal: false, fromAny: false, members: [], transitions: [], labelWidth: 0, labelHeight: 0 });
  };
  if (chart.initial !== undefined) marker(undefined, chart.initial);
  for (const path of m.states) {
    const c = chart.nodes[path];
    if (!c) continue;
    const parentKind = c.parent === undefined ? undefined : chart.nodes[c.parent]?.kind;
    const base = { id: path, label: c.key, final: c.kind === "final", ...(c.parent !== undefined ? { parent: c.parent } : {}) };
    if (c.kind === "history") {
      nodes.push({ ...base, kind: "history", label: c.history === "deep" ? "H*" : "H", history: c.history ?? "shallow", width: 30, height: 30 });
      continue;
    }
    const node: DiagramNode = { ...base, kind: "state", width: stateBoxWidth(c.key), height: 50 };
    if (c.kind === "compound" || c.kind === "parallel") node.container = c.kind;
    if (parentKind === "parallel") node.region = true;
    nodes.push(node);
    if (c.kind === "compound" && c.initial !== undefined) marker(path, c.initial);
  }
  return { nodes, initials };
}

export function buildDiagram(m: NormalizedMachine): Diagram {
  const chart = m.chart;
  const fromChart = chart ? chartNodes(m, chart) : undefined;
  const nodes: DiagramNode[] = fromChart?.nodes ?? [{ id: INITIAL_NODE, kind: "initial", label: "", final: false, width: 14, height: 14 }];
  if (!fromChart) {
    for (const s of m.states) nodes.push({ id: s, kind: "state", label: s, final: m.finals.includes(s), width: stateBoxWidth(s), height: 50 });
  }
  const nonFinal = m.states.filter((s) => !m.finals.includes(s));
  if (m.edges.some((e) => e.from === ANY_STATE)) nodes.push({ id: ANY_NODE, kind: "any", label: "any state", final: false, width: 96, height: 30, members: nonFinal });

  // A statechart's hierarchy already groups what many states share: no fan-in groups there.
  const fan = chart ? new Map<string, string[]>() : fanIns(m);
  const groupOf = (e: Edge): string | undefined => fan.get(`${e.event}\u0000${e.to}`) && groupId(fan.get(`${e.event}\u0000${e.to}`) ?? []);
  const memberLists = new Map<string, string[]>();
  for (const members of fan.values()) memberLists.set(groupId(members), members);
  for (const [id, members] of memberLists) {
    const label = `${members.length} states`;
    nodes.push({ id, kind: "fanin", label, members, final: false, width: Math.max(150, Math.round(24 + members.join(" · ").length * 5.6)), height: 44 });
  }

  // Targetless transitions change nothing visible: listed inside their state, not drawn as loops.
  for (const n of nodes) {
    const internal = [...new Set(m.edges.filter((e) => e.targetless && e.from === n.id).map(transitionLabel))];
    if (internal.length) {
      n.internal = internal;
      n.height += 14;
      n.width = Math.max(n.width, Math.round(30 + Math.max(...internal.map((t) => t.length + 2)) * 6));
    }
  }

  const groups = new Map<string, Edge[]>();
  for (const e of m.edges) {
    if (e.targetless && e.from !== ANY_STATE) continue;
    const source = e.from === ANY_STATE ? ANY_NODE : (groupOf(e) ?? e.from);
    // A transition into several regions at once is drawn to each of its targets.
    for (const target of e.targets ?? [e.to]) {
      const key = edgeKey(source, target);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
  }
  const edges: DiagramEdge[] = fromChart?.initials ?? [
    { id: edgeKey(INITIAL_NODE, m.initial), source: INITIAL_NODE, target: m.initial, labels: [], selfLoop: false, auto: false, internal: false, fromAny: false, members: [], transitions: [], labelWidth: 0, labelHeight: 0 },
  ];
  for (const [id, list] of groups) {
    const first = list[0] as Edge;
    const { to: target } = parseEdgeKey(id);
    const { from: source } = parseEdgeKey(id);
    // An eventless transition that continues the same events another one in the group names adds no line.
    const named = new Set(list.filter((e) => e.event !== ALWAYS).map((e) => e.event));
    const shown = list.filter((e) => e.event !== ALWAYS || !(e.guard?.type === "event" && Array.isArray(e.guard.params["in"]) && (e.guard.params["in"] as string[]).every((x) => named.has(x))));
    const labels = [...new Set(shown.map(transitionLabel))];
    const members = source === ANY_NODE ? nonFinal : (memberLists.get(source) ?? [source]);
    edges.push({
      id,
      source,
      target,
      labels,
      selfLoop: source === target,
      auto: list.every((e) => e.event === ALWAYS || e.kind === "history-default"),
      internal: list.every((e) => e.targetless),
      fromAny: first.from === ANY_STATE,
      members,
      transitions: list,
      ...edgeLabelSize(labels),
    });
  }
  const shape = JSON.stringify([m.initial, m.states, m.finals, edges.map((e) => [e.id, e.labels]), nodes.map((n) => n.parent ?? "")]);
  return { key: `${m.id}:${hash(shape)}`, nodes, edges };
}

/**
 * The diagram edge that stands for an observed from→to: the direct edge, else a group's or
 * "any state"'s edge to `to` that covers `from`; undefined for a transition the machine lacks.
 */
export function edgeForTransition(d: Diagram, from: string, to: string): DiagramEdge | undefined {
  const direct = d.edges.find((e) => e.source === from && e.target === to);
  if (direct) return direct;
  return d.edges.find((e) => e.target === to && e.source !== from && e.members.includes(from) && e.source !== INITIAL_NODE);
}
