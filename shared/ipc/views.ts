import type { MachineDefinition } from "../machine/definition";
import type { SessionModel } from "../trace/session-model";

export interface AppInfo {
  name: string;
  version: string;
  /** "electron" in the desktop app, "serve" in a browser. */
  mode: "electron" | "serve";
  platform: string;
}

export interface ProfileSummary {
  id: string;
  title: string;
  description: string;
  /** True when the system runs many machines at once (ecluse sessions, duckgres workers). */
  multiInstance: boolean;
}

export interface SessionSummary {
  id: string;
  title: string;
  /** The folder (or file) being watched. */
  target: string;
  profileId: string;
  kind: "demo" | "live" | "replay";
  openedAt: string;
}

/** All a UI needs to draw one session; later changes arrive as observations. */
export interface SessionSnapshot {
  summary: SessionSummary;
  machine: MachineDefinition;
  model: SessionModel;
}

/** A failure the user can act on: what, which file and line, what to do. */
export interface UserFacingError {
  code: string;
  message: string;
  file?: string;
  line?: number;
  hint?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: UserFacingError };
