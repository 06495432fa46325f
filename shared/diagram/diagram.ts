/**
 * The machine as a diagram, before layout (pure): states, the initial marker, one "any state"
 * node for root-level transitions (drawn once, not once per state), and edges — one per
 * (from, to), so parallel transitions share an edge with one label line each.
 */
import { ALWAYS, ANY_STATE, type Edge, type NormalizedMachine } from "../machine/normalize";
import { describeGuard } from "../machine/guards";
import { edgeKey, parseEdgeKey } from "../trace/stats";
import { CONFIGURATION_SEPARATOR, formatDelay, isWithin, type ChartInfo } from "../machine/chart";

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
  /** A container drawn collapsed (collapseDiagram): how many states it holds, hidden. */
  collapsed?: number;
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
  /** A statechart's diagram: states are paths, an instance's state is a configuration (`a.x, b.y`). */
  chart?: boolean;
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
  const marker = (container: string | undefined, initial: string): void => {
    const id = initialNodeId(container);
    if (container !== undefined) nodes.push({ id, kind: "initial", label: "", final: false, width: 14, height: 14, parent: container });
    // An initial naming several or deeper states (SCXML) is a transient child: the dot points at what it enters.
    const targets = chart.nodes[initial]?.transient ? m.edges.filter((e) => e.from === initial && e.event === ALWAYS).flatMap((e) => e.targets ?? [e.to]) : [initial];
    for (const target of targets) initials.push({ id: edgeKey(id, target), source: id, target, labels: [], selfLoop: false, auto: false, internal: false, fromAny: false, members: [], transitions: [], labelWidth: 0, labelHeight: 0 });
  };
  if (chart.initial !== undefined) marker(undefined, chart.initial);
  for (const path of m.states) {
    const c = chart.nodes[path];
    if (!c || c.transient) continue;
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
    if ((e.targetless && e.from !== ANY_STATE) || chart?.nodes[e.from]?.transient) continue;
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
  return { key: `${m.id}:${hash(shape)}`, nodes, edges, ...(chart ? { chart: true } : {}) };
}

/** The state paths an instance's state names: one state, or a configuration `a.x, b.y` (statecharts). */
export function configurationLeaves(d: Diagram, state: string): string[] {
  if (!d.chart || !state.includes(CONFIGURATION_SEPARATOR) || nodeIndex(d).has(state)) return [state];
  return state.split(CONFIGURATION_SEPARATOR);
}

/**
 * What an instance in `state` lights: `current`, the states it is in that are drawn (a leaf, or
 * the collapsed container hiding it); `within`, the containers around them (drawn lighter).
 */
export function litNodes(d: Diagram, state: string | undefined): { current: Set<string>; within: Set<string> } {
  const current = new Set<string>();
  const within = new Set<string>();
  if (state === undefined) return { current, within };
  if (!d.chart) {
    current.add(state);
    return { current, within };
  }
  const leaves = configurationLeaves(d, state);
  for (const n of d.nodes) {
    if (n.kind !== "state" || !leaves.some((l) => isWithin(l, n.id))) continue;
    if (n.container) within.add(n.id);
    else current.add(n.id);
  }
  return { current, within };
}

/**
 * Where an observed transition the machine lacks is drawn (a ghost edge): from the drawn state it
 * left to the one it entered. In a statechart these are the states that differ between the two
 * configurations (a parallel state's other regions stayed put), or the collapsed containers that
 * hide them; undefined when either end is not drawn.
 */
export function ghostEnds(d: Diagram, from: string, to: string): [string, string] | undefined {
  if (!d.chart) return [from, to];
  const left = [...litNodes(d, from).current];
  const entered = [...litNodes(d, to).current];
  const a = left.find((n) => !entered.includes(n)) ?? left[0];
  const b = entered.find((n) => !left.includes(n)) ?? entered[0];
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

/**
 * A statechart drawn with some containers collapsed: each collapsed container (the outermost, when
 * nested) is one state with a count of what it holds; what is inside is not drawn, and the edges to
 * and from it go to the container (merged when they meet; those wholly inside dropped).
 */
export function collapseDiagram(d: Diagram, collapsed: ReadonlySet<string> | readonly string[]): Diagram {
  const wanted = new Set(collapsed);
  if (!d.chart || wanted.size === 0) return d;
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  // The outermost collapsed container around (or equal to) a node, if any.
  const cover = new Map<string, string>();
  const coverOf = (id: string): string | undefined => {
    if (cover.has(id)) return cover.get(id);
    const n = byId.get(id);
    const up = n?.parent !== undefined ? coverOf(n.parent) : undefined;
    const c = up ?? (wanted.has(id) && n?.container ? id : undefined);
    if (c !== undefined) cover.set(id, c);
    return c;
  };
  const shown = new Set<string>();
  const hidden = new Map<string, number>();
  for (const n of d.nodes) {
    const c = coverOf(n.id);
    if (c === undefined || c === n.id) shown.add(n.id);
    else if (n.kind === "state") hidden.set(c, (hidden.get(c) ?? 0) + 1);
  }
  if (shown.size === d.nodes.length) return d;
  const nodes: DiagramNode[] = [];
  for (const n of d.nodes) {
    if (!shown.has(n.id)) continue;
    if (cover.get(n.id) !== n.id) {
      nodes.push(n);
      continue;
    }
    const { container: _container, ...rest } = n;
    const count = hidden.get(n.id) ?? 0;
    // Room for the +N badge and the expand control beside the name.
    nodes.push({ ...rest, collapsed: count, width: Math.max(n.width, stateBoxWidth(n.label) + 56), height: Math.max(50, n.height) });
  }
  const rep = (id: string): string => coverOf(id) ?? id;
  const merged = new Map<string, DiagramEdge>();
  for (const e of d.edges) {
    const source = rep(e.source);
    const target = rep(e.target);
    if (!shown.has(source) || !shown.has(target)) continue;
    // Wholly inside a collapsed container (not a loop the container itself declares).
    if (source === target && (e.source !== source || e.target !== target)) continue;
    const id = edgeKey(source, target);
    const prev = merged.get(id);
    const members = e.members.map(rep);
    if (!prev) {
      merged.set(id, { ...e, id, source, target, members: [...new Set(members)], selfLoop: source === target });
      continue;
    }
    const labels = [...new Set([...prev.labels, ...e.labels])];
    merged.set(id, {
      ...prev,
      labels,
      members: [...new Set([...prev.members, ...members])],
      transitions: [...prev.transitions, ...e.transitions],
      auto: prev.auto && e.auto,
      internal: prev.internal && e.internal,
      fromAny: prev.fromAny && e.fromAny,
      ...edgeLabelSize(labels),
    });
  }
  const keyList = [...cover.entries()].filter(([k, v]) => k === v).map(([k]) => k).sort();
  return { key: `${d.key}|c:${hash(JSON.stringify(keyList))}`, nodes, edges: [...merged.values()], chart: true };
}

/** A diagram's nodes by id, with their depth in the state tree (0 at the top): built once per diagram (edges are looked up per observed transition). */
const nodeIndexes = new WeakMap<Diagram, Map<string, { node: DiagramNode; depth: number }>>();
function nodeIndex(d: Diagram): Map<string, { node: DiagramNode; depth: number }> {
  let index = nodeIndexes.get(d);
  if (index) return index;
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const depth = (n: DiagramNode | undefined): number => {
    let k = 0;
    for (let p = n?.parent; p !== undefined; p = byId.get(p)?.parent) k += 1;
    return k;
  };
  index = new Map(d.nodes.map((n) => [n.id, { node: n, depth: depth(n) }]));
  nodeIndexes.set(d, index);
  return index;
}

/**
 * The diagram edge that stands for an observed from→to: the direct edge, else a group's or
 * "any state"'s edge to `to` that covers `from`; undefined for a transition the machine lacks.
 */
export function edgeForTransition(d: Diagram, from: string, to: string): DiagramEdge | undefined {
  if (d.chart) return chartEdgeFor(d, from, to);
  const direct = d.edges.find((e) => e.source === from && e.target === to);
  if (direct) return direct;
  return d.edges.find((e) => e.target === to && e.source !== from && e.members.includes(from) && e.source !== INITIAL_NODE);
}

/**
 * A statechart's edge for an observed from→to (configurations): an edge from a state the instance
 * left (a leaf that changed, or a container around it) to one it entered (or a container around
 * it) — the innermost such edge.
 */
function chartEdgeFor(d: Diagram, from: string, to: string): DiagramEdge | undefined {
  const a = configurationLeaves(d, from);
  const b = configurationLeaves(d, to);
  const leftLeaves = a.filter((x) => !b.includes(x));
  const enteredLeaves = b.filter((x) => !a.includes(x));
  const left = leftLeaves.length ? leftLeaves : a;
  const entered = enteredLeaves.length ? enteredLeaves : b;
  const index = nodeIndex(d);
  let best: DiagramEdge | undefined;
  let bestScore = -1;
  for (const e of d.edges) {
    if (e.source.startsWith(INITIAL_NODE)) continue;
    const sourceOk = e.fromAny || e.source === ANY_NODE ? true : left.some((l) => isWithin(l, e.source));
    // A history state stands for the states of its parent it brings back.
    const t = index.get(e.target)?.node;
    const into = t?.kind === "history" && t.parent !== undefined ? t.parent : e.target;
    if (!sourceOk || !entered.some((l) => isWithin(l, into))) continue;
    const score = (e.fromAny ? 0 : 1 + (index.get(e.source)?.depth ?? 0)) * 100 + (index.get(e.target)?.depth ?? 0);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}
