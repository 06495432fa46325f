import type { MachineDefinition } from "./definition";
import { DiagnosticList, describeValue, didYouMean, isRecord, pointer, type Diagnostic, type Locate } from "./diagnostics";
import { ALWAYS, ANY_STATE } from "./normalize";
import { isChartDefinition, buildChart } from "./chart";
import { chartTransitions, checkChartEventlessLoops, checkChartStates } from "./validate-chart";
import { checkDeterminism, strongComponents, transitionBody, type Written } from "./validate-parts";

export interface ValidateContext {
  file: string;
  locate?: Locate | undefined;
  /** Pointer of the machine inside its document: "/machine" in a profile, "" for a machine file. */
  basePath?: string;
}

export interface ValidationResult {
  /** Present only when there is no error: safe to normalize() and step(). */
  definition?: MachineDefinition;
  diagnostics: Diagnostic[];
}

interface Machine {
  id: string;
  raw: Record<string, unknown>;
  names: string[];
  /** The same names, for lookups ("constructor" and "__proto__" are names like any other). */
  nameSet: Set<string>;
  finals: Set<string>;
  out: DiagnosticList;
}

/** The largest machine checked: XState takes about a second to build one of 50,000 transitions. */
export const MAX_STATES = 10_000;
export const MAX_TRANSITIONS = 50_000;

/**
 * Check a machine definition (an XState v5 config as JSON): its shape, then what makes a flat
 * machine wrong (unknown targets, unreachable transitions, eventless loops) or suspicious
 * (unreachable states, unused events, transitions out of a final state).
 */
export function validateMachine(value: unknown, ctx: ValidateContext): ValidationResult {
  const out = new DiagnosticList(ctx.file, ctx.locate, ctx.basePath ?? "");
  if (!isRecord(value)) {
    out.error("", `a machine definition must be an object, but this is ${describeValue(value)}`, 'Write { "id": "...", "initial": "...", "states": { ... } }.');
    return { diagnostics: out.items };
  }
  const m: Machine = { id: machineId(value, ctx.file, out), raw: value, names: [], nameSet: new Set(), finals: new Set(), out };
  checkRoot(m);
  if (isChartDefinition(value)) return validateChart(m);
  checkStates(m);
  if (m.names.length > MAX_STATES) {
    out.error("/states", `the machine has ${m.names.length} states; the limit is ${MAX_STATES}`, "Split it into several machines, or generate a smaller one.");
    return { diagnostics: out.items };
  }
  checkInitial(m);
  const written = collectTransitions(m);
  if (written.length > MAX_TRANSITIONS) {
    out.error("", `the machine has ${written.length} transitions; the limit is ${MAX_TRANSITIONS}`, "Use root-level transitions (taken from any state) for events every state handles the same way, or split the machine.");
    return { diagnostics: out.items };
  }
  checkDeterminism(m, written);
  checkGuardedEventlessLoops(m, written, checkEventlessLoops(m, written));
  checkFinals(m);
  checkUnusedEvents(m);
  if (!out.hasErrors) checkReachable(m, written);
  if (out.hasErrors) return { diagnostics: out.items };
  return { definition: { ...value, id: m.id } as MachineDefinition, diagnostics: out.items };
}

/** A statechart: nested, parallel and history states, delays. */
function validateChart(m: Machine): ValidationResult {
  const { out } = m;
  if (!checkChartStates(m.raw, out, MAX_STATES)) return { diagnostics: out.items };
  const firstKey = Object.keys(m.raw["states"] as object)[0] ?? "";
  const def = { ...m.raw, id: m.id, initial: typeof m.raw["initial"] === "string" ? m.raw["initial"] : firstKey } as MachineDefinition;
  const chart = buildChart(def);
  const written = chartTransitions({ out, id: m.id }, def, chart);
  if (written.length > MAX_TRANSITIONS) {
    out.error("", `the machine has ${written.length} transitions; the limit is ${MAX_TRANSITIONS}`, "Split the machine.");
    return { diagnostics: out.items };
  }
  checkDeterminism(m, written);
  checkChartEventlessLoops(m, chart, written, def.eventMatching === "scxml");
  checkUnusedEvents(m);
  if (out.hasErrors) return { diagnostics: out.items };
  return { definition: def, diagnostics: out.items };
}

function machineId(value: Record<string, unknown>, file: string, out: DiagnosticList): string {
  const id = value["id"];
  if (typeof id === "string" && id.trim() !== "") return id;
  const fallback = defaultMachineId(file);
  if (id !== undefined && typeof id !== "string") out.error("/id", `"id" must be a string, but it is ${describeValue(id)}`, `Write "id": "${fallback}".`);
  else out.warning(id === undefined ? "" : "/id", `the machine has no "id"; "${fallback}" is used`, `Add "id": "${fallback}" (it names the machine in diagrams and exports).`);
  return fallback;
}

/** A machine id from a file name: `/x/light.scxml` → `light`. */
export function defaultMachineId(file: string): string {
  return (file.split(/[\\/]/).pop() ?? "").replace(/\.[^.]*$/, "").replace(/[^\w-]+/g, "-") || "machine";
}

function checkRoot(m: Machine): void {
  const type = m.raw["type"];
  if (type === "parallel") m.out.error("/type", "the machine is a parallel machine; only flat machines (one active state) are supported", "Describe each region as its own machine, or flatten the regions into combined states such as \"A1_B1\".");
  else if (type !== undefined && type !== "compound") m.out.error("/type", `the machine's "type" is ${describeValue(type)}; a machine is a set of states`, 'Remove "type" from the top level.');
  if (m.raw["always"] !== undefined) m.out.error("/always", 'root-level "always" (eventless transitions from every state) is not supported', "Put each eventless transition on the state it leaves.");
  const context = m.raw["context"];
  if (context !== undefined && !isRecord(context)) m.out.error("/context", `"context" (what the machine remembers) must be an object of named values, but it is ${describeValue(context)}`, 'Write "context": { "endRequested": false }.');
  noteIgnored(m, m.raw, "", "the machine");
}

function noteIgnored(m: Machine, def: Record<string, unknown>, path: string, who: string): void {
  if (def["after"] !== undefined) m.out.warning(`${path}/after`, `${who} has delayed ("after") transitions, which are not shown or stepped`, "Model the timeout as a named event (like idle_5min) that the program logs.");
  if (def["invoke"] !== undefined) m.out.warning(`${path}/invoke`, `${who} invokes an actor; its onDone/onError transitions are not shown or stepped`, "Model the outcomes as named events (like hook_done, hook_failed).");
}

function checkStates(m: Machine): void {
  const states = m.raw["states"];
  const example = 'Add "states": { "idle": { "on": { "start": "running" } }, "running": {} }.';
  if (states === undefined) return m.out.error("", 'the machine has no "states"', example);
  if (!isRecord(states)) return m.out.error("/states", `"states" must be an object of named states, but it is ${describeValue(states)}`, example);
  m.names = Object.keys(states);
  m.nameSet = new Set(m.names);
  if (m.names.length === 0) return m.out.error("/states", "the machine has no states", example);
  // Over MAX_STATES, validateMachine reports the size alone.
  if (m.names.length > MAX_STATES) return;
  for (const name of m.names) {
    const p = pointer("/states", name);
    const def = states[name];
    if (name === "" || name.includes(".") || name === ANY_STATE) {
      const why = name === "" ? "is empty" : name === ANY_STATE ? 'is "*", which stands for "any state"' : "contains a dot, which XState reads as a path to a child state";
      m.out.error(p, `the state name "${name}" ${why}`, `Rename it${name.includes(".") ? ` (e.g. "${name.replace(/\./g, "_")}")` : ""}.`);
    }
    if (!isRecord(def)) {
      m.out.error(p, `state "${name}" must be an object ({} for a state without transitions), but it is ${describeValue(def)}`, `Write "${name}": {}.`);
      continue;
    }
    checkStateType(m, name, p, def);
    if (def["description"] !== undefined && typeof def["description"] !== "string") m.out.warning(`${p}/description`, `the description of state "${name}" is not a string and is ignored`, "Write it as text.");
    noteIgnored(m, def, p, `state "${name}"`);
  }
}

function checkStateType(m: Machine, name: string, p: string, def: Record<string, unknown>): void {
  const type = def["type"];
  const children = def["states"];
  if (type === "final") m.finals.add(name);
  if (type === "parallel") {
    m.out.error(`${p}/type`, `state "${name}" is a parallel state; only flat machines (one active state) are supported`, `Describe each region of "${name}" as its own machine, or flatten the regions into combined states such as "${name}_A1_B1".`);
  } else if (type === "history") {
    m.out.error(`${p}/type`, `state "${name}" is a history state; only flat machines are supported`, `Remove it and point the transitions that target "${name}" at the state they should return to (one guarded transition per case).`);
  } else if (type !== undefined && type !== "atomic" && type !== "final" && type !== "compound") {
    m.out.error(`${p}/type`, `state "${name}" has the unknown type ${describeValue(type)}`, 'Use "type": "final" for a final state, or remove "type".');
  }
  if (children !== undefined && !(isRecord(children) && Object.keys(children).length === 0)) {
    m.out.error(`${p}/states`, `state "${name}" has nested states; only flat machines (states side by side) are supported`, `Flatten it: move each child to the top level (e.g. "${name}_child"), point transitions at those names, and copy the "on" of "${name}" to each child (or to the root-level "on" if it applies in every state).`);
  } else if (type === "compound") {
    m.out.error(`${p}/type`, `state "${name}" is a compound state; only flat machines are supported`, 'Remove "type": "compound" and flatten its children to the top level.');
  }
}

function checkInitial(m: Machine): void {
  const initial = m.raw["initial"];
  if (m.names.length === 0) return;
  if (initial === undefined) return m.out.error("", 'the machine has no "initial" state', `Add "initial": "${m.names[0]}" (the state a new instance starts in).`);
  if (typeof initial !== "string") return m.out.error("/initial", `"initial" must be a state name, but it is ${describeValue(initial)}`, `Write "initial": "${m.names[0]}".`);
  if (!m.nameSet.has(initial)) m.out.error("/initial", `the initial state "${initial}" is not a state`, suggest(m, initial));
}

/** "Did you mean X?" or the list of states (skipped once the list of problems is full: it costs a pass over the names). */
function suggest(m: Machine, name: string): string {
  return (m.out.full ? undefined : didYouMean(name, m.names)) ?? listStates(m.names);
}

function listStates(names: string[]): string {
  const shown = names.slice(0, 12).join(", ");
  return `The states are: ${shown}${names.length > 12 ? ", ..." : ""}.`;
}

function collectTransitions(m: Machine): Written[] {
  const written: Written[] = [];
  const group = (from: string, on: unknown, path: string): void => {
    if (on === undefined) return;
    if (!isRecord(on)) return m.out.error(path, `"on" must be an object from event names to transitions, but it is ${describeValue(on)}`, 'Write "on": { "event": "TARGET" }.');
    for (const [event, def] of Object.entries(on)) {
      if (event === ALWAYS) m.out.error(pointer(path, event), 'an event name cannot be empty ("" was XState v4\'s eventless transition)', 'Move these transitions to "always".');
      else list(from, event, def, pointer(path, event));
    }
  };
  const list = (from: string, event: string, def: unknown, path: string): void => {
    const items: [unknown, string][] = Array.isArray(def) ? def.map((t: unknown, i) => [t, pointer(path, i)]) : [[def, path]];
    items.forEach(([t, tp], index) => {
      const w = transition(m, from, event, t, tp, index);
      if (w) written.push(w);
    });
  };
  group(ANY_STATE, m.raw["on"], "/on");
  const states = m.raw["states"];
  if (!isRecord(states)) return written;
  for (const name of m.names) {
    const def = states[name];
    if (!isRecord(def)) continue;
    const p = pointer("/states", name);
    group(name, def["on"], `${p}/on`);
    if (def["always"] !== undefined) list(name, ALWAYS, def["always"], `${p}/always`);
  }
  return written;
}

function transition(m: Machine, from: string, event: string, t: unknown, path: string, index: number): Written | undefined {
  const w: Written = { from, event, index, path, targetless: true, guarded: false };
  const body = transitionBody(m, t, path, w);
  if (!body) return undefined;
  let { target, targetPath } = body;
  if (Array.isArray(target)) {
    if (target.length !== 1) {
      w.targetless = false;
      m.out.error(targetPath, `this transition has ${target.length} targets; a flat machine's transition has one (or none)`, target.length === 0 ? 'Remove "target" for a transition that stays in its state.' : "Keep one target.");
      return w;
    }
    target = target[0];
    targetPath = `${targetPath}/0`;
  }
  if (target === undefined) return w;
  w.targetless = false;
  if (typeof target !== "string") {
    m.out.error(targetPath, `a target must be a state name, but this is ${describeValue(target)}`, 'Write "target": "STATE".');
    return w;
  }
  w.written = target;
  const resolved = resolveTarget(m, from, event, target, targetPath);
  if (resolved !== undefined) w.target = resolved;
  return w;
}

/** The state a target names, or undefined (reported) when it names none. */
function resolveTarget(m: Machine, from: string, event: string, target: string, path: string): string | undefined {
  const root = from === ANY_STATE;
  const hash = `#${m.id}.`;
  let name = target;
  if (target.startsWith(hash)) name = target.slice(hash.length);
  else if (target.startsWith("#")) {
    const dot = target.indexOf(".");
    m.out.error(path, `the target "${target}" ${dot > 0 ? `names the machine "${target.slice(1, dot)}", but this machine's id is "${m.id}"` : "refers to a state by a custom id, which is not resolved here"}`, `Write the state's name${dot > 0 ? `, "${target.slice(dot + 1)}"` : ""}.`);
    return undefined;
  } else if (target.startsWith(".")) {
    name = target.slice(1);
    if (!root) {
      m.out.error(path, `the target "${target}" means a child of state "${from}", and states here have no children`, `Write "${name}".`);
      return undefined;
    }
  } else if (root && m.nameSet.has(target)) {
    m.out.error(path, `the root-level transition for "${event}" targets "${target}", which XState cannot resolve from the machine's root`, `Write ".${target}": targets of root-level transitions start with a dot.`);
    return undefined;
  }
  if (m.nameSet.has(name)) return name;
  const who = root ? `the root-level transition for "${event}" goes` : `state "${from}" has ${event === ALWAYS ? "an eventless transition" : "a transition"}`;
  m.out.error(path, `${who} to "${name}", which is not a state`, suggest(m, name));
  return undefined;
}

/** Unguarded eventless transitions that lead back to where they started run forever. Returns the states of those loops. */
function checkEventlessLoops(m: Machine, written: Written[]): Set<string> {
  const next = new Map<string, Written>();
  for (const w of written) {
    if (w.event === ALWAYS && !w.guarded && !m.finals.has(w.from) && !next.has(w.from)) next.set(w.from, w);
  }
  const onLoop = new Set<string>();
  // Each state has at most one such transition: follow each chain once, from the states in order.
  const done = new Set<string>();
  for (const start of m.names) {
    if (done.has(start)) continue;
    const chain: string[] = [];
    const at = new Map<string, number>();
    let s: string | undefined = start;
    while (s !== undefined && !done.has(s) && !at.has(s)) {
      at.set(s, chain.length);
      chain.push(s);
      const w = next.get(s);
      s = w === undefined ? undefined : w.targetless ? w.from : w.target;
    }
    for (const c of chain) done.add(c);
    if (s === undefined || !at.has(s)) continue;
    const cycle = chain.slice(at.get(s));
    for (const c of cycle) onLoop.add(c);
    const w = next.get(s);
    if (!w) continue;
    const message =
      cycle.length === 1
        ? `state "${s}" has an eventless ("always") transition ${w.targetless ? "without a target" : "back to itself"} and without a guard: XState would take it forever`
        : `eventless ("always") transitions loop forever: ${[...cycle, s].join(" → ")}, and none of them has a guard`;
    m.out.error(w.path, message, cycle.length === 1 ? "Give it a guard, or remove it." : "Give one of them a guard, or make one of them a transition on an event.");
  }
  return onLoop;
}

/** Guarded eventless transitions that can come back to their state: they run forever whenever all their guards hold. */
function checkGuardedEventlessLoops(m: Machine, written: Written[], reported: Set<string>): void {
  const to = (w: Written): string => (w.targetless ? w.from : (w.target ?? w.from));
  const out = new Map<string, Written[]>();
  for (const w of written) {
    if (w.event !== ALWAYS || m.finals.has(w.from) || !(w.targetless || w.target !== undefined)) continue;
    const list = out.get(w.from);
    if (list) list.push(w);
    else out.set(w.from, [w]);
  }
  const component = strongComponents(m.names, (s) => (out.get(s) ?? []).map(to));
  const cycleFrom = (start: string): Written[] | undefined => {
    const mine = component.get(start);
    const via = new Map<string, Written>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i] as string;
      for (const w of out.get(s) ?? []) {
        const t = to(w);
        if (t === start) {
          const path = [w];
          for (let e = via.get(w.from); e !== undefined; e = via.get(e.from)) path.unshift(e);
          return path;
        }
        // A way back to `start` never leaves its strongly connected component.
        if (!via.has(t) && component.get(t) === mine) {
          via.set(t, w);
          queue.push(t);
        }
      }
    }
    return undefined;
  };
  const covered = new Set(reported);
  for (const start of m.names) {
    if (m.out.full) return;
    if (covered.has(start) || !out.has(start)) continue;
    const cycle = cycleFrom(start);
    if (!cycle || cycle.some((w) => reported.has(w.from))) continue;
    for (const w of cycle) covered.add(w.from);
    const first = cycle[0] as Written;
    const message =
      cycle.length === 1
        ? `state "${start}" has an eventless ("always") transition ${first.targetless ? "without a target" : "back to itself"}: it runs forever whenever its guard holds`
        : `eventless ("always") transitions can loop forever: ${[...cycle.map((w) => w.from), start].join(" → ")}, whenever their guards all hold`;
    m.out.warning(first.path, message, cycle.length === 1 ? "Give it a target elsewhere, or make it a transition on an event." : "Make sure their guards cannot all hold at once, or make one of them a transition on an event.");
  }
}

function checkFinals(m: Machine): void {
  const states = m.raw["states"];
  if (!isRecord(states)) return;
  for (const name of m.finals) {
    const def = states[name];
    if (!isRecord(def)) continue;
    for (const key of ["on", "always"]) {
      const v = def[key];
      if (v === undefined || (isRecord(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0)) continue;
      m.out.warning(pointer("/states", name, key), `final state "${name}" has transitions, which never run: reaching a final state ends the machine`, `Remove them, or remove "type": "final" if the machine can leave ${name}.`);
    }
  }
}

function usedEvents(m: Machine): Set<string> {
  const used = new Set<string>();
  const add = (on: unknown): void => {
    if (isRecord(on)) for (const e of Object.keys(on)) used.add(e);
  };
  add(m.raw["on"]);
  const visit = (states: unknown): void => {
    if (!isRecord(states)) return;
    for (const def of Object.values(states)) {
      if (!isRecord(def)) continue;
      add(def["on"]);
      visit(def["states"]);
    }
  };
  visit(m.raw["states"]);
  return used;
}

/** Names listed in meta.events that no transition uses (a typo, or a transition forgotten). */
function checkUnusedEvents(m: Machine): void {
  const meta = m.raw["meta"];
  const events = isRecord(meta) ? meta["events"] : undefined;
  if (events === undefined) return;
  if (!Array.isArray(events)) return m.out.warning("/meta/events", `"meta.events" should list event names, but it is ${describeValue(events)}`, 'Write "events": ["start", "stop"].');
  const used = usedEvents(m);
  events.forEach((e: unknown, i) => {
    if (typeof e !== "string" || used.has(e)) return;
    const close = didYouMean(e, used);
    m.out.warning(pointer("/meta/events", i), `event "${e}" is listed in meta.events, but no transition uses it`, `${close ? `${close} ` : ""}Add a transition for it, or remove it from the list.`);
  });
}

/** States no path from the initial state reaches (root-level transitions leave every non-final state). */
function checkReachable(m: Machine, written: Written[]): void {
  const initial = m.raw["initial"];
  if (typeof initial !== "string") return;
  const out = new Map<string, string[]>();
  for (const w of written) {
    if (w.target === undefined) continue;
    const list = out.get(w.from);
    if (list) list.push(w.target);
    else out.set(w.from, [w.target]);
  }
  const seen = new Set<string>([initial]);
  const queue = [initial];
  let rootTaken = false;
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i] as string;
    if (m.finals.has(s)) continue;
    const targets = out.get(s) ?? [];
    // Root-level transitions leave any non-final state: follow them once.
    const root = rootTaken ? [] : (out.get(ANY_STATE) ?? []);
    rootTaken = true;
    for (const t of [...targets, ...root]) {
      if (seen.has(t)) continue;
      seen.add(t);
      queue.push(t);
    }
  }
  for (const name of m.names) {
    if (!seen.has(name)) m.out.warning(pointer("/states", name), `state "${name}" cannot be reached from the initial state "${initial}"`, `Add a transition to ${name}, or remove it if it is no longer used.`);
  }
}
