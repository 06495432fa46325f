import type { StateCreator } from "zustand";
import type { MachineDefinition } from "../../../shared/machine/definition";
import type { SessionSnapshot, SessionSummary } from "../../../shared/ipc/views";
import type { Observation } from "../../../shared/trace/observation";
import { applyAll, reviveModel, type SessionModel } from "../../../shared/trace/session-model";
import type { AppState } from "./store";

export interface SessionView {
  summary: SessionSummary;
  machine: MachineDefinition;
  model: SessionModel;
}

export interface SessionsSlice {
  sessions: SessionSummary[];
  activeSessionId: string | undefined;
  views: Record<string, SessionView>;
  /** Observations that arrived before their session's snapshot. */
  early: Record<string, Observation[]>;
  setSessions(list: SessionSummary[]): void;
  setActiveSession(id: string | undefined): void;
  loadSnapshot(snap: SessionSnapshot): void;
  applyObservations(sessionId: string, items: Observation[]): void;
}

export const createSessionsSlice: StateCreator<AppState, [], [], SessionsSlice> = (set) => ({
  sessions: [],
  activeSessionId: undefined,
  views: {},
  early: {},
  setSessions: (list) =>
    set((s) => {
      const ids = new Set(list.map((x) => x.id));
      const views = Object.fromEntries(Object.entries(s.views).filter(([id]) => ids.has(id)));
      // Observations held for a session whose snapshot never came: gone with the session.
      const early = Object.fromEntries(Object.entries(s.early).filter(([id]) => ids.has(id)));
      const active = s.activeSessionId && ids.has(s.activeSessionId) ? s.activeSessionId : list[0]?.id;
      return { sessions: list, views, early, activeSessionId: active };
    }),
  setActiveSession: (id) => set({ activeSessionId: id, activeSandboxId: undefined }),
  loadSnapshot: (snap) =>
    set((s) => {
      const id = snap.summary.id;
      const early = s.early[id] ?? [];
      // The snapshot crossed JSON (or structured clone): its tables keyed by names come back as Dicts.
      const model = applyAll(reviveModel(snap.model), early);
      const { [id]: _dropped, ...rest } = s.early;
      return { views: { ...s.views, [id]: { summary: snap.summary, machine: snap.machine, model } }, early: rest };
    }),
  applyObservations: (sessionId, items) =>
    set((s) => {
      const view = s.views[sessionId];
      if (!view) return { early: { ...s.early, [sessionId]: [...(s.early[sessionId] ?? []), ...items] } };
      return { views: { ...s.views, [sessionId]: { ...view, model: applyAll(view.model, items) } } };
    }),
});
