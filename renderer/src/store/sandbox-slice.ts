import type { StateCreator } from "zustand";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { newTimeline, type SandboxStart } from "../../../shared/sandbox/timeline";
import { startSandbox, type SandboxActor } from "./sandbox-actor";
import type { AppState } from "./store";

/** One open sandbox: a private copy of a machine, stepped by hand. Never connected to a watched program. */
export interface SandboxEntry {
  /** The UI's own id ("sandbox-1"): never a name from a file. */
  id: string;
  title: string;
  profileId: string;
  machine: MachineDefinition;
  actor: SandboxActor;
  /** "Sandbox files" when on: the backend's writer, its folder, and how many steps it was given. */
  files?: SandboxFilesState;
}

export interface SandboxFilesState {
  writerId: string;
  folder: string;
  dataFolder: string;
  /** Steps (timeline nodes) made before this count are not written again. */
  written: number;
}

export interface SandboxSlice {
  sandboxes: SandboxEntry[];
  /** The sandbox on screen; undefined when a session is. */
  activeSandboxId: string | undefined;
  openSandbox(args: { profileId: string; machine: MachineDefinition; start: SandboxStart; title: string }): string;
  closeSandbox(id: string): void;
  setActiveSandbox(id: string | undefined): void;
  setSandboxFiles(id: string, files: SandboxFilesState | undefined): void;
}

let nextId = 1;

export const createSandboxSlice: StateCreator<AppState, [], [], SandboxSlice> = (set) => ({
  sandboxes: [],
  activeSandboxId: undefined,
  openSandbox: ({ profileId, machine, start, title }) => {
    const id = `sandbox-${nextId++}`;
    const actor = startSandbox(machine, newTimeline(start));
    set((s) => ({ sandboxes: [...s.sandboxes, { id, title, profileId, machine, actor }], activeSandboxId: id }));
    return id;
  },
  closeSandbox: (id) =>
    set((s) => {
      s.sandboxes.find((x) => x.id === id)?.actor.stop();
      const sandboxes = s.sandboxes.filter((x) => x.id !== id);
      return { sandboxes, activeSandboxId: s.activeSandboxId === id ? undefined : s.activeSandboxId };
    }),
  setActiveSandbox: (activeSandboxId) => set({ activeSandboxId }),
  setSandboxFiles: (id, files) =>
    set((s) => ({
      sandboxes: s.sandboxes.map((x) => {
        if (x.id !== id) return x;
        const { files: _old, ...rest } = x;
        return files ? { ...rest, files } : rest;
      }),
    })),
});
