/**
 * Our SCXML extensions that scxml-read's statechart reader applies after reading a state's
 * transitions: a delayed transition, which SCXML can only say with executable content (`<send
 * delay>`), is written by exportScxml as an eventless transition with `fsm:after="5000"`; and a
 * statechart is marked `fsm:statechart="true"`, so one that looks flat (one top-level state holding
 * atomic ones looks like the flat export's wrapper of root-level transitions) is read as one. Pure.
 */
import type { StateDef, TransitionDef } from "../definition";
import { FSM_NS } from "./scxml-cond";
import type { XmlElement } from "./xml-tree";

/** `<scxml fsm:statechart="true">`: a statechart written by exportScxml, to be read as one (SCXML's semantics) even when it looks flat. */
export const STATECHART_ATTR = "statechart";

/** Does the document ask to be read as a statechart (`fsm:statechart="true"` on <scxml>, whatever prefix binds our namespace)? */
export function asksForChart(scxml: XmlElement): boolean {
  for (const [k, v] of Object.entries(scxml.attrs)) {
    if (k.startsWith("xmlns:") && v === FSM_NS && scxml.attrs[`${k.slice(6)}:${STATECHART_ATTR}`] === "true") return true;
  }
  return false;
}

/**
 * Move the eventless transitions of `el` that carry `fsm:after` (prefix `fsm`, as the document binds
 * our namespace) from `state.always` into `state.after[delay]`, in document order. `state.always`
 * holds the element's eventless transitions in document order, as the chart reader builds it.
 */
export function readScxmlAfter(state: StateDef, el: XmlElement, fsm: string): void {
  const always = state.always;
  if (!Array.isArray(always)) return;
  const eventless = el.children.filter((c) => c.name === "transition" && (c.attrs["event"] ?? "").trim() === "");
  if (!eventless.some((t) => t.attrs[`${fsm}:after`] !== undefined)) return;
  const keep: (string | TransitionDef)[] = [];
  const after = new Map<string, (string | TransitionDef)[]>(Object.entries(state.after ?? {}).map(([k, v]) => [k, Array.isArray(v) ? [...(v as (string | TransitionDef)[])] : [v as string | TransitionDef]]));
  (always as readonly (string | TransitionDef)[]).forEach((t, i) => {
    const delay = eventless[i]?.attrs[`${fsm}:after`]?.trim();
    if (delay === undefined) keep.push(t);
    else after.set(delay, [...(after.get(delay) ?? []), t]);
  });
  if (keep.length > 0) state.always = keep;
  else delete state.always;
  state.after = Object.fromEntries(after);
}
