import type { StateCreator } from "zustand";
import type { UserFacingError } from "../../../shared/errors";
import type { AppState } from "./store";
import type { DirectionChoice } from "../../../shared/diagram/layout";
import { dict, get, toDict, withEntry, type Dict } from "../../../shared/dict";
import type { OverlayName, Preferences } from "../../../shared/ipc/preferences";

/** Which overlays the diagram draws (counts, dwell, undeclared ghosts, never-seen, instance badges). */
export type Overlays = Record<OverlayName, boolean>;

export const DEFAULT_OVERLAYS: Overlays = { counts: true, dwell: false, ghosts: true, unseen: false, badges: true };

export type Connection = "connecting" | "open" | "closed";
export type Dialog = "open-folder" | "open-database" | "open-log" | "open-machine" | "save-recording" | "export" | null;

/** What a dialog opens with: a path that could not be opened (and why), a connection string to complete. */
export type DialogPrefill = { path?: string; error?: UserFacingError; connection?: string; profileId?: string };
export type Theme = "light" | "dark";

export interface UiSlice {
  connection: Connection;
  errors: UserFacingError[];
  theme: Theme;
  /** The user picked the theme (else it is the system's, and is not kept: it follows the system). */
  themeChosen: boolean;
  selectedInstance: string | undefined;
  dialog: Dialog;
  dialogPrefill: DialogPrefill | undefined;
  /** Times shown in UTC (true) or in the user's time zone (false). */
  utc: boolean;
  overlays: Overlays;
  direction: DirectionChoice;
  helpOpen: boolean;
  /** Bumped to ask the diagram to fit the view. */
  fitRequest: number;
  /** "electron" or "serve", once known. */
  mode: "electron" | "serve" | undefined;
  /** Statecharts: the containers drawn collapsed, per machine (by machine id; state paths). */
  collapsed: Dict<readonly string[]>;
  /** Collapse a container of a machine's diagram, or expand it again. */
  toggleCollapsed(machine: string, path: string): void;
  setConnection(c: Connection): void;
  openDialog(d: Dialog, prefill?: DialogPrefill): void;
  toggleUtc(): void;
  setMode(m: "electron" | "serve"): void;
  toggleOverlay(name: keyof Overlays): void;
  setDirection(d: DirectionChoice): void;
  setHelpOpen(open: boolean): void;
  requestFit(): void;
  showError(e: UserFacingError): void;
  dismissError(index: number): void;
  /** The user's pick (kept); `system` for the system's own (not kept). */
  setTheme(t: Theme, from?: "user" | "system"): void;
  selectInstance(id: string | undefined): void;
  /** How the user left the app last time (what it holds replaces the defaults). */
  applyPreferences(p: Preferences): void;
}

/** What of the UI is kept between runs (shared/ipc/preferences.ts). */
export function preferencesOf(s: UiSlice): Preferences {
  const collapsed = dict<string[]>();
  for (const [machine, paths] of Object.entries(s.collapsed)) if (paths.length > 0) collapsed[machine] = [...paths];
  const p: Preferences = { utc: s.utc, overlays: { ...s.overlays }, direction: s.direction, collapsed };
  if (s.themeChosen) p.theme = s.theme;
  return p;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  connection: "connecting",
  errors: [],
  theme: "dark",
  themeChosen: false,
  selectedInstance: undefined,
  dialog: null,
  dialogPrefill: undefined,
  utc: false,
  mode: undefined,
  overlays: DEFAULT_OVERLAYS,
  direction: "AUTO",
  helpOpen: false,
  fitRequest: 0,
  collapsed: dict<readonly string[]>(),
  toggleCollapsed: (machine, path) =>
    set((s) => {
      const now = get(s.collapsed, machine) ?? [];
      const next = now.includes(path) ? now.filter((p) => p !== path) : [...now, path];
      return { collapsed: withEntry(s.collapsed, machine, next) };
    }),
  setConnection: (connection) => set({ connection }),
  openDialog: (dialog, dialogPrefill) => set({ dialog, dialogPrefill }),
  toggleUtc: () => set((s) => ({ utc: !s.utc })),
  setMode: (mode) => set({ mode }),
  toggleOverlay: (name) => set((s) => ({ overlays: { ...s.overlays, [name]: !s.overlays[name] } })),
  setDirection: (direction) => set({ direction }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  requestFit: () => set((s) => ({ fitRequest: s.fitRequest + 1 })),
  showError: (e) => set((s) => ({ errors: [...s.errors.slice(-4), e] })),
  dismissError: (index) => set((s) => ({ errors: s.errors.filter((_, i) => i !== index) })),
  setTheme: (theme, from = "user") => set(from === "user" ? { theme, themeChosen: true } : { theme }),
  selectInstance: (selectedInstance) => set({ selectedInstance }),
  applyPreferences: (p) =>
    set((s) => ({
      theme: p.theme ?? s.theme,
      themeChosen: p.theme !== undefined || s.themeChosen,
      utc: p.utc ?? s.utc,
      overlays: { ...s.overlays, ...p.overlays },
      direction: p.direction ?? s.direction,
      collapsed: p.collapsed ? toDict<readonly string[]>(p.collapsed) : s.collapsed,
    })),
});
