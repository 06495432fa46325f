/**
 * Statecharts: a machine whose states nest (compound states with an `initial` child), run side by
 * side (`type: "parallel"` regions), remember where they were (`type: "history"`) and leave on a
 * delay (`after`). A state is named by its path of keys, `lease.active.ready`; a key that itself
 * holds a dot or a backslash is written with a backslash before it (`v1\.2`). An instance's state is
 * its configuration: the active atomic (and final) states, `a.x, b.y` — one path where the machine
 * runs one region, so a flat machine's configuration is its state's name, as it always was. Pure.
 */
import type { MachineDefinition, StateDef, TransitionDef } from "./definition";
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
  /** The top-level state a new instance enters. */
  initial?: string;
}

/** What separates the states of a configuration written as one string. */
export const CONFIGURATION_SEPARATOR = ", ";

export function escapeKey(key: string): string {
  return key.replace(/[\\.]/g, (c) => `\\${c}`);
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
  if (!isRecord(def)) return false;
  if (def["eventMatching"] === "scxml" || usesWildcards(def)) return true;
  const states = def["states"];
  if (!isRecord(states)) return false;
  return Object.values(states).some((st) => {
    if (!isRecord(st)) return false;
    const children = st["states"];
    if (isRecord(children) && Object.keys(children).length > 0) return true;
    return st["type"] === "parallel" || st["type"] === "history" || st["type"] === "compound" || st["after"] !== undefined || st["onDone"] !== undefined;
  });
}

/** Does any `on` (the root's or a state's, at any depth) use XState's wildcard descriptors, which only the statechart stepper matches? */
function usesWildcards(def: Record<string, unknown>): boolean {
  const on = def["on"];
  if (isRecord(on) && Object.keys(on).some(isXStateWildcard)) return true;
  const states = def["states"];
  return isRecord(states) && Object.values(states).some((st) => isRecord(st) && usesWildcards(st));
}

/** XState's wildcard descriptors: `*` (any event) and `a.*` (a, a.b, a.b.c). */
export function isXStateWildcard(descriptor: string): boolean {
  return descriptor === "*" || descriptor.endsWith(".*");
}

/** XState v5's matchesEventDescriptor: exact, `*`, or `a.*` matching `a` and the events below it. */
export function xstateMatches(event: string, descriptor: string): boolean {
  if (descriptor === event || descriptor === "*") return true;
  if (!descriptor.endsWith(".*")) return false;
  const want = descriptor.split(".");
  const got = event.split(".");
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "*") return i === want.length - 1;
    if (want[i] !== got[i]) return false;
  }
  return true;
}

/** SCXML's matching: `*`, or the descriptor's tokens a prefix of the event's (`done` matches `done.state.x`). */
export function scxmlDescriptorMatches(event: string, descriptor: string): boolean {
  if (descriptor === "*") return true;
  const stem = descriptor.replace(/\.\*$/, "").replace(/\.$/, "");
  return event === stem || event.startsWith(`${stem}.`);
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
  const walk = (entries: [string, StateDef][], parent: ChartNode | undefined): void => {
    for (const [key, s] of entries) {
      const path = joinPath(parent?.path, key);
      const node: ChartNode = { path, key, kind: kindOf(s), children: [] };
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
  const chart: ChartInfo = { nodes, top, ids };
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
  return inDocumentOrder(chart, paths).join(CONFIGURATION_SEPARATOR);
}

/** The paths sorted as the states are written in the machine. */
export function inDocumentOrder(chart: ChartInfo, paths: readonly string[]): string[] {
  const order = orderIndex(chart);
  return [...paths].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
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

/** A delay as written on a diagram or a sandbox's clock: `500 ms`, `5 s`, `1.5 min`, `2 h`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)} min`;
  return `${+(ms / 3_600_000).toFixed(2)} h`;
}

/**
 * Event names of the transitions nobody sends: delays, done states (XState's own names, so the
 * events XState raises for them read the same), a history state's default.
 */
export const AFTER_PREFIX = "xstate.after.";
export const DONE_PREFIX = "xstate.done.state.";
export const HISTORY_DEFAULT = "xstate.history.default";
export const isInternalEvent = (event: string): boolean => event.startsWith("xstate.");
/** The event name of eventless (`always`) transitions (as in normalize.ts). */
const EVENTLESS = "";

/** Where a group of transitions is written; "bad-on" is an `on` that is not an object (the transitions are its value). */
export type TransitionGroupKind = "on" | "always" | "after" | "onDone" | "history" | "bad-on";

/**
 * Every group of transitions in a chart as written, in document order: the root's `on` (from
 * undefined), then each state's `on`, `always`, `after`, `onDone` and a history state's default
 * `target`, with the JSON pointer of each group and where it is written. Reads raw (unvalidated) data.
 */
export function forEachTransitionGroup(raw: Record<string, unknown>, visit: (from: string | undefined, event: string, transitions: unknown, pointer: string, kind: TransitionGroupKind) => void): void {
  const on = (from: string | undefined, value: unknown, at: string): void => {
    if (!isRecord(value)) {
      if (value !== undefined) visit(from, "", value, at, "bad-on");
      return;
    }
    for (const [event, t] of Object.entries(value)) visit(from, event, t, pointer(at, event), "on");
  };
  on(undefined, raw["on"], "/on");
  const walk = (states: unknown, at: string, parent: string | undefined): void => {
    if (!isRecord(states)) return;
    for (const [key, s] of Object.entries(states)) {
      if (!isRecord(s)) continue;
      const p = pointer(at, key);
      const path = joinPath(parent, key);
      on(path, s["on"], `${p}/on`);
      if (s["always"] !== undefined) visit(path, EVENTLESS, s["always"], `${p}/always`, "always");
      if (isRecord(s["after"])) for (const [delay, t] of Object.entries(s["after"])) visit(path, `${AFTER_PREFIX}${delay}`, t, pointer(`${p}/after`, delay), "after");
      if (s["onDone"] !== undefined) visit(path, `${DONE_PREFIX}${path}`, s["onDone"], `${p}/onDone`, "onDone");
      if (s["type"] === "history" && s["target"] !== undefined) visit(path, HISTORY_DEFAULT, { target: s["target"] }, `${p}/target`, "history");
      walk(s["states"], `${p}/states`, path);
    }
  };
  walk(raw["states"], "/states", undefined);
}
