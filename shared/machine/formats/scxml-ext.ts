/**
 * What scxml-read's statechart reader knows beyond plain SCXML: a statechart written by exportScxml
 * is marked `fsm:statechart="true"`, so one that looks flat (one top-level state holding atomic
 * ones looks like the flat export's wrapper of root-level transitions) is read as one; and SCXML's
 * timeout idiom (a delayed `<send>` on entry, cancelled on exit) is read as a delayed transition,
 * which is how exportScxml writes one. Pure.
 */
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

/** An SCXML delay (CSS2 time: `5s`, `250ms`, `.5s`) in milliseconds, or undefined. */
export function scxmlDelayMs(text: string): number | undefined {
  const m = /^(\d*\.?\d+)(ms|s)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  return Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : undefined;
}

/**
 * SCXML's timeout idiom, read as a delayed transition: `<onentry><send event="E" id="E" delay="5s"/>`
 * with `<onexit><cancel sendid="E"/>` and a `<transition event="E">` on the same state is XState's
 * `after: { 5000: ... }`. Returns the event → delay (ms) of each such timer, and the elements that
 * make it (their effect is then known: simulate does not refuse them).
 */
export function scxmlTimers(el: XmlElement): { delays: Map<string, number>; elements: Set<XmlElement> } {
  const delays = new Map<string, number>();
  const elements = new Set<XmlElement>();
  const of = (name: string): XmlElement[] => el.children.filter((c) => c.name === name).flatMap((c) => c.children);
  const entry = of("onentry");
  const exit = of("onexit");
  for (const send of entry) {
    const a = send.attrs;
    const event = a["event"];
    const delay = a["delay"] === undefined ? undefined : scxmlDelayMs(a["delay"]);
    const plain = Object.keys(a).every((k) => k === "event" || k === "id" || k === "delay" || k === "type" && a[k] === "http://www.w3.org/TR/scxml/#SCXMLEventProcessor");
    if (send.name !== "send" || event === undefined || a["id"] !== event || delay === undefined || !plain || send.children.length > 0) continue;
    const cancel = exit.find((c) => c.name === "cancel" && c.attrs["sendid"] === event);
    const handled = el.children.some((t) => t.name === "transition" && (t.attrs["event"] ?? "").trim() === event);
    // Sent more than once, or taken by a transition elsewhere: not the idiom.
    if (!cancel || !handled || delays.has(event) || entry.filter((c) => c.attrs["event"] === event).length > 1) continue;
    delays.set(event, delay);
    elements.add(send).add(cancel);
  }
  return { delays, elements };
}
