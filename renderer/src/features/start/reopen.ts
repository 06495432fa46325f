import type { FsmApi } from "../../../../shared/ipc/contract";
import { toUserFacing } from "../../../../shared/errors";
import type { RecentTarget } from "../../../../shared/ipc/replay";
import { useStore } from "../../store/store";
import { openLogPath, openMachinePath } from "../open/open-log";

/**
 * Open a recent target again, as it was opened: a log is replayed, a folder watched, a machine
 * shown; a database opens its dialog filled in, since its password is not kept.
 */
export async function reopen(api: FsmApi, r: RecentTarget): Promise<void> {
  const store = useStore.getState();
  try {
    switch (r.kind) {
      case "log":
        return await openLogPath(api, r.target, r.profileId);
      case "folder":
        store.setActiveSession((await api.openFolder(r.profileId ? { path: r.target, profileId: r.profileId } : { path: r.target })).id);
        return;
      case "machine":
        store.setActiveSession((await api.openMachine({ profileId: r.profileId ?? r.target })).id);
        return;
      case "machine-file":
        return await openMachinePath(api, r.target);
      case "database":
        store.openDialog("open-database", { connection: r.target, ...(r.profileId ? { profileId: r.profileId } : {}) });
        return;
    }
  } catch (err) {
    store.showError(toUserFacing(err));
  }
}
