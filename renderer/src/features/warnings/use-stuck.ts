/**
 * Stuck instances of the session on screen (shared/trace/stuck.ts), on the view's one clock; and
 * the desktop notification for them — at most once per instance per stay, grouped when several
 * get stuck at once (the browser's Notification API in serve mode, once the user allowed it).
 */
import { useEffect, useMemo } from "react";
import { findProfile } from "../../../../shared/profiles";
import { stuckInstances, stuckMessage, type StuckInstance } from "../../../../shared/trace/stuck";
import type { SessionView } from "../../store/sessions-slice";
import { selectActiveView, useStore } from "../../store/store";
import type { WarningObservation } from "../../../../shared/trace/observation";

/** The last answer: every panel asking in the same tick about the same session gets it without a second computation. */
let last: { summary: SessionView["summary"]; now: number; list: StuckInstance[] } | undefined;

/**
 * Stuck instances of the session on screen at `now` (the view's one clock: a live session's time,
 * or a replay's cursor): computed once per tick from the model as it is then — a batch of
 * observations does not recompute it — and shared by the instance list, the Warnings panel and
 * the diagram's per-state counts.
 */
export function useActiveStuck(now: number): StuckInstance[] {
  const summary = useStore((s) => selectActiveView(s)?.summary);
  return useMemo(() => {
    const view = selectActiveView(useStore.getState());
    if (!view || view.summary !== summary) return [];
    if (last && last.summary === summary && last.now === now) return last.list;
    const warnings = findProfile(view.summary.profileId)?.warnings;
    const list = stuckInstances(warnings ? { machine: view.machine, warnings } : { machine: view.machine }, view.model, now);
    last = { summary: view.summary, now, list };
    return list;
  }, [summary, now]);
}

/** Stuck instances as warnings, for the Warnings panel. */
export function stuckWarnings(list: readonly StuckInstance[]): WarningObservation[] {
  return list.map((s, i) => ({ kind: "warning", code: "stuck", seq: -1 - i, key: `stuck:${s.id}`, message: stuckMessage(s), tsFrom: "observed", source: {}, instance: s.id }));
}

/** Stuck instances the program's own warning does not already cover (ecluse's pending-too-long comes from the same limit): not said twice. */
export function notWarnedYet(stuck: readonly StuckInstance[], warnings: readonly WarningObservation[]): StuckInstance[] {
  const covered = new Set(warnings.flatMap((w) => (w.code === "pending-too-long" && w.instance !== undefined ? [w.instance] : [])));
  return stuck.filter((s) => !covered.has(s.id));
}

/** Stays already announced: instance + since. */
const announced = new Set<string>();

export function useStuckNotifications(sessionTitle: string | undefined, list: readonly StuckInstance[], sinceOf: (id: string) => string | undefined): void {
  useEffect(() => {
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    const fresh = list.filter((s) => {
      const key = `${s.id}\u0000${sinceOf(s.id) ?? ""}`;
      if (announced.has(key)) return false;
      announced.add(key);
      return true;
    });
    if (fresh.length === 0) return;
    const title = `${sessionTitle ?? "FSM Inspector"}: ${fresh.length === 1 ? "an instance is stuck" : `${fresh.length} instances are stuck`}`;
    const body = fresh.length === 1 && fresh[0] ? stuckMessage(fresh[0]) : fresh.slice(0, 5).map((s) => `${s.id} in ${s.state}`).join(", ") + (fresh.length > 5 ? ", …" : "");
    new Notification(title, { body, tag: `stuck:${sessionTitle ?? ""}` });
  }, [list, sessionTitle, sinceOf]);
}
