import type { UserFacingError } from "../errors";
import type { MachineDefinition } from "../machine/definition";
import type { SessionModel } from "../trace/session-model";
import type { IndexProgress } from "./replay";

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
  kind: "demo" | "live" | "replay" | "machine";
  openedAt: string;
  /** How the profile was chosen ("folder content", "--profile", "chosen"). */
  detectedBy?: string;
  /** What one instance is called ("lease", "session", "worker"); absent for single-instance programs. */
  instanceLabel?: string;
  /** The IANA zone timestamps written without one were read in ("UTC" unless the profile or the user chose another). */
  timeZone?: string;
}

export interface FolderListing {
  path: string;
  parent: string | null;
  /** Home folder of the backend's user, for a "home" shortcut. */
  home: string;
  entries: { name: string; dir: boolean }[];
  /** When the listing was cut short (huge folders). */
  truncated: boolean;
}

/** All a UI needs to draw one session; later changes arrive as observations. */
export interface SessionSnapshot {
  summary: SessionSummary;
  machine: MachineDefinition;
  model: SessionModel;
  /** A replay session's indexing, as last reported (so a page opened later knows where it stands). */
  progress?: IndexProgress;
}

/** A failure the user can act on: what, which file and line, what to do. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: UserFacingError };
