/**
 * Checks of a statechart (nested, parallel and history states, delays, onDone): each state's shape,
 * every target resolved as XState resolves it, determinism, and loops of eventless transitions.
 */
import type { MachineDefinition } from "./definition";
import { type DiagnosticList, describeValue, didYouMean, isRecord, pointer } from "./diagnostics";
import { ALWAYS, ANY_STATE } from "./normalize";
import { DONE_PREFIX, defaultLeaves, ancestors, forEachTransitionGroup, isInternalEvent, isWithin, resolveTarget, scxmlDescriptorMatches, type ChartInfo } from "./chart";
import { strongComponents, transitionBody, type Reporter, type Written } from "./validate-parts";
import { get } from "../dict";

const KINDS = new Set(["atomic", "compound", "parallel", "final", "history"]);
/** A delay XState runs on its own: milliseconds, written as a number. */
const DELAY = /^\d+(?:\.\d+)?$/;

interface ChartCheck extends Reporter {
  count: number;
  ids: Map<string, string>;
  limit: number;
}

/** Check the states of a chart (the root's own keys are checked by the caller). True when they can be built into a tree. */
export function checkChartStates(raw: Record<string, unknown>, out: DiagnosticList, limit: number): boolean {
  const c: ChartCheck = { out, count: 0, ids: new Map(), limit };
  const states = raw["states"];
  if (!isRecord(states) || Object.keys(states).length === 0) {
    out.error("/states", "the machine has no states", 'Add "states": { "idle": { "on": { "start": "running" } }, "running": {} }.');
    return false;
  }
  walk(c, states, "/states", undefined);
  if (c.count > limit) out.error("/states", `the machine has ${c.count} states; the limit is ${limit}`, "Split it into several machines, or generate a smaller one.");
  const initial = raw["initial"];
  if (initial !== undefined && (typeof initial !== "string" || !Object.prototype.hasOwnProperty.call(states, initial))) {
    out.error("/initial", `the initial state ${describeValue(initial)} is not a top-level state`, `The top-level states are: ${Object.keys(states).slice(0, 12).join(", ")}.`);
  } else if (initial === undefined) {
    out.warning("", `the machine has no "initial" state; it starts in its first state "${Object.keys(states)[0] ?? ""}"`, `Add "initial": "${Object.keys(states)[0] ?? ""}".`);
  }
  return !out.hasErrors;
}

function walk(c: ChartCheck, states: Record<string, unknown>, at: string, parentType: string | undefined): void {
  for (const [key, def] of Object.entries(states)) {
    c.count += 1;
    if (c.count > c.limit) return;
    const p = pointer(at, key);
    if (key === "" || key === ANY_STATE) c.out.error(p, `the state name "${key}" ${key === "" ? "is empty" : 'is "*", which stands for "any state"'}`, "Rename it.");
    if (!isRecord(def)) {
      c.out.error(p, `state "${key}" must be an object ({} for a state without transitions), but it is ${describeValue(def)}`, `Write "${key}": {}.`);
      continue;
    }
    const type = def["type"];
    const children = def["states"];
    if (type !== undefined && (typeof type !== "string" || !KINDS.has(type))) {
      c.out.error(`${p}/type`, `state "${key}" has the unknown type ${describeValue(type)}`, 'Use "compound", "parallel", "final", "history" or "atomic", or remove "type".');
    }
    const hasChildren = isRecord(children) && Object.keys(children).length > 0;
    if (children !== undefined && !isRecord(children)) c.out.error(`${p}/states`, `the children of state "${key}" must be an object of named states, but they are ${describeValue(children)}`, `Write "states": { "child": {} }.`);
    if (hasChildren && (type === "final" || type === "history" || type === "atomic")) {
      c.out.error(`${p}/states`, `state "${key}" is a${type === "atomic" ? "n" : ""} ${type} state, so it cannot have child states`, `Remove "type": "${type}", or move its children elsewhere.`);
    }
    if (type === "parallel" && !hasChildren) c.out.error(`${p}/type`, `parallel state "${key}" has no regions`, `Give it child states (each one a region that runs at the same time as the others), or remove "type": "parallel".`);
    if (type === "history") checkHistory(c, key, def, p, parentType);
    const initial = def["initial"];
    if (initial !== undefined) {
      if (type === "parallel") c.out.warning(`${p}/initial`, `parallel state "${key}" has an "initial", which is ignored: every region starts`, 'Remove "initial".');
      else if (!hasChildren) c.out.error(`${p}/initial`, `state "${key}" has an "initial" but no child states`, 'Remove "initial", or add "states".');
      else if (typeof initial !== "string" || !Object.prototype.hasOwnProperty.call(children, initial)) {
        c.out.error(`${p}/initial`, `the initial state ${describeValue(initial)} of "${key}" is not one of its children`, `Its children are: ${Object.keys(children as object).slice(0, 12).join(", ")}.`);
      } else if (isRecord((children as Record<string, unknown>)[initial]) && ((children as Record<string, Record<string, unknown>>)[initial] as Record<string, unknown>)["type"] === "history") {
        c.out.error(`${p}/initial`, `the initial state "${initial}" of "${key}" is a history state`, "Start in an ordinary child; a history state is only a target.");
      }
    } else if (hasChildren && type !== "parallel") {
      const first = Object.keys(children as object)[0] ?? "";
      c.out.warning(p, `compound state "${key}" has no "initial"; it starts in its first child "${first}"`, `Add "initial": "${first}".`);
    }
    const id = def["id"];
    if (id !== undefined) {
      if (typeof id !== "string" || id === "") c.out.error(`${p}/id`, `the id of state "${key}" must be a non-empty string, but it is ${describeValue(id)}`, "Write a name, or remove it.");
      else if (c.ids.has(id)) c.out.error(`${p}/id`, `two states have the id "${id}" (the other is at ${c.ids.get(id) ?? ""})`, "Give each state its own id.");
      else c.ids.set(id, p);
    }
    const after = def["after"];
    if (after !== undefined) {
      if (!isRecord(after)) c.out.error(`${p}/after`, `"after" must map delays in milliseconds to transitions, but it is ${describeValue(after)}`, 'Write "after": { "5000": "timedOut" }.');
      else {
        for (const delay of Object.keys(after)) {
          if (!DELAY.test(delay)) c.out.error(pointer(`${p}/after`, delay), `the delay "${delay}" is not a number of milliseconds (named delays are code, which is never run here)`, 'Write the delay in milliseconds: "after": { "5000": ... }.');
        }
      }
    }
    if (def["onDone"] !== undefined && !hasChildren) c.out.warning(`${p}/onDone`, `state "${key}" has "onDone" but no child states, so it is never done`, 'Move "onDone" to the compound or parallel state that contains the final state.');
    if (def["invoke"] !== undefined) c.out.warning(`${p}/invoke`, `state "${key}" invokes an actor; its onDone/onError transitions are not shown or stepped`, "Model the outcomes as named events (like hook_done, hook_failed).");
    if (def["description"] !== undefined && typeof def["description"] !== "string") c.out.warning(`${p}/description`, `the description of state "${key}" is not a string and is ignored`, "Write it as text.");
    if (isRecord(children)) walk(c, children, `${p}/states`, typeof type === "string" ? type : hasChildren ? "compound" : "atomic");
  }
}

function checkHistory(c: ChartCheck, key: string, def: Record<string, unknown>, p: string, parentType: string | undefined): void {
  const depth = def["history"];
  if (depth !== undefined && depth !== "shallow" && depth !== "deep") c.out.error(`${p}/history`, `the history of "${key}" must be "shallow" or "deep", but it is ${describeValue(depth)}`, 'Write "history": "deep" to restore the whole configuration, or "shallow" for the direct child.');
  if (parentType === undefined) c.out.error(p, `history state "${key}" is at the top level, where there is nothing to remember`, "Put it inside the compound or parallel state whose last children it should restore.");
  for (const k of ["on", "always", "after"]) {
    if (def[k] !== undefined) c.out.error(pointer(p, k), `history state "${key}" has transitions; it is only a target`, `Remove "${k}".`);
  }
}

/** Every transition of the chart, checked and resolved (targets as paths). */
export function chartTransitions(c: Reporter & { id: string }, def: MachineDefinition, chart: ChartInfo): Written[] {
  const written: Written[] = [];
  const paths = Object.keys(chart.nodes);
  const list = (from: string, event: string, tdef: unknown, path: string): void => {
    const items: [unknown, string][] = Array.isArray(tdef) ? tdef.map((t: unknown, i) => [t, pointer(path, i)]) : [[tdef, path]];
    items.forEach(([t, tp], index) => {
      const w: Written = { from, event, index, path: tp, targetless: true, guarded: false };
      const body = transitionBody(c, t, tp, w);
      if (!body) return;
      let targets = body.target;
      if (targets === undefined) {
        written.push(w);
        return;
      }
      w.targetless = false;
      if (!Array.isArray(targets)) targets = [targets];
      const arr = targets as unknown[];
      if (arr.length === 0) c.out.error(body.targetPath, "this transition's list of targets is empty", 'Remove "target" for a transition that stays in its state.');
      const resolved: string[] = [];
      arr.forEach((target, i) => {
        const tpath = Array.isArray(body.target) ? pointer(body.targetPath, i) : body.targetPath;
        if (typeof target !== "string") return c.out.error(tpath, `a target must be a state name, but this is ${describeValue(target)}`, 'Write "target": "STATE".');
        w.written ??= target;
        const r = resolveTarget(chart, c.id, from === ANY_STATE ? undefined : from, target);
        if ("path" in r) {
          w.target ??= r.path;
          resolved.push(r.path);
          return;
        }
        const who = from === ANY_STATE ? `the root-level transition for "${event}"` : `state "${from}"'s transition${event === ALWAYS ? " (eventless)" : ` for "${event}"`}`;
        const close = didYouMean(target.replace(/^[.#]/, ""), paths);
        c.out.error(tpath, `${who} goes to "${target}": ${r.reason}`, close ?? "Write a sibling's key, \".child\" for a child, or \"#id\" for a state with an id.");
      });
      if (resolved.length > 1) checkOrthogonal(c, chart, resolved, body.targetPath);
      written.push(w);
    });
  };
  forEachTransitionGroup(def as unknown as Record<string, unknown>, (from, event, t, path, group) => {
    const source = from ?? ANY_STATE;
    if (group === "bad-on") c.out.error(path, `"on" must be an object from event names to transitions, but it is ${describeValue(t)}`, 'Write "on": { "event": "TARGET" }.');
    else if (group === "on" && event === ALWAYS) c.out.error(path, 'an event name cannot be empty ("" was XState v4\'s eventless transition)', 'Move these transitions to "always".');
    else list(source, event, t, path);
  });
  return written;
}

/** Several targets must lie in different regions of one parallel state (XState enters them together). */
function checkOrthogonal(c: Reporter, chart: ChartInfo, resolved: readonly string[], path: string): void {
  for (let i = 0; i < resolved.length; i++) {
    for (let j = i + 1; j < resolved.length; j++) {
      const a = resolved[i] as string;
      const b = resolved[j] as string;
      const upA = [a, ...ancestors(chart, a)];
      const upB = new Set([b, ...ancestors(chart, b)]);
      const common = upA.find((x) => upB.has(x));
      if (common === undefined || get(chart.nodes, common)?.kind !== "parallel" || common === a || common === b) {
        c.out.error(path, `the targets "${a}" and "${b}" cannot both be active: only states in different regions of one parallel state can`, "Keep one target, or target states in different regions of a parallel state.");
        return;
      }
    }
  }
}

/**
 * Loops of eventless transitions: after taking one, the states entered (the target, its ancestors,
 * its default children) may take another at once. Unguarded loops are errors (XState would spin
 * forever); guarded ones are warnings, and step() refuses a machine with any (see eventlessChartLoop).
 */
export function checkChartEventlessLoops(c: Reporter, chart: ChartInfo, written: Written[], scxml = false): void {
  const loop = eventlessChartLoop(chart, written, false, scxml);
  if (loop?.done) {
    c.out.error(loop.path, `transitions taken as soon as a state is done loop forever: ${loop.states.join(" → ")} (entering the final state makes its parent done, and the transition that catches that done event enters it again)`, "Target a state outside, or give the transition an event of its own.");
    return;
  }
  if (loop) {
    c.out.error(loop.path, `eventless ("always") transitions loop forever: ${loop.states.join(" → ")}, and none of them has a guard`, "Give one of them a guard, or make one of them a transition on an event.");
    return;
  }
  const guarded = eventlessChartLoop(chart, written, true, scxml);
  if (guarded) c.out.warning(guarded.path, `eventless ("always") transitions can loop forever: ${guarded.states.join(" → ")}, whenever their guards all hold`, "Make sure their guards cannot all hold at once, or make one of them a transition on an event.");
}

/** The final states inside a state (its own final children; a parallel state's regions' ones). */
function finalsWithin(chart: ChartInfo, path: string): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    for (const c of chart.nodes[p]?.children ?? []) {
      const kind = chart.nodes[c]?.kind;
      if (kind === "final") out.push(c);
      else if (chart.nodes[p]?.kind === "parallel") visit(c);
    }
  };
  visit(path);
  return out;
}

/**
 * `scxml`: event descriptors match SCXML's way, so a transition on `*` or `done` (or `done.state`)
 * also catches the done event of a state inside its own: taken at once when a final state there is
 * entered, like an eventless one.
 */
export function eventlessChartLoop(chart: ChartInfo, written: readonly Pick<Written, "from" | "event" | "target" | "targetless" | "guarded" | "path">[], includeGuarded: boolean, scxml = false): { states: string[]; path: string; done: boolean } | undefined {
  const always = new Map<string, (typeof written)[number][]>();
  const add = (from: string, w: (typeof written)[number]): void => {
    const l = always.get(from);
    if (l) l.push(w);
    else always.set(from, [w]);
  };
  for (const w of written) {
    if (w.from === ANY_STATE || (w.guarded && !includeGuarded)) continue;
    if (w.event === ALWAYS) add(w.from, w);
    // A done transition is taken at once when a final state inside its state is entered: from those, it is eventless too.
    else if (w.event.startsWith(DONE_PREFIX) && !w.targetless) for (const f of finalsWithin(chart, w.from)) add(f, w);
    else if (scxml && !w.targetless && !isInternalEvent(w.event)) {
      for (const inner of Object.keys(chart.nodes)) {
        const node = chart.nodes[inner];
        if (!node?.children.length || !isWithin(inner, w.from) || !scxmlDescriptorMatches(`done.state.${node.id ?? node.key}`, w.event)) continue;
        for (const f of finalsWithin(chart, inner)) add(f, w);
      }
    }
  }
  if (always.size === 0) return undefined;
  // The states active right after entering `target` that have eventless transitions.
  const next = (s: string): string[] => {
    const out: string[] = [];
    for (const w of always.get(s) ?? []) {
      const t = w.targetless ? s : w.target;
      if (t === undefined) continue;
      const active = new Set([t, ...ancestors(chart, t), ...defaultLeaves(chart, t).flatMap((l) => [l, ...ancestors(chart, l)])]);
      for (const a of active) if (always.has(a)) out.push(a);
    }
    return out;
  };
  const nodes = [...always.keys()];
  const component = strongComponents(nodes, next);
  const sizes = new Map<number, string[]>();
  for (const n of nodes) {
    const k = component.get(n) ?? -1;
    const l = sizes.get(k);
    if (l) l.push(n);
    else sizes.set(k, [n]);
  }
  for (const members of sizes.values()) {
    const first = members[0] as string;
    if (members.length > 1 || next(first).includes(first)) {
      const ws = members.flatMap((m) => always.get(m) ?? []);
      return { states: [...members, first], path: ws[0]?.path ?? "", done: ws.some((w) => w.event !== ALWAYS) };
    }
  }
  return undefined;
}
