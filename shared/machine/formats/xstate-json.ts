import type { GuardRef, MachineDefinition, StateDef, TransitionDef, TransitionsDef } from "../definition";
import { DiagnosticList, hasErrors, isRecord, pointer, type Locate } from "../diagnostics";
import { ANY_STATE, targetName, transitionList } from "../normalize";
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
  const converted = isRecord(config) ? new Converter(config, notes).machine() : config;
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
    const always: unknown[] = [];
    if (def["always"] !== undefined) always.push(...asList(this.transitions(def["always"], name, `${path}/always`)));
    const on = def["on"];
    if (isRecord(on)) {
      const rest = dict<unknown>();
      for (const [event, t] of Object.entries(on)) {
        const converted = this.transitions(t, name, pointer(`${path}/on`, event));
        if (event === "") always.push(...asList(converted));
        else rest[event] = converted;
      }
      out["on"] = rest;
    }
    if (always.length > 0) out["always"] = always.length === 1 ? always[0] : always;
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

/**
 * The canonical XState v5 config: every transition an object (a list when there are several),
 * state-level targets as plain names, root-level targets as ".NAME", guards as given; any other
 * key (actions, context, meta ...) kept.
 */
export function exportXState(def: MachineDefinition): MachineDefinition {
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

