/**
 * Statecharts: a machine whose states nest (compound states with an `initial` child), run side by
 * side (`type: "parallel"` regions), remember where they were (`type: "history"`) and leave on a
 * delay (`after`). A state is named by its path of keys, `lease.active.ready`; a key that itself
 * holds a dot or a backslash is written with a backslash before it (`v1\.2`). An instance's state is
 * its configuration: the active atomic (and final) states, `a.x, b.y` — one path where the machine
 * runs one region, so a flat machine's configuration is its state's name, as it always was. Pure.
 */
import type { MachineDefinition, StateDef, TransitionDef, TransitionsDef } from "./definition";
import { dict, get, has, type Dict } from "../dict";
import { isRecord, pointer } from "./diagnostics";

export type NodeKind = "atomic" | "compound" | "parallel" | "final" | "history";

export interface ChartNode {
  /** Full path (`lease.active.ready`). */
  path: string;
  /** The key as written in its parent's `states`. */
  key: string;
  /** The parent's path; absent for a top-level state. */
  parent?: string;
  kind: NodeKind;
  /** Children's paths, in document order. */
  children: string[];
  /** A compound state's initial child (path). */
  initial?: string;
  /** A history state's depth. */
  history?: "shallow" | "deep";
  /** A custom id (`"id": "x"`, SCXML's id), as written. */
  id?: string;
  /** 0 for top-level states. */
  depth: number;
  /** A state left at once, never drawn (SCXML's initial naming several or deeper states: its eventless transition enters them). */
  transient?: boolean;
}

/** The state tree, plain data (it crosses IPC with the normalized machine). */
export interface ChartInfo {
  /** Every state by path (history states too), in document order (a parent before its children). */
  nodes: Dict<ChartNode>;
  /** Top-level paths in document order. */
  top: string[];
  /** Custom ids → path. */
  ids: Dict<string>;
  /** Whether a configuration can hold several atomic states (a parallel state somewhere). */
  parallel: boolean;
  /** The top-level state a new instance enters. */
  initial?: string;
}

/** What separates the states of a configuration written as one string. */
export const CONFIGURATION_SEPARATOR = ", ";

export function escapeKey(key: string): string {
  return key.replace(/[\\.]/g, (c) => `\\${c}`);
}

export function unescapeKey(key: string): string {
  return key.replace(/\\(.)/g, "$1");
}

export function joinPath(parent: string | undefined, key: string): string {
  return parent === undefined ? escapeKey(key) : `${parent}.${escapeKey(key)}`;
}

/** A path's keys as written: `a.v1\.2` → ["a", "v1.2"]. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === "\\" && i + 1 < path.length) {
      cur += path[i + 1];
      i += 1;
    } else if (c === ".") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Does the definition use anything a flat machine has not: nested, parallel or history states, delays, onDone? */
export function isChartDefinition(def: unknown): boolean {
  if (typeof def !== "object" || def === null) return false;
  if ((def as { eventMatching?: unknown }).eventMatching === "scxml") return true;
  if (usesWildcards(def)) return true;
  const states = (def as { states?: unknown }).states;
  if (typeof states !== "object" || states === null) return false;
  for (const s of Object.values(states as Record<string, unknown>)) {
    if (typeof s !== "object" || s === null) continue;
    const st = s as Record<string, unknown>;
    const children = st["states"];
    if (typeof children === "object" && children !== null && Object.keys(children).length > 0) return true;
    if (st["type"] === "parallel" || st["type"] === "history" || st["type"] === "compound") return true;
    if (st["after"] !== undefined || st["onDone"] !== undefined) return true;
  }
  return false;
}

/** Does any `on` (the root's or a state's) use XState's wildcard descriptors (`*`, `a.*`), which only the statechart stepper matches? */
function usesWildcards(def: object): boolean {
  const wild = (on: unknown): boolean => typeof on === "object" && on !== null && Object.keys(on).some((k) => k === "*" || k.endsWith(".*"));
  if (wild((def as { on?: unknown }).on)) return true;
  const states = (def as { states?: unknown }).states;
  return typeof states === "object" && states !== null && Object.values(states as Record<string, unknown>).some((s) => typeof s === "object" && s !== null && (wild((s as { on?: unknown }).on) || usesWildcards(s)));
}

/** The states of a definition, child lists included; assumes a validated definition. */
export function stateEntries(def: StateDef | MachineDefinition): [string, StateDef][] {
  const states = def.states;
  return states && typeof states === "object" ? Object.entries(states as Record<string, StateDef>) : [];
}

function kindOf(def: StateDef): NodeKind {
  const children = stateEntries(def).length;
  if (def.type === "final" || def.type === "history" || def.type === "parallel") return def.type;
  return children > 0 ? "compound" : "atomic";
}

/** Build the tree of a (validated) definition. A compound state without `initial` starts in its first child, as SCXML does. */
export function buildChart(def: MachineDefinition): ChartInfo {
  const nodes = dict<ChartNode>();
  const ids = dict<string>();
  const top: string[] = [];
  let parallel = false;
  const walk = (entries: [string, StateDef][], parent: ChartNode | undefined): void => {
    for (const [key, s] of entries) {
      const path = joinPath(parent?.path, key);
      const node: ChartNode = { path, key, kind: kindOf(s), children: [], depth: parent ? parent.depth + 1 : 0 };
      if (parent) {
        node.parent = parent.path;
        parent.children.push(path);
      } else top.push(path);
      if (typeof s.id === "string") {
        node.id = s.id;
        ids[s.id] = path;
      }
      if (node.kind === "history") node.history = s.history === "deep" ? "deep" : "shallow";
      if (s.meta?.["transient"] === true) node.transient = true;
      if (node.kind === "parallel") parallel = true;
      nodes[path] = node;
      const children = stateEntries(s);
      walk(children, node);
      if (node.kind === "compound") {
        const first = children.find(([, c]) => c.type !== "history")?.[0];
        const initial = typeof s.initial === "string" && children.some(([k]) => k === s.initial) ? s.initial : first;
        if (initial !== undefined) node.initial = joinPath(path, initial);
      }
    }
  };
  walk(stateEntries(def), undefined);
  const chart: ChartInfo = { nodes, top, ids, parallel };
  const firstTop = top.find((p) => nodes[p]?.kind !== "history");
  const initial = typeof def.initial === "string" && has(nodes, escapeKey(def.initial)) ? escapeKey(def.initial) : firstTop;
  if (initial !== undefined) chart.initial = initial;
  return chart;
}

export function ancestors(chart: ChartInfo, path: string): string[] {
  const out: string[] = [];
  for (let p = get(chart.nodes, path)?.parent; p !== undefined; p = get(chart.nodes, p)?.parent) out.push(p);
  return out;
}

/** Is `path` equal to `ancestor` or inside it? */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || (path.startsWith(`${ancestor}.`) && !ancestor.endsWith("\\"));
}

/** The atomic states entered by default when `path` is entered (its initial descendants, every region of a parallel state). */
export function defaultLeaves(chart: ChartInfo, path: string): string[] {
  const node = get(chart.nodes, path);
  if (!node) return [];
  if (node.kind === "compound") return node.initial === undefined ? [path] : defaultLeaves(chart, node.initial);
  if (node.kind === "parallel") return node.children.filter((c) => get(chart.nodes, c)?.kind !== "history").flatMap((c) => defaultLeaves(chart, c));
  return [path];
}

/** The configuration a new instance starts in. */
export function initialLeaves(chart: ChartInfo): string[] {
  return chart.initial === undefined ? [] : defaultLeaves(chart, chart.initial);
}

/** `a.x, b.y` for a list of state paths (in the chart's document order). */
export function formatConfiguration(chart: ChartInfo, paths: readonly string[]): string {
  const order = orderIndex(chart);
  return [...paths].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).join(CONFIGURATION_SEPARATOR);
}

const orders = new WeakMap<ChartInfo, Map<string, number>>();
function orderIndex(chart: ChartInfo): Map<string, number> {
  let hit = orders.get(chart);
  if (!hit) {
    hit = new Map(Object.keys(chart.nodes).map((p, i) => [p, i]));
    orders.set(chart, hit);
  }
  return hit;
}

/** The state paths a configuration string names (each one a state of the chart, else undefined). */
export function parseConfiguration(chart: ChartInfo, value: string): string[] | undefined {
  if (has(chart.nodes, value)) return [value];
  const parts = value.split(CONFIGURATION_SEPARATOR);
  return parts.every((p) => has(chart.nodes, p)) ? parts : undefined;
}

/**
 * Resolve a target as XState v5 does, from the state that declares it (`source`, undefined at the
 * root): `#id`, `#id.child.path`, `.child.path` (inside the source), `sibling.child` (beside it).
 * Returns the path, or the reason it names no state.
 */
export function resolveTarget(chart: ChartInfo, machineId: string, source: string | undefined, target: string): { path: string } | { reason: string } {
  const descend = (from: string | undefined, rest: string, what: string): { path: string } | { reason: string } => {
    let at = from;
    if (rest === "") return at === undefined ? { reason: `${what} is the machine itself, not a state` } : { path: at };
    for (const key of splitPath(rest)) {
      const children = at === undefined ? chart.top : (get(chart.nodes, at)?.children ?? []);
      const next = children.find((c) => get(chart.nodes, c)?.key === key);
      if (next === undefined) return { reason: `${at === undefined ? "the machine" : `state "${at}"`} has no child "${key}"` };
      at = next;
    }
    return at === undefined ? { reason: `${what} names no state` } : { path: at };
  };
  if (target.startsWith("#")) {
    const body = target.slice(1);
    // The longest custom id (ids may hold dots) or the machine's id, then a path inside it.
    let best: { id: string; path: string | undefined } | undefined;
    if (body === machineId || body.startsWith(`${machineId}.`)) best = { id: machineId, path: undefined };
    for (const id of Object.keys(chart.ids)) {
      if ((body === id || body.startsWith(`${id}.`)) && (!best || id.length > best.id.length)) best = { id, path: chart.ids[id] };
    }
    if (!best) return { reason: `no state has the id "${body}"` };
    return descend(best.path, body.slice(best.id.length + 1), `"${target}"`);
  }
  if (target.startsWith(".")) return descend(source, target.slice(1), `"${target}"`);
  if (source === undefined) return descend(undefined, target, `"${target}"`);
  return descend(get(chart.nodes, source)?.parent, target, `"${target}"`);
}

export function targetList(t: TransitionDef): string[] {
  if (t.target === undefined) return [];
  return Array.isArray(t.target) ? (t.target as string[]) : [t.target];
}

export function asTransitions(def: TransitionsDef | undefined): TransitionDef[] {
  if (def === undefined) return [];
  const items = Array.isArray(def) ? def : [def];
  return items.map((t: string | TransitionDef) => (typeof t === "string" ? { target: t } : t));
}

/** The state definition at a path (for reading its transitions). */
export function stateDefAt(def: MachineDefinition, path: string): StateDef | undefined {
  let states: Record<string, StateDef> | undefined = def.states;
  let found: StateDef | undefined;
  for (const key of splitPath(path)) {
    if (!states || !Object.prototype.hasOwnProperty.call(states, key)) return undefined;
    found = states[key];
    states = found?.states as Record<string, StateDef> | undefined;
  }
  return found;
}

/** A delay as written on a diagram or a sandbox's clock: `500 ms`, `5 s`, `1.5 min`, `2 h`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)} min`;
  return `${+(ms / 3_600_000).toFixed(2)} h`;
}

/** Event names of the transitions nobody sends: delays, done states, a history state's default. */
export const afterEvent = (delay: string): string => `xstate.after.${delay}`;
export const doneEvent = (path: string): string => `xstate.done.state.${path}`;
export const HISTORY_DEFAULT = "xstate.history.default";
export const isInternalEvent = (event: string): boolean => event.startsWith("xstate.");
/** The event name of eventless (`always`) transitions (as in normalize.ts). */
const EVENTLESS = "";

/**
 * Every group of transitions in a chart as written, in document order: the root's `on` (from
 * undefined), then each state's `on`, `always`, `after`, `onDone` and a history state's default
 * `target`, with the JSON pointer of each group. Reads raw (unvalidated) data.
 */
export function forEachTransitionGroup(raw: Record<string, unknown>, visit: (from: string | undefined, event: string, transitions: unknown, pointer: string) => void): void {
  const on = (from: string | undefined, value: unknown, at: string): void => {
    if (!isRecord(value)) {
      if (value !== undefined) visit(from, "\u0000on", value, at);
      return;
    }
    for (const [event, t] of Object.entries(value)) visit(from, event, t, pointer(at, event));
  };
  on(undefined, raw["on"], "/on");
  const walk = (states: unknown, at: string, parent: string | undefined): void => {
    if (!isRecord(states)) return;
    for (const [key, s] of Object.entries(states)) {
      if (!isRecord(s)) continue;
      const p = pointer(at, key);
      const path = joinPath(parent, key);
      on(path, s["on"], `${p}/on`);
      if (s["always"] !== undefined) visit(path, EVENTLESS, s["always"], `${p}/always`);
      if (isRecord(s["after"])) for (const [delay, t] of Object.entries(s["after"])) visit(path, afterEvent(delay), t, pointer(`${p}/after`, delay));
      if (s["onDone"] !== undefined) visit(path, doneEvent(path), s["onDone"], `${p}/onDone`);
      if (s["type"] === "history" && s["target"] !== undefined) visit(path, HISTORY_DEFAULT, { target: s["target"] }, `${p}/target`);
      walk(s["states"], `${p}/states`, path);
    }
  };
  walk(raw["states"], "/states", undefined);
}
