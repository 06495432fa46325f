import type { FsmApi } from "../../../../shared/ipc/contract";
import { toUserFacing } from "../../../../shared/errors";
import { useStore } from "../../store/store";

/**
 * Replay a log at a path (a drop, a recent target, the native picker): its tab is shown; if it
 * cannot be opened, the Open log dialog shows why, with the path, so another profile or file can
 * be chosen.
 */
export async function openLogPath(api: FsmApi, path: string, profileId?: string): Promise<void> {
  const store = useStore.getState();
  try {
    const summary = await api.openLog(profileId ? { path, profileId } : { path });
    store.setActiveSession(summary.id);
  } catch (err) {
    store.openDialog("open-log", { path, error: toUserFacing(err), ...(profileId ? { profileId } : {}) });
  }
}

/** "Open log…" (`l`): the desktop app's native picker, else the in-page picker of the backend's files. */
export async function openLogAction(api: FsmApi): Promise<void> {
  const store = useStore.getState();
  if (store.mode !== "electron") return store.openDialog("open-log");
  let path: string | null;
  try {
    path = await api.pickLog(null);
  } catch (err) {
    store.showError(toUserFacing(err));
    return;
  }
  if (path) await openLogPath(api, path);
}
