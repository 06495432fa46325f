/**
 * Which instances the list shows, and in what order: only those something is known of (a state,
 * or a transition — jumpstarter's fallback "exporter" row waits until then), filtered by name or
 * state text, by state, and by "in this state longer than", sorted by first seen, name, state or
 * longest in its state. Pure over the session model and "now".
 */
import { parseIsoMs } from "../../../../shared/trace/time";
import type { InstanceState, SessionModel } from "../../../../shared/trace/session-model";

export type InstanceSort = "seen" | "name" | "state" | "longest";

export interface InstanceQuery {
  text: string;
  /** A state name, or "" for all. */
  state: string;
  /** In its state at least this long (ms); 0 for any. */
  minMs: number;
  sort: InstanceSort;
}

export const NO_QUERY: InstanceQuery = { text: "", state: "", minMs: 0, sort: "seen" };

export function isKnown(inst: InstanceState): boolean {
  return inst.state !== undefined || inst.transitions > 0;
}

/** The parts of a session's model the instance list reads: a batch that leaves them alone does not draw it again. */
export type InstanceTables = Pick<SessionModel, "instances" | "instanceOrder">;

const known = (model: InstanceTables) => (id: string): boolean => {
  const inst = model.instances[id];
  return inst !== undefined && isKnown(inst);
};

/** The instances something is known of, in the order they were first seen. */
export function listedIds(model: InstanceTables): string[] {
  return model.instanceOrder.filter(known(model));
}

/**
 * The instance a view shows: the selected one while it exists, else the first something is known
 * of (found without listing them all: this runs on every change of the store).
 */
export function shownInstance(model: InstanceTables, selected: string | undefined): string | undefined {
  return selected && model.instances[selected] ? selected : model.instanceOrder.find(known(model));
}

/** Time in its state (ms) at `now`, or -1 when unknown. */
export function timeInState(inst: InstanceState, now: number): number {
  const since = inst.since ? parseIsoMs(inst.since) : undefined;
  return since === undefined || Number.isNaN(now) ? -1 : Math.max(0, now - since);
}

export function queryInstances(model: InstanceTables, q: InstanceQuery, now: number): string[] {
  const text = q.text.trim().toLowerCase();
  const ids = listedIds(model).filter((id) => {
    const inst = model.instances[id] as InstanceState;
    if (text && !`${id} ${inst.state ?? ""}`.toLowerCase().includes(text)) return false;
    if (q.state && inst.state !== q.state) return false;
    if (q.minMs > 0 && timeInState(inst, now) < q.minMs) return false;
    return true;
  });
  const inst = (id: string): InstanceState => model.instances[id] as InstanceState;
  switch (q.sort) {
    case "name":
      return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    case "state":
      return ids.sort((a, b) => (inst(a).state ?? "").localeCompare(inst(b).state ?? "") || (a < b ? -1 : 1));
    case "longest":
      return ids.sort((a, b) => timeInState(inst(b), now) - timeInState(inst(a), now));
    default:
      return ids;
  }
}
