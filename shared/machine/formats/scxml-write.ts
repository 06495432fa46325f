import type { Json, MachineDefinition, StateDef, TransitionDef, TransitionsDef } from "../definition";
import { targetName, transitionList } from "../normalize";
import { condFromGuard, condRoundTrips, FSM_NS, SCXML_NS } from "./scxml-cond";
import { get, has } from "../../dict";
import { STATECHART_ATTR } from "./scxml-ext";
import { buildChart, isChartDefinition, isWithin, joinPath, resolveTarget, splitPath, stateEntries, targetList, type ChartInfo } from "../chart";

/**
 * Write a machine as SCXML (W3C, null data model). Root-level transitions go on one `<state>`
 * named after the machine that wraps all the states; guards go in `cond` (readable), plus
 * `fsm:guard` with the exact guard when `cond` alone would not read back the same; descriptions
 * and meta go in `fsm:description` and `fsm:meta`. Actions and context are not written: SCXML's
 * executable content is a different language. Transitions out of final states are left out
 * (SCXML has none; they never run). importScxml reads the result back to the same machine.
 *
 * SCXML separates names with spaces: when a state or event name has whitespace, every name is
 * written percent-encoded (`idle%20state`, `%` as `%25`) and the root says so with
 * `fsm:names="percent"`, which importScxml reads back. Throws on an empty name.
 */
export function exportScxml(def: MachineDefinition): string {
  if (isChartDefinition(def)) return exportChartScxml(def);
  const names = [...Object.keys(def.states), ...events(def)];
  const empty = names.find((n) => n === "");
  if (empty !== undefined) throw new Error("cannot write SCXML: a state or event name is empty; rename it first");
  const encoded = names.some((n) => /\s/u.test(n));
  const name = (n: string): string => (encoded ? n.replace(/[%\s]/gu, (c) => encodeURIComponent(c)) : n);
  const hasRoot = def.on !== undefined && Object.keys(def.on).length > 0;
  let wrapper = def.id;
  while (hasRoot && has(def.states, wrapper)) wrapper += "_any";
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const head = `<scxml xmlns="${SCXML_NS}" xmlns:fsm="${FSM_NS}" version="1.0" datamodel="null"${attr("name", def.id)}${attr("initial", hasRoot ? name(wrapper) : name(def.initial))}${encoded ? attr("fsm:names", "percent") : ""}`;
  lines.push(`${head}${extras(def)}>`);
  let indent = "  ";
  if (hasRoot) {
    lines.push(`  <state${attr("id", name(wrapper))}${attr("initial", name(def.initial))}>`);
    lines.push(`    <!-- transitions from any state of ${def.id.replace(/--/g, "- -")} -->`);
    for (const [event, t] of Object.entries(def.on ?? {})) lines.push(...transitions(t, event, def.id, "    ", name));
    indent = "    ";
  }
  for (const [stateName, state] of Object.entries(def.states)) {
    const attrs = `${attr("id", name(stateName))}${extras(state)}`;
    if (state.type === "final") {
      lines.push(`${indent}<final${attrs}/>`);
      continue;
    }
    const body: string[] = [];
    for (const [event, t] of Object.entries(state.on ?? {})) body.push(...transitions(t, event, def.id, `${indent}  `, name));
    if (state.always !== undefined) body.push(...transitions(state.always, undefined, def.id, `${indent}  `, name));
    if (body.length === 0) lines.push(`${indent}<state${attrs}/>`);
    else lines.push(`${indent}<state${attrs}>`, ...body, `${indent}</state>`);
  }
  if (hasRoot) lines.push("  </state>");
  lines.push("</scxml>", "");
  return lines.join("\n");
}

/**
 * The SCXML id of every state of a statechart, by path: its own `id` when it has one, else its keys
 * joined by `_` (`held_active_ready`; a dot inside a key also becomes `_`), made unique with `_2`,
 * `_3` when another state already has it. No dots: SCXML matches event descriptors by prefix, so
 * a parent `on` would take `done.state.on.audio` (its child's done event) for its own
 * `done.state.on`. Stable: the same machine always gets the same ids.
 */
export function scxmlIds(chart: ChartInfo): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of Object.values(chart.nodes)) if (node.id !== undefined) taken.add(node.id);
  for (const [path, node] of Object.entries(chart.nodes)) {
    if (node.id !== undefined) {
      ids.set(path, node.id);
      continue;
    }
    const base = splitPath(path)
      .map((k) => k.replace(/\./g, "_"))
      .join("_");
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(path, id);
  }
  return ids;
}

/** One transition of a state as SCXML writes it, in the order it is tried. */
interface ChartTransition {
  events: string[];
  t: TransitionDef;
  after?: string;
  order: number;
}

/**
 * A statechart as nested SCXML (SCXML's semantics match XState's for what the chart says): `<state>`
 * with children and `initial`, `<parallel>`, `<final>`, `<history type>` with its default
 * `<transition>`; targets are SCXML ids (scxmlIds); a transition is `type="internal"` when it does
 * not re-enter its compound source (XState's default for a target inside the source); `onDone` is a
 * transition on `done.state.ID`; a delayed (`after`) transition is SCXML's timeout idiom — `<send
 * event id delay>` on entry, `<cancel>` on exit, a transition on that event (scxmlTimers reads it
 * back as a delay); root-level transitions go on a wrapping state
 * (top-level final states stay outside it: reaching one still ends the machine);
 * `<scxml fsm:statechart="true">` asks for the statechart reading even when the document looks flat.
 * A transition that XState takes without re-entering its atomic source (target the source itself)
 * is written targetless, which SCXML takes the same way; one from a parallel state to the state
 * itself or inside it re-enters the parallel state in SCXML (its own delays restart).
 */
function exportChartScxml(def: MachineDefinition): string {
  const chart = buildChart(def);
  const ids = scxmlIds(chart);
  const idOf = (path: string): string => ids.get(path) ?? path;
  const hasRoot = def.on !== undefined && Object.keys(def.on).length > 0;
  let wrapper = def.id;
  const used = new Set(ids.values());
  while (hasRoot && used.has(wrapper)) wrapper += "_any";
  // Event names, the done events included, and every id: percent-encoded when any has whitespace.
  const names = [...ids.values(), ...chartEvents(def), ...(hasRoot ? [wrapper] : [])];
  if (names.some((n) => n === "")) throw new Error("cannot write SCXML: a state or event name is empty; rename it first");
  const encoded = names.some((n) => /\s/u.test(n));
  const name = (n: string): string => (encoded ? n.replace(/[%\s]/gu, (c) => encodeURIComponent(c)) : n);
  const initialOf = (path: string | undefined): string | undefined => {
    // The transient child an SCXML import made for several initial states: written back as they were.
    const node = path === undefined ? undefined : get(chart.nodes, path);
    if (path === undefined || !node) return undefined;
    const transient = transientTargets(def, chart, path);
    return (transient ?? [path]).map((p) => name(idOf(p))).join(" ");
  };
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const rootInitial = initialOf(chart.initial);
  // With a wrapper, top-level final states stay outside it: reaching one ends the machine, as in XState.
  const outside = (path: string): boolean => hasRoot && get(chart.nodes, path)?.parent === undefined && get(chart.nodes, path)?.kind === "final";
  const startsOutside = chart.initial !== undefined && outside(chart.initial);
  const scxmlInitial = hasRoot && !startsOutside ? name(wrapper) : rootInitial;
  lines.push(`<scxml xmlns="${SCXML_NS}" xmlns:fsm="${FSM_NS}" version="1.0" datamodel="null"${attr("name", def.id)}${scxmlInitial !== undefined ? attr("initial", scxmlInitial) : ""}${attr(`fsm:${STATECHART_ATTR}`, "true")}${encoded ? attr("fsm:names", "percent") : ""}${extras(def)}>`);

  const transitionLines = (source: string | undefined, list: ChartTransition[], indent: string): string[] => {
    const sourceNode = source === undefined ? undefined : get(chart.nodes, source);
    // The wrapper of root-level transitions is a compound state holding every state.
    const compound = source === undefined || sourceNode?.kind === "compound";
    const out: string[] = [];
    for (const { events, t, after } of list) {
      const written = after !== undefined && source !== undefined ? [timerEvent(after, idOf(source))] : events;
      let attrs = written.length > 0 ? attr("event", written.map(name).join(" ")) : "";
      let targets = targetList(t).flatMap((x) => {
        const r = resolveTarget(chart, def.id, source, x);
        return "path" in r ? [r.path] : [];
      });
      let internal = false;
      if (t.reenter !== true && targets.length > 0) {
        if (source !== undefined && sourceNode?.kind === "atomic" && targets.every((x) => x === source)) targets = [];
        else if (source !== undefined && compound && targets.length === 1 && targets[0] === source && sourceNode?.initial !== undefined) {
          targets = transientTargets(def, chart, sourceNode.initial) ?? [sourceNode.initial];
          internal = true;
        } else internal = compound && targets.every((x) => x !== source && (source === undefined ? !outside(x) : isWithin(x, source)));
      }
      if (targets.length > 0) attrs += attr("target", targets.map((x) => name(idOf(x))).join(" "));
      if (internal) attrs += attr("type", "internal");
      if (t.guard !== undefined) {
        const cond = condFromGuard(t.guard);
        attrs += attr("cond", cond);
        if (!condRoundTrips(t.guard, cond)) attrs += attr("fsm:guard", JSON.stringify(t.guard));
      }
      out.push(`${indent}<transition${attrs}${extras(t)}/>`);
    }
    return out;
  };

  const stateLines = (path: string, s: StateDef, indent: string): void => {
    const node = get(chart.nodes, path);
    if (!node) return;
    let attrs = attr("id", name(idOf(path)));
    if (node.kind === "history") {
      if (node.history === "deep") attrs += attr("type", "deep");
      const parent = node.parent === undefined ? undefined : get(chart.nodes, node.parent);
      const written = s.target === undefined ? [] : targetList({ target: s.target });
      const targets = written.length > 0 ? written.flatMap((x) => {
        const r = resolveTarget(chart, def.id, path, x);
        return "path" in r ? [r.path] : [];
      }) : parent?.kind === "compound" && parent.initial !== undefined ? [parent.initial] : [];
      const body = targets.length > 0 ? [`${indent}  <transition${attr("target", targets.map((x) => name(idOf(x))).join(" "))}/>`] : [];
      lines.push(...wrap(indent, "history", `${attrs}${extras(s)}`, body));
      return;
    }
    if (node.kind === "final") {
      lines.push(`${indent}<final${attrs}${extras(s)}/>`);
      return;
    }
    const transient = node.kind === "compound" && node.initial !== undefined ? transientTargets(def, chart, node.initial) : undefined;
    if (node.kind === "compound" && node.initial !== undefined) attrs += attr("initial", (transient ?? [node.initial]).map((x) => name(idOf(x))).join(" "));
    // Delays as SCXML says them: a delayed <send> on entry, cancelled on exit, and a transition on its event.
    const delays = Object.keys(s.after ?? {});
    const timers = delays.map((d) => name(timerEvent(d, idOf(path))));
    const body: string[] = [
      ...(delays.length > 0 ? wrap(`${indent}  `, "onentry", "", timers.map((ev, i) => `${indent}    <send${attr("event", ev)}${attr("id", ev)}${attr("delay", `${delays[i] ?? "0"}ms`)}/>`)) : []),
      ...(delays.length > 0 ? wrap(`${indent}  `, "onexit", "", timers.map((ev) => `${indent}    <cancel${attr("sendid", ev)}/>`)) : []),
      ...transitionLines(path, chartTransitionsOf(s, idOf(path)), `${indent}  `),
    ];
    const at = lines.length;
    for (const [key, child] of stateEntries(s)) {
      const childPath = joinPath(path, key);
      if (transient && childPath === node.initial) continue;
      stateLines(childPath, child, `${indent}  `);
    }
    body.push(...lines.splice(at));
    lines.push(...wrap(indent, node.kind === "parallel" ? "parallel" : "state", `${attrs}${extras(s)}`, body));
  };

  let indent = "  ";
  const top = lines.length;
  if (hasRoot) {
    lines.push(`  <state${attr("id", name(wrapper))}${rootInitial !== undefined && !startsOutside ? attr("initial", rootInitial) : ""}>`);
    lines.push(`    <!-- transitions from any state of ${def.id.replace(/--/g, "- -")} -->`);
    lines.push(...transitionLines(undefined, chartTransitionsOf({ on: def.on ?? {} }, ""), "    "));
    indent = "    ";
  }
  const rootTransient = chart.initial === undefined ? undefined : transientTargets(def, chart, chart.initial);
  for (const [key, s] of stateEntries(def)) {
    const path = joinPath(undefined, key);
    if ((rootTransient && path === chart.initial) || outside(path)) continue;
    stateLines(path, s, indent);
  }
  if (hasRoot) lines.push("  </state>");
  for (const [key, s] of stateEntries(def)) if (outside(joinPath(undefined, key))) stateLines(joinPath(undefined, key), s, "  ");
  if (lines.length === top) throw new Error("cannot write SCXML: the machine has no states");
  lines.push("</scxml>", "");
  return lines.join("\n");
}

/** The event of a delayed transition's timer: `fsm.after.60000.active` (SCXML's timeout idiom; scxmlTimers reads it back). */
function timerEvent(delay: string, stateId: string): string {
  return `fsm.after.${delay}.${stateId}`;
}

/** `<name attrs/>`, or with its body inside. */
function wrap(indent: string, element: string, attrs: string, body: string[]): string[] {
  return body.length === 0 ? [`${indent}<${element}${attrs}/>`] : [`${indent}<${element}${attrs}>`, ...body, `${indent}</${element}>`];
}

/**
 * When `path` is the transient child an SCXML import makes for an `initial` naming several or
 * deeper states (key ":initial", meta.transient, one eventless transition), the states it enters.
 */
function transientTargets(def: MachineDefinition, chart: ChartInfo, path: string): string[] | undefined {
  const node = get(chart.nodes, path);
  if (!node || node.key !== ":initial" || node.kind !== "atomic") return undefined;
  let s: StateDef | undefined;
  let states: Record<string, StateDef> | undefined = def.states;
  for (const p of [...ancestorsOf(chart, path), path]) {
    const key = get(chart.nodes, p)?.key ?? "";
    s = states && has(states, key) ? states[key] : undefined;
    states = s?.states;
  }
  if (!s || s.meta?.["transient"] !== true || s.on !== undefined || s.after !== undefined) return undefined;
  const always = transitionList(s.always);
  const only = always[0];
  if (always.length !== 1 || !only || only.guard !== undefined || only.actions !== undefined) return undefined;
  const targets = targetList(only).flatMap((x) => {
    const r = resolveTarget(chart, def.id, path, x);
    return "path" in r ? [r.path] : [];
  });
  return targets.length > 0 ? targets : undefined;
}

function ancestorsOf(chart: ChartInfo, path: string): string[] {
  const out: string[] = [];
  for (let p = get(chart.nodes, path)?.parent; p !== undefined; p = get(chart.nodes, p)?.parent) out.unshift(p);
  return out;
}

/**
 * A state's transitions in the order SCXML tries them: by `documentOrder` when the machine came
 * from SCXML (transitions that shared one element, one per event, written as one again); else its
 * events in order (wildcards last, as XState tries them), eventless ones, delayed ones, `onDone`.
 */
function chartTransitionsOf(s: StateDef, id: string): ChartTransition[] {
  const out: ChartTransition[] = [];
  let order = 0;
  const wild = (e: string): boolean => e === "*" || e.endsWith(".*");
  const on = Object.entries(s.on ?? {});
  for (const [event, t] of [...on.filter(([e]) => !wild(e)), ...on.filter(([e]) => wild(e))]) for (const one of transitionList(t)) out.push({ events: [event], t: one, order: order++ });
  for (const one of transitionList(s.always)) out.push({ events: [], t: one, order: order++ });
  for (const [delay, t] of Object.entries(s.after ?? {})) for (const one of transitionList(t)) out.push({ events: [], t: one, after: delay, order: order++ });
  for (const one of transitionList(s.onDone)) out.push({ events: [`done.state.${id}`], t: one, order: order++ });
  const documentOrder = (c: ChartTransition): number | undefined => (typeof c.t["documentOrder"] === "number" ? c.t["documentOrder"] : undefined);
  if (!out.some((c) => documentOrder(c) !== undefined)) return out;
  const sorted = [...out].sort((a, b) => (documentOrder(a) ?? Infinity) - (documentOrder(b) ?? Infinity) || a.order - b.order);
  const merged: ChartTransition[] = [];
  for (const c of sorted) {
    const prev = merged[merged.length - 1];
    const d = documentOrder(c);
    if (prev && d !== undefined && documentOrder(prev) === d && prev.events.length > 0 && c.events.length > 0 && sameTransition(prev.t, c.t)) prev.events.push(...c.events);
    else merged.push({ ...c, events: [...c.events] });
  }
  return merged;
}

function sameTransition(a: TransitionDef, b: TransitionDef): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every event name a statechart's SCXML holds (done events are written from ids). */
function chartEvents(def: MachineDefinition): string[] {
  const names = Object.keys(def.on ?? {});
  const walk = (s: StateDef): void => {
    names.push(...Object.keys(s.on ?? {}));
    for (const [, c] of stateEntries(s)) walk(c);
  };
  for (const [, s] of stateEntries(def)) walk(s);
  return names;
}

function events(def: MachineDefinition): string[] {
  const names = Object.keys(def.on ?? {});
  for (const s of Object.values(def.states)) names.push(...Object.keys(s.on ?? {}));
  return names;
}

function transitions(t: TransitionsDef, event: string | undefined, id: string, indent: string, name: (n: string) => string): string[] {
  return transitionList(t).map((one) => {
    let attrs = event === undefined ? "" : attr("event", name(event));
    const target = Array.isArray(one.target) ? (one.target as string[])[0] : (one.target as string | undefined);
    if (target !== undefined) attrs += attr("target", name(targetName(target, id)));
    if (one.guard !== undefined) {
      const cond = condFromGuard(one.guard);
      attrs += attr("cond", cond);
      if (!condRoundTrips(one.guard, cond)) attrs += attr("fsm:guard", JSON.stringify(one.guard));
    }
    return `${indent}<transition${attrs}${extras(one)}/>`;
  });
}

/** `fsm:description` and `fsm:meta`, when present. */
function extras(node: { description?: unknown; meta?: Record<string, Json> }): string {
  let attrs = "";
  if (typeof node.description === "string") attrs += attr("fsm:description", node.description);
  if (node.meta !== undefined) attrs += attr("fsm:meta", JSON.stringify(node.meta));
  return attrs;
}

/**
 * ` name="value"`, in single quotes when the value has double quotes but no single ones (JSON stays
 * readable); line breaks and tabs as character references so they survive attribute normalisation.
 */
function attr(name: string, value: string): string {
  const q = value.includes('"') && !value.includes("'") ? "'" : '"';
  const escaped = value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(q === '"' ? /"/g : /'/g, q === '"' ? "&quot;" : "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
  return ` ${name}=${q}${escaped}${q}`;
}
