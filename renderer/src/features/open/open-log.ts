import type { FsmApi } from "../../../../shared/ipc/contract";
import type { SessionSummary } from "../../../../shared/ipc/views";
import { toUserFacing } from "../../../../shared/errors";
import { useStore } from "../../store/store";
import type { Dialog, DialogPrefill } from "../../store/ui-slice";

/** Open what is at a path; its tab is shown, or the dialog `dialog` shows why it could not be opened, with the path, so another can be chosen. */
async function openOrExplain(dialog: Exclude<Dialog, null>, open: () => Promise<SessionSummary>, prefill: DialogPrefill): Promise<void> {
  const store = useStore.getState();
  try {
    store.setActiveSession((await open()).id);
  } catch (err) {
    store.openDialog(dialog, { ...prefill, error: toUserFacing(err) });
  }
}

/** The desktop app's native picker, then `open`; in a browser, the in-page dialog (the backend's files). */
async function pickThenOpen(dialog: Exclude<Dialog, null>, pick: () => Promise<string | null>, open: (path: string) => Promise<void>): Promise<void> {
  const store = useStore.getState();
  if (store.mode !== "electron") return store.openDialog(dialog);
  let path: string | null;
  try {
    path = await pick();
  } catch (err) {
    store.showError(toUserFacing(err));
    return;
  }
  if (path) await open(path);
}

/** Replay a log at a path (a drop, a recent target, the native picker). */
export function openLogPath(api: FsmApi, path: string, profileId?: string): Promise<void> {
  return openOrExplain("open-log", () => api.openLog(profileId ? { path, profileId } : { path }), { path, ...(profileId ? { profileId } : {}) });
}

/** "Open log…" (`l`). */
export function openLogAction(api: FsmApi): Promise<void> {
  return pickThenOpen("open-log", () => api.pickLog(null), (p) => openLogPath(api, p));
}

/** Show a machine file of the user's own (SCXML, XState JSON or YAML, a profile). */
export function openMachinePath(api: FsmApi, path: string): Promise<void> {
  return openOrExplain("open-machine", () => api.openMachineFile({ path }), { path });
}

/** "Open machine…" (`m`). */
export function openMachineAction(api: FsmApi): Promise<void> {
  return pickThenOpen("open-machine", () => api.pickMachine(null), (p) => openMachinePath(api, p));
}
