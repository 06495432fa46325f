import { create } from "zustand";
import { createReplaySlice, type ReplaySlice, type ReplayView } from "./replay-slice";
import { createSessionsSlice, type SessionsSlice, type SessionView } from "./sessions-slice";
import { createUiSlice, type UiSlice } from "./ui-slice";
import { createSandboxSlice, type SandboxEntry, type SandboxSlice } from "./sandbox-slice";

/** One store, one file per slice; components select the smallest piece they need. */
export type AppState = SessionsSlice & ReplaySlice & UiSlice & SandboxSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createSessionsSlice(...a),
  ...createReplaySlice(...a),
  ...createUiSlice(...a),
  ...createSandboxSlice(...a),
}));

/** The session on screen (none while a sandbox is). */
export function selectActiveView(s: AppState): SessionView | undefined {
  return s.activeSessionId && !s.activeSandboxId ? s.views[s.activeSessionId] : undefined;
}

export function selectActiveSandbox(s: AppState): SandboxEntry | undefined {
  return s.activeSandboxId ? s.sandboxes.find((x) => x.id === s.activeSandboxId) : undefined;
}

/** The active session's replay state, when it is a replay session. */
export function selectActiveReplay(s: AppState): ReplayView | undefined {
  return s.activeSessionId ? s.replays[s.activeSessionId] : undefined;
}
