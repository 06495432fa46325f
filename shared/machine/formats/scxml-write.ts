import type { Json, MachineDefinition, TransitionsDef } from "../definition";
import { targetName, transitionList } from "../normalize";
import { condFromGuard, condRoundTrips, FSM_NS, SCXML_NS } from "./scxml-cond";
import { has } from "../../dict";

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
