import type { GuardRef, MachineDefinition, StateDef, TransitionDef, TransitionsDef } from "../definition";
import { DiagnosticList, hasErrors, isRecord, pointer, type Locate } from "../diagnostics";
import { ANY_STATE, targetName, transitionList } from "../normalize";
import { buildChart, isChartDefinition, isWithin, joinPath, resolveTarget, type ChartInfo } from "../chart";
import { get } from "../../dict";
import { validateMachine, type ValidationResult } from "../validate";
import { dict } from "../../dict";

/** The machine read from a file (present only when there is no error) and what was found wrong. */
export type ImportResult = ValidationResult;

/** Keys under which an export may wrap the machine config. */
const WRAPPERS = ["machine", "config", "definition"] as const;

/**
 * Import an XState machine config as Stately Studio or XState code exports it (v4 or v5) and check
 * it. Accepted and made canonical: v4 `cond` (→ `guard`), v4 `""` events (→ `always`), targets
 * written `"#id.X"`, `"#customStateId"`, `".X"`, `"X"` or `["X"]`, string shorthand transitions,
 * and a `{ "machine": {...} }` or `{ "config": {...} }` wrapper. Actions, context, types, schema,
 * tsTypes and the like are kept untouched: they do not affect the machine's shape.
 *
 * Statecharts (nested, parallel, history states, `after`, `onDone`) are walked at every level: the
 * same v4 forms are accepted in nested states, plus v4's `parallel: true`, `history: true` and
 * `internal: false` (→ `reenter: true`). A machine whose root is `type: "parallel"` is wrapped in one
 * parallel state "main" (its `#id.region` targets rewritten to `#id.main.region`), with a warning.
 */
export function importXState(value: unknown, file: string, locate?: Locate): ImportResult {
  let config = value;
  let basePath = "";
  if (isRecord(value) && value["states"] === undefined) {
    const key = WRAPPERS.find((k) => isRecord(value[k]) && (value[k] as Record<string, unknown>)["states"] !== undefined);
    if (key) {
      config = value[key];
      basePath = `/${key}`;
    }
  }
  const notes = new DiagnosticList(file, locate, basePath);
  const converted = !isRecord(config) ? config : isChartConfig(config) ? new ChartConverter(config, notes).machine() : new Converter(config, notes).machine();
  const checked = validateMachine(converted, { file, locate, basePath });
  const diagnostics = [...notes.items, ...checked.diagnostics];
  if (hasErrors(diagnostics) || !checked.definition) return { diagnostics };
  return { definition: checked.definition, diagnostics };
}

class Converter {
  private readonly id: string;
  private readonly names: Set<string>;
  /** Custom state ids (`"id": "x"` on a state) → state name. */
  private readonly ids = new Map<string, string>();

  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly notes: DiagnosticList,
  ) {
    this.id = typeof raw["id"] === "string" ? raw["id"] : "";
    const states = isRecord(raw["states"]) ? raw["states"] : {};
    this.names = new Set(Object.keys(states));
    for (const [name, def] of Object.entries(states)) if (isRecord(def) && typeof def["id"] === "string") this.ids.set(def["id"], name);
  }

  machine(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.raw };
    if (this.raw["on"] !== undefined) out["on"] = this.on(this.raw["on"], ANY_STATE, "/on");
    const states = this.raw["states"];
    if (isRecord(states)) {
      out["states"] = Object.fromEntries(Object.entries(states).map(([name, def]) => [name, this.state(name, def)]));
    }
    return out;
  }

  private state(name: string, def: unknown): unknown {
    if (!isRecord(def)) return def;
    const path = pointer("/states", name);
    const out: Record<string, unknown> = { ...def };
    eventsAndAlways(def, out, path, (t, at) => this.transitions(t, name, at));
    return out;
  }

  private on(on: unknown, from: string, path: string): unknown {
    if (!isRecord(on)) return on;
    return Object.fromEntries(Object.entries(on).map(([event, t]) => [event, this.transitions(t, from, pointer(path, event))]));
  }

  private transitions(def: unknown, from: string, path: string): unknown {
    if (Array.isArray(def)) return def.map((t: unknown, i) => this.transition(t, from, pointer(path, i)));
    return this.transition(def, from, path);
  }

  private transition(t: unknown, from: string, path: string): unknown {
    if (typeof t === "string") return this.target(t, from, path);
    if (!isRecord(t)) return t;
    const out: Record<string, unknown> = { ...t };
    if (t["cond"] !== undefined) {
      delete out["cond"];
      if (t["guard"] === undefined) out["guard"] = v4Guard(t["cond"]);
    }
    let target = t["target"];
    if (Array.isArray(target) && target.length === 1) target = target[0];
    if (typeof target === "string") out["target"] = this.target(target, from, `${path}/target`);
    return out;
  }

  /** A target as the canonical format writes it: "X" from a state, ".X" from the root. */
  private target(target: string, from: string, path: string): string {
    const root = from === ANY_STATE;
    let name: string | undefined;
    if (this.id !== "" && target.startsWith(`#${this.id}.`)) name = target.slice(this.id.length + 2);
    else if (target.startsWith("#")) name = this.ids.get(target.slice(1));
    else if (target.startsWith(".")) {
      name = target.slice(1);
      if (!root && this.names.has(name)) {
        this.notes.warning(path, `the target "${target}" means a child of state "${from}" in XState; it was read as the state "${name}"`, `Write "${name}".`);
      }
    } else if (root && this.names.has(target)) {
      this.notes.warning(path, `the root-level target "${target}" cannot be resolved by XState itself; it was read as "${target}" (the state)`, `Write ".${target}".`);
      name = target;
    }
    if (name === undefined || !this.names.has(name)) return target;
    return root ? `.${name}` : name;
  }
}

/** A state's `on` and `always` as the canonical format writes them (v4's `""` events are `always`), each group converted by `convert(group, pointer)`. */
function eventsAndAlways(def: Record<string, unknown>, out: Record<string, unknown>, at: string, convert: (t: unknown, pointer: string) => unknown): void {
  const always: unknown[] = [];
  if (def["always"] !== undefined) always.push(...asList(convert(def["always"], `${at}/always`)));
  const on = def["on"];
  if (isRecord(on)) {
    const rest = dict<unknown>();
    for (const [event, t] of Object.entries(on)) {
      const converted = convert(t, pointer(`${at}/on`, event));
      if (event === "") always.push(...asList(converted));
      else rest[event] = converted;
    }
    out["on"] = rest;
  }
  if (always.length > 0) out["always"] = always.length === 1 ? always[0] : always;
}

function asList(t: unknown): unknown[] {
  return Array.isArray(t) ? t : [t];
}

/** v4 guards: a name, or `{ type, ...params }` with the params beside the type. */
function v4Guard(cond: unknown): unknown {
  if (!isRecord(cond) || typeof cond["type"] !== "string") return cond;
  const { type, params, ...rest } = cond;
  const merged = { ...(isRecord(params) ? params : {}), ...rest };
  return Object.keys(merged).length > 0 ? { type, params: merged } : { type };
}

/** Is a raw config a statechart (or a v4 one: `parallel: true`, a parallel root)? */
function isChartConfig(raw: Record<string, unknown>): boolean {
  if (raw["type"] === "parallel" || isChartDefinition(raw)) return true;
  const states = raw["states"];
  return isRecord(states) && Object.values(states).some((s) => isRecord(s) && (s["parallel"] === true || s["history"] !== undefined));
}

/** The key of the parallel state a machine with a parallel root is wrapped in. */
export const PARALLEL_ROOT_KEY = "main";

/** Keys of a parallel root that belong to the state that wraps its regions, not to the machine. */
const STATE_KEYS = ["always", "after", "onDone", "entry", "exit", "invoke", "tags"] as const;

/** Does every state (at every level) have the shape buildChart reads (an object, `states` an object)? */
function wellFormed(states: unknown): boolean {
  if (!isRecord(states)) return states === undefined;
  return Object.values(states).every((s) => isRecord(s) && wellFormed(s["states"]));
}

/**
 * A statechart's config: every level walked, v4 forms made v5 (see importXState), targets kept as
 * written when they resolve (XState's rules, chart.ts) and repaired as the flat importer does when
 * they do not (`.X` meant as a sibling, a root-level target without its dot).
 */
class ChartConverter {
  private readonly id: string;
  private readonly raw: Record<string, unknown>;
  private readonly chart: ChartInfo | undefined;
  /** The root was `type: "parallel"`: every path now starts with PARALLEL_ROOT_KEY. */
  private readonly wrapped: boolean;

  constructor(
    raw: Record<string, unknown>,
    private readonly notes: DiagnosticList,
  ) {
    this.id = typeof raw["id"] === "string" ? raw["id"] : "";
    this.wrapped = raw["type"] === "parallel" && isRecord(raw["states"]);
    this.raw = this.wrapped ? this.wrap(raw) : raw;
    this.chart = wellFormed(this.raw["states"]) ? buildChart(this.raw as unknown as MachineDefinition) : undefined;
  }

  private wrap(raw: Record<string, unknown>): Record<string, unknown> {
    const { type: _type, states, initial: _initial, ...rest } = raw;
    const main: Record<string, unknown> = { type: "parallel", states };
    for (const k of STATE_KEYS) {
      if (rest[k] === undefined) continue;
      main[k] = rest[k];
      delete rest[k];
    }
    this.notes.warning("/type", `the machine's root is a parallel state; its regions (${Object.keys(states as object).join(", ")}) were put in one parallel state "${PARALLEL_ROOT_KEY}"`, `Write it so to keep the names: "initial": "${PARALLEL_ROOT_KEY}", "states": { "${PARALLEL_ROOT_KEY}": { "type": "parallel", "states": { ... } } }.`);
    return { ...rest, initial: PARALLEL_ROOT_KEY, states: { [PARALLEL_ROOT_KEY]: main } };
  }

  machine(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.raw };
    if (this.raw["on"] !== undefined) out["on"] = this.on(this.raw["on"], undefined, "/on");
    if (isRecord(this.raw["states"])) out["states"] = this.states(this.raw["states"], undefined, "/states");
    return out;
  }

  private states(states: Record<string, unknown>, parent: string | undefined, at: string): Record<string, unknown> {
    const out = dict<unknown>();
    for (const [key, def] of Object.entries(states)) out[key] = this.state(def, joinPath(parent, key), pointer(at, key));
    return { ...out };
  }

  private state(def: unknown, path: string, at: string): unknown {
    if (!isRecord(def)) return def;
    const out: Record<string, unknown> = { ...def };
    // v4: `parallel: true`, `history: true | "deep" | "shallow"` (which made a history state).
    if (def["parallel"] === true && def["type"] === undefined) {
      out["type"] = "parallel";
      delete out["parallel"];
    }
    if (def["history"] === true) out["history"] = "shallow";
    if (def["history"] === false) delete out["history"];
    else if (def["history"] !== undefined && def["type"] === undefined && def["states"] === undefined) out["type"] = "history";
    eventsAndAlways(def, out, at, (t, where) => this.transitions(t, path, where));
    const after = def["after"];
    if (isRecord(after)) out["after"] = Object.fromEntries(Object.entries(after).map(([delay, t]) => [delay, this.transitions(t, path, pointer(`${at}/after`, delay))]));
    if (def["onDone"] !== undefined) out["onDone"] = this.transitions(def["onDone"], path, `${at}/onDone`);
    if (out["type"] === "history" && def["target"] !== undefined) out["target"] = this.targets(def["target"], path, `${at}/target`);
    if (isRecord(def["states"])) out["states"] = this.states(def["states"], path, `${at}/states`);
    return out;
  }

  private on(on: unknown, from: string | undefined, at: string): unknown {
    if (!isRecord(on)) return on;
    return Object.fromEntries(Object.entries(on).map(([event, t]) => [event, this.transitions(t, from, pointer(at, event))]));
  }

  private transitions(def: unknown, from: string | undefined, at: string): unknown {
    if (Array.isArray(def)) return def.map((t: unknown, i) => this.transition(t, from, pointer(at, i)));
    return this.transition(def, from, at);
  }

  private transition(t: unknown, from: string | undefined, at: string): unknown {
    if (typeof t === "string") return this.target(t, from, at);
    if (!isRecord(t)) return t;
    const out: Record<string, unknown> = { ...t };
    if (t["cond"] !== undefined) {
      delete out["cond"];
      if (t["guard"] === undefined) out["guard"] = v4Guard(t["cond"]);
    }
    // v4: transitions were external unless internal (or written ".child"); v5 says reenter.
    if (typeof t["internal"] === "boolean") {
      delete out["internal"];
      if (t["internal"] === false && t["reenter"] === undefined) out["reenter"] = true;
    }
    if (t["target"] !== undefined) out["target"] = this.targets(t["target"], from, `${at}/target`);
    return out;
  }

  private targets(target: unknown, from: string | undefined, at: string): unknown {
    let t = target;
    if (Array.isArray(t) && t.length === 1) t = t[0];
    if (typeof t === "string") return this.target(t, from, at);
    if (Array.isArray(t)) return t.map((x: unknown, i) => (typeof x === "string" ? this.target(x, from, pointer(at, i)) : x));
    return t;
  }

  /** A target as written (moved under the parallel root's wrapper), or repaired when it resolves nowhere but one reading of it does. */
  private target(written: string, from: string | undefined, at: string): string {
    let target = written;
    if (this.wrapped) {
      if (this.id !== "" && (target === `#${this.id}` || target.startsWith(`#${this.id}.`))) target = `#${this.id}.${PARALLEL_ROOT_KEY}${target.slice(this.id.length + 1)}`;
      else if (from === undefined && target.startsWith(".")) target = `.${PARALLEL_ROOT_KEY}${target}`;
      else if (from === undefined && !target.startsWith("#")) target = `.${PARALLEL_ROOT_KEY}.${target}`;
    }
    const chart = this.chart;
    if (!chart) return target;
    const resolves = (t: string): boolean => "path" in resolveTarget(chart, this.id, from, t);
    if (resolves(target)) return target;
    if (from !== undefined && target.startsWith(".") && resolves(target.slice(1))) {
      const name = target.slice(1);
      this.notes.warning(at, `the target "${target}" means a child of state "${from}" in XState, which has none so named; it was read as "${name}" beside it`, `Write "${name}".`);
      return name;
    }
    if (from === undefined && !target.startsWith(".") && !target.startsWith("#") && resolves(`.${target}`)) {
      this.notes.warning(at, `the root-level target "${target}" cannot be resolved by XState itself; it was read as "${target}" (the state)`, `Write ".${target}".`);
      return `.${target}`;
    }
    return target;
  }
}

/**
 * The canonical XState v5 config: every transition an object (a list when there are several),
 * state-level targets as plain names, root-level targets as ".NAME", guards as given; any other
 * key (actions, context, meta ...) kept.
 */
export function exportXState(def: MachineDefinition): MachineDefinition {
  if (isChartDefinition(def)) return exportChart(def);
  const { id, initial, states, on, ...rest } = def;
  const exported = Object.entries(states).map(([name, state]): [string, StateDef] => {
    const { on: stateOn, always, ...stateRest } = state;
    const s: StateDef = { ...stateRest };
    if (stateOn !== undefined) s.on = exportOn(stateOn, id, false);
    if (always !== undefined) s.always = exportList(always, id, false);
    return [name, s];
  });
  return { id, initial, ...rest, ...(on !== undefined ? { on: exportOn(on, id, true) } : {}), states: Object.fromEntries(exported) };
}

function exportOn(on: Record<string, TransitionsDef>, id: string, root: boolean): Record<string, TransitionsDef> {
  return Object.fromEntries(Object.entries(on).map(([event, t]) => [event, exportList(t, id, root)]));
}

function exportList(t: TransitionsDef, id: string, root: boolean): TransitionsDef {
  const list = transitionList(t).map((one): TransitionDef => {
    const { target, guard, ...rest } = one;
    const out: TransitionDef = {};
    const first = Array.isArray(target) ? (target as string[])[0] : (target as string | undefined);
    if (first !== undefined) {
      const name = targetName(first, id);
      out.target = root ? `.${name}` : name;
    }
    if (guard !== undefined) out.guard = guard as GuardRef;
    return { ...out, ...rest };
  });
  return list.length === 1 && list[0] ? list[0] : list;
}


/**
 * A statechart as XState v5 config: states nested as in the definition, each target written so it
 * names the same state by XState's rules (and chart.ts's): `#id` for a state with an id, `.child`
 * inside the source, a sibling's key (or `sibling.child`) beside it, `.path` from the root, else
 * `#machine.path`. `after`, `onDone`, history states and `reenter` are kept; so is every other key.
 */
function exportChart(def: MachineDefinition): MachineDefinition {
  const chart = buildChart(def);
  const { id, initial, states, on, ...rest } = def;
  const list = (t: TransitionsDef, source: string | undefined): TransitionsDef => {
    const out = transitionList(t).map((one): TransitionDef => {
      const { target, guard, ...others } = one;
      const x: TransitionDef = {};
      if (target !== undefined) x.target = Array.isArray(target) ? (target as string[]).map((v) => canonicalTarget(chart, id, source, v)) : canonicalTarget(chart, id, source, target as string);
      if (guard !== undefined) x.guard = guard as GuardRef;
      return { ...x, ...others };
    });
    return out.length === 1 && out[0] ? out[0] : out;
  };
  const state = (s: StateDef, path: string): StateDef => {
    const { on: sOn, always, after, onDone, target, states: children, ...others } = s;
    const out: StateDef = { ...others };
    if (target !== undefined) out.target = Array.isArray(target) ? (target as string[]).map((v) => canonicalTarget(chart, id, path, v)) : canonicalTarget(chart, id, path, target as string);
    if (sOn !== undefined) out.on = Object.fromEntries(Object.entries(sOn).map(([event, t]) => [event, list(t, path)]));
    if (always !== undefined) out.always = list(always, path);
    if (after !== undefined) out.after = Object.fromEntries(Object.entries(after).map(([delay, t]) => [delay, list(t, path)]));
    if (onDone !== undefined) out.onDone = list(onDone, path);
    if (children !== undefined) out.states = Object.fromEntries(Object.entries(children).map(([key, c]) => [key, state(c, joinPath(path, key))]));
    return out;
  };
  const exported = Object.entries(states).map(([key, s]): [string, StateDef] => [key, state(s, joinPath(undefined, key))]);
  const rootOn = on === undefined ? {} : { on: Object.fromEntries(Object.entries(on).map(([event, t]) => [event, list(t, undefined)])) };
  return { id, initial, ...rest, ...rootOn, states: Object.fromEntries(exported) };
}

/** The clearest way to write a target that names the same state, from `source` (undefined: the root). */
export function canonicalTarget(chart: ChartInfo, machineId: string, source: string | undefined, written: string): string {
  const r = resolveTarget(chart, machineId, source, written);
  if (!("path" in r)) return written;
  const path = r.path;
  const node = get(chart.nodes, path);
  const sourceNode = source === undefined ? undefined : get(chart.nodes, source);
  const candidates: string[] = [];
  if (node?.id !== undefined) candidates.push(`#${node.id}`);
  // ".child" joins the source's key as written (XState splits it on dots): only for plain keys.
  if (source !== undefined && sourceNode && path !== source && isWithin(path, source) && !/[.\\]/.test(sourceNode.key)) candidates.push(`.${path.slice(source.length + 1)}`);
  if (source === undefined) candidates.push(`.${path}`);
  else {
    const scope = sourceNode?.parent;
    if (scope === undefined) candidates.push(path);
    else if (path !== scope && isWithin(path, scope)) candidates.push(path.slice(scope.length + 1));
  }
  candidates.push(`#${machineId}.${path}`);
  return candidates.find((c) => {
    const back = resolveTarget(chart, machineId, source, c);
    return "path" in back && back.path === path;
  }) ?? written;
}
