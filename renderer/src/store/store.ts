import { create } from "zustand";
import { createSessionsSlice, type SessionsSlice, type SessionView } from "./sessions-slice";
import { createUiSlice, type UiSlice } from "./ui-slice";

/** One store, one file per slice; components select the smallest piece they need. */
export type AppState = SessionsSlice & UiSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createSessionsSlice(...a),
  ...createUiSlice(...a),
}));

export function selectActiveView(s: AppState): SessionView | undefined {
  return s.activeSessionId ? s.views[s.activeSessionId] : undefined;
}
