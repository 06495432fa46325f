import { create } from "zustand";
import { createReplaySlice, type ReplaySlice, type ReplayView } from "./replay-slice";
import { createSessionsSlice, type SessionsSlice, type SessionView } from "./sessions-slice";
import { createUiSlice, type UiSlice } from "./ui-slice";

/** One store, one file per slice; components select the smallest piece they need. */
export type AppState = SessionsSlice & ReplaySlice & UiSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createSessionsSlice(...a),
  ...createReplaySlice(...a),
  ...createUiSlice(...a),
}));

export function selectActiveView(s: AppState): SessionView | undefined {
  return s.activeSessionId ? s.views[s.activeSessionId] : undefined;
}

/** The active session's replay state, when it is a replay session. */
export function selectActiveReplay(s: AppState): ReplayView | undefined {
  return s.activeSessionId ? s.replays[s.activeSessionId] : undefined;
}
