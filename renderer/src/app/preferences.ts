/**
 * How the user left the app, restored at start and kept as it changes: the theme, UTC, overlays,
 * layout direction and collapsed containers go to the backend (the user's config folder) a moment
 * after the last change, so the desktop app and a browser on the same machine open as they were left.
 */
import type { FsmApi } from "../../../shared/ipc/contract";
import type { Preferences } from "../../../shared/ipc/preferences";
import { useStore } from "../store/store";
import { preferencesOf } from "../store/ui-slice";

/** Changes are written this long after the last one (a burst of toggles is one write). */
const SAVE_AFTER_MS = 400;

/** Restores what was kept, then keeps what changes. Returns a function that stops keeping. */
export async function restoreAndKeepPreferences(api: Pick<FsmApi, "getPreferences" | "setPreferences">): Promise<() => void> {
  try {
    useStore.getState().applyPreferences(await api.getPreferences(null));
  } catch {
    // Nothing kept, or the backend cannot say: the defaults stay.
  }
  // What the backend holds (as restored, then as last sent): a burst that ends where it began sends nothing.
  let saved = JSON.stringify(preferencesOf(useStore.getState()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = useStore.subscribe((s, before) => {
    // Most changes are observations: nothing kept changed, nothing to compare.
    if (s.theme === before.theme && s.themeChosen === before.themeChosen && s.utc === before.utc && s.overlays === before.overlays && s.direction === before.direction && s.collapsed === before.collapsed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = JSON.stringify(preferencesOf(useStore.getState()));
      if (now === saved) return;
      saved = now;
      api.setPreferences({ preferences: JSON.parse(now) as Preferences }).catch(() => undefined);
    }, SAVE_AFTER_MS);
  });
  return () => {
    stop();
    clearTimeout(timer);
  };
}
