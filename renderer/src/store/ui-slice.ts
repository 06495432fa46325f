import type { StateCreator } from "zustand";
import type { UserFacingError } from "../../../shared/ipc/views";
import type { AppState } from "./store";

export type Connection = "connecting" | "open" | "closed";
export type Theme = "light" | "dark";

export interface UiSlice {
  connection: Connection;
  errors: UserFacingError[];
  theme: Theme;
  selectedInstance: string | undefined;
  setConnection(c: Connection): void;
  showError(e: UserFacingError): void;
  dismissError(index: number): void;
  setTheme(t: Theme): void;
  selectInstance(id: string | undefined): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  connection: "connecting",
  errors: [],
  theme: "dark",
  selectedInstance: undefined,
  setConnection: (connection) => set({ connection }),
  showError: (e) => set((s) => ({ errors: [...s.errors.slice(-4), e] })),
  dismissError: (index) => set((s) => ({ errors: s.errors.filter((_, i) => i !== index) })),
  setTheme: (theme) => set({ theme }),
  selectInstance: (selectedInstance) => set({ selectedInstance }),
});
