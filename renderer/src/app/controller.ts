import type { FsmApi } from "../../../shared/ipc/contract";
import { toUserFacing } from "../../../shared/errors";
import type { SessionSummary } from "../../../shared/ipc/views";
import { useStore } from "../store/store";
import { replayControllerFor } from "../features/replay/replay-controller";
import { ObservationBatcher } from "./observation-batcher";

/**
 * Wires the backend to the store: subscribes first (early observations are buffered), then loads
 * the list of sessions and each one's snapshot; a replay session's position and timeline are then
 * the replay controller's. Call `resync` after a reconnect.
 */
export function startController(api: FsmApi): { resync(): Promise<void>; stop(): void } {
  const store = useStore.getState;
  const replay = replayControllerFor(api);
  const loading = new Set<string>();

  const load = async (s: SessionSummary): Promise<void> => {
    if (loading.has(s.id)) return;
    loading.add(s.id);
    try {
      const snap = await api.getSession({ sessionId: s.id });
      store().loadSnapshot(snap);
      if (s.kind === "replay") {
        // Where its indexing stands (a page opened after it ended gets no more progress events).
        if (snap.progress) replay.onProgress(snap.progress);
        replay.adopt(s.id);
      }
    } catch (err) {
      store().showError(toUserFacing(err));
    } finally {
      loading.delete(s.id);
    }
  };

  const onSessions = (list: SessionSummary[]): void => {
    store().setSessions(list);
    replay.retain(new Set(list.map((s) => s.id)));
    for (const s of list) if (!store().views[s.id]) void load(s);
  };

  // Many messages a second (a fleet) are applied together, at most ten times a second.
  const batcher = new ObservationBatcher((sessionId, items) => store().applyObservations(sessionId, items));
  const unsubs = [
    api.subscribe("sessions", (list) => {
      // What arrived for these sessions is applied before the list changes (nothing held for a session that is gone).
      batcher.flush();
      onSessions(list);
    }),
    api.subscribe("observations", ({ sessionId, items }) => batcher.push(sessionId, items)),
    api.subscribe("indexProgress", (p) => replay.onProgress(p)),
  ];

  const resync = async (): Promise<void> => {
    try {
      store().setMode((await api.getAppInfo(null)).mode);
      const list = await api.listSessions(null);
      store().setSessions(list);
      replay.retain(new Set(list.map((s) => s.id)));
      await Promise.all(list.map(load));
    } catch (err) {
      store().showError(toUserFacing(err));
    }
  };

  return {
    resync,
    stop: () => {
      unsubs.forEach((u) => u());
      batcher.stop();
    },
  };
}
