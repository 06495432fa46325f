/**
 * A sandbox's line as a session model, so the diagram, its overlays and its pulse show it like a
 * live session. Without times: the sandbox runs on its own virtual clock, and a "time in state"
 * measured against the real one would mean nothing.
 */
import { applyAll, emptyModel, type SessionModel } from "../../../../shared/trace/session-model";
import type { Observation } from "../../../../shared/trace/observation";
import { line, type SandboxTimeline } from "../../../../shared/sandbox/timeline";

export function sandboxModel(t: SandboxTimeline): SessionModel {
  const inst = t.start.instance;
  const items: Observation[] = [{ kind: "state", seq: 1, instance: inst, state: t.start.state, tsFrom: "observed", source: {} }];
  for (const h of t.start.history) {
    // The history it was forked with, as seen before the fork.
    items.push({ kind: "transition", seq: items.length + 1, instance: inst, from: h.from, to: h.to, ...(h.event ? { event: h.event } : {}), tsFrom: "observed", source: {}, verdict: "declared" });
  }
  if (t.start.history.length) items.push({ kind: "state", seq: items.length + 1, instance: inst, state: t.start.state, tsFrom: "observed", source: {} });
  for (const n of line(t)) {
    const p = n.result.path;
    for (let i = 1; i < p.length; i++) {
      items.push({ kind: "transition", seq: items.length + 1, instance: inst, from: p[i - 1] as string, to: p[i] as string, event: n.event, tsFrom: "observed", source: {}, verdict: "declared" });
    }
  }
  // The start's state, then each hop of the line: the instance ends where the sandbox is.
  return applyAll(emptyModel(), items);
}
