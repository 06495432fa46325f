/**
 * The UI's side of preferences: what is kept (a theme only once the user picked one — the system's
 * is followed, not kept), what restoring applies, and when the backend is told: once, a moment
 * after the last of a burst of changes, never for a batch of observations.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Preferences } from "../../shared/ipc/preferences";
import { restoreAndKeepPreferences } from "../../renderer/src/app/preferences";
import { useStore } from "../../renderer/src/store/store";
import { DEFAULT_OVERLAYS, preferencesOf } from "../../renderer/src/store/ui-slice";
import { dict } from "../../shared/dict";

const initial = useStore.getState();
beforeEach(() => useStore.setState({ ...initial, theme: "dark", themeChosen: false, utc: false, overlays: DEFAULT_OVERLAYS, direction: "AUTO", collapsed: dict() }));
afterEach(() => vi.useRealTimers());

describe("preferences in the store", () => {
  it("keeps the theme only once the user picked it", () => {
    useStore.getState().setTheme("light", "system");
    expect(preferencesOf(useStore.getState()).theme).toBeUndefined();
    useStore.getState().setTheme("dark");
    expect(preferencesOf(useStore.getState())).toEqual({ theme: "dark", utc: false, overlays: DEFAULT_OVERLAYS, direction: "AUTO", collapsed: {} });
  });

  it("restoring applies what was kept over the defaults, in a table without a prototype", () => {
    useStore.getState().applyPreferences({ theme: "light", overlays: { dwell: true }, collapsed: dict<string[]>() });
    useStore.getState().applyPreferences({ collapsed: Object.assign(dict<string[]>(), { constructor: ["a"] }) });
    const s = useStore.getState();
    expect(s).toMatchObject({ theme: "light", themeChosen: true, utc: false, direction: "AUTO", overlays: { ...DEFAULT_OVERLAYS, dwell: true } });
    expect(Object.getPrototypeOf(s.collapsed)).toBeNull();
    expect(s.collapsed["constructor"]).toEqual(["a"]);
  });

  it("tells the backend once after a burst of changes, and not for observations", async () => {
    vi.useFakeTimers();
    const saved: Preferences[] = [];
    const api = { getPreferences: async () => ({ utc: true }), setPreferences: async ({ preferences }: { preferences: Preferences }) => (saved.push(preferences), null) };
    const stop = await restoreAndKeepPreferences(api);
    expect(useStore.getState().utc).toBe(true);
    useStore.getState().toggleOverlay("dwell");
    useStore.getState().setDirection("DOWN");
    useStore.getState().toggleCollapsed("lease", "active");
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual([{ utc: true, overlays: { ...DEFAULT_OVERLAYS, dwell: true }, direction: "DOWN", collapsed: { lease: ["active"] } }]);
    useStore.setState({ selectedInstance: "x" });
    useStore.getState().toggleCollapsed("lease", "active");
    useStore.getState().toggleCollapsed("lease", "active");
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toHaveLength(1);
    stop();
  });
});
