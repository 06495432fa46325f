import { useEffect } from "react";
import type { FsmApi } from "../../../shared/ipc/contract";
import { useStore } from "../store/store";
import { selectActiveView } from "../store/store";
import type { Overlays } from "../store/ui-slice";
import { openLogAction, openMachineAction } from "../features/open/open-log";
import { replayControllerFor } from "../features/replay/replay-controller";
import { forkActiveView } from "../features/sandbox/fork";
import { listedIds } from "../features/instances/listed";
import { toUserFacing } from "../../../shared/errors";
import { isTyping } from "../hooks/typing";

const OVERLAY_KEYS: Record<string, keyof Overlays> = { "1": "counts", "2": "dwell", "3": "ghosts", "4": "unseen", "5": "badges" };

/** The app's keyboard shortcuts (listed in the help overlay, `?`). */
export function useShortcuts(api: FsmApi): void {
  useEffect(() => {
    const replay = replayControllerFor(api);
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useStore.getState();
      if (s.dialog || s.helpOpen) return;
      const view = selectActiveView(s);
      const moveInstance = (delta: number): void => {
        if (!view) return;
        const ids = listedIds(view.model);
        const at = Math.max(0, ids.indexOf(s.selectedInstance ?? ids[0] ?? ""));
        const next = ids[(at + delta + ids.length) % ids.length];
        if (next) s.selectInstance(next);
      };
      // Session tabs, then sandbox tabs, as the bar shows them.
      const moveSession = (delta: number): void => {
        const ids = [...s.sessions.map((x) => x.id), ...s.sandboxes.map((x) => x.id)];
        const at = Math.max(0, ids.indexOf(s.activeSandboxId ?? s.activeSessionId ?? ""));
        const next = ids[(at + delta + ids.length) % ids.length];
        if (next === undefined) return;
        if (s.sandboxes.some((x) => x.id === next)) s.setActiveSandbox(next);
        else s.setActiveSession(next);
      };
      // Replay keys act on the session on screen when it is a replay.
      const replayId = view?.summary.kind === "replay" ? view.summary.id : undefined;
      let handled = true;
      if (replayId && e.key === " ") replay.togglePlay(replayId);
      else if (replayId && e.key === "ArrowRight") replay.step(replayId, "next", "transition");
      else if (replayId && e.key === "ArrowLeft") replay.step(replayId, "prev", "transition");
      else if (replayId && e.key === "n") replay.step(replayId, "next", "anomaly");
      else if (replayId && e.key === "p") replay.step(replayId, "prev", "anomaly");
      else if (e.key in OVERLAY_KEYS) s.toggleOverlay(OVERLAY_KEYS[e.key] as keyof Overlays);
      else if (e.key === "t") s.setTheme(s.theme === "dark" ? "light" : "dark");
      else if (e.key === "u") s.toggleUtc();
      else if (e.key === "o") s.openDialog("open-folder");
      else if (e.key === "l") void openLogAction(api);
      else if (e.key === "m") void openMachineAction(api);
      else if (e.key === "s" && view && view.summary.kind !== "machine") s.openDialog("save-recording");
      else if (e.key === "f") s.requestFit();
      else if (e.key === "e" && (view || s.activeSandboxId)) s.openDialog("export");
      else if (e.key === "x" && view) forkActiveView(api).catch((err: unknown) => s.showError(toUserFacing(err)));
      else if (e.key === "d") s.setDirection(s.direction === "AUTO" ? "RIGHT" : s.direction === "RIGHT" ? "DOWN" : "AUTO");
      else if (e.key === "j" || e.key === "ArrowDown") moveInstance(1);
      else if (e.key === "k" || e.key === "ArrowUp") moveInstance(-1);
      else if (e.key === "]") moveSession(1);
      else if (e.key === "[") moveSession(-1);
      else if (e.key === "?") s.setHelpOpen(true);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [api]);
}
