/**
 * The one typed contract between the backend and the UI. Electron IPC (preload + main) and the
 * WebSocket of serve mode both carry exactly these calls and events: adding a call is one line
 * in `CallMap` and one name in `CALL_NAMES`; the compiler and the drift test do the rest.
 */
import type { Layout } from "../diagram/layout";
import type { Observation } from "../trace/observation";
import type { Preferences } from "./preferences";
import type { IndexProgress, RecentTarget, RedactOptions, ReplayFilter, ReplayFrame, ReplayPage, SavedRecording, SeekTarget, Timeline } from "./replay";
import type { AppInfo, FolderListing, ProfileSummary, Result, SessionSnapshot, SessionSummary } from "./views";
import type { SandboxRun, SandboxStep } from "../sandbox/run";

export interface CallMap {
  getAppInfo: { arg: null; result: AppInfo };
  listProfiles: { arg: null; result: ProfileSummary[] };
  listSessions: { arg: null; result: SessionSummary[] };
  getSession: { arg: { sessionId: string }; result: SessionSnapshot };
  openDemo: { arg: null; result: SessionSummary };
  /** Watch a program's data folder (or one log file in it); the profile is detected unless named. */
  openFolder: { arg: { path: string; profileId?: string }; result: SessionSummary };
  /** Show a profile's machine on its own (no data): to read it, step it, export it. */
  openMachine: { arg: { profileId: string }; result: SessionSummary };
  /** Show a machine file of the user's own (SCXML, XState JSON or YAML, or a profile file) on its own: to read it, step it, export it. */
  openMachineFile: { arg: { path: string }; result: SessionSummary };
  /** The desktop app's native picker for a machine file; null when cancelled or unavailable (serve mode). */
  pickMachine: { arg: null; result: string | null };
  /** Watch a database table (duckgres worker_records) by polling it. */
  openDatabase: { arg: { connection: string; profileId: string; intervalMs?: number }; result: SessionSummary };
  closeSession: { arg: { sessionId: string }; result: null };
  /** The desktop app's native folder picker; null when cancelled or unavailable (serve mode). */
  pickFolder: { arg: null; result: string | null };
  /** The sub-folders (and files) of a folder on the backend's machine, for choosing one in a browser. */
  browseFolder: { arg: { path?: string }; result: FolderListing };
  /** A finished diagram layout kept from an earlier opening (the user's cache folder), or null. */
  getCachedLayout: { arg: { key: string }; result: Layout | null };
  /** Keep a finished diagram layout, so the next opening of the same machine draws it at once. */
  cacheLayout: { arg: { key: string; layout: Layout }; result: null };
  /**
   * Replay a recorded log, folder of logs, data folder or recording file: indexed in the background, visitable at once.
   * `timeZone` (IANA name): the zone of timestamps written without one, instead of the profile's (default UTC).
   */
  openLog: { arg: { path: string; profileId?: string; timeZone?: string }; result: SessionSummary };
  /** Stop indexing a replay session; what is indexed so far stays visitable. */
  cancelIndexing: { arg: { sessionId: string }; result: null };
  /** A replay session's timeline for the scrubber, in `buckets` buckets. */
  replayTimeline: { arg: { sessionId: string; buckets: number; filter?: ReplayFilter }; result: Timeline };
  /** Move a replay session to a position: the model there. */
  replaySeek: { arg: { sessionId: string; to: SeekTarget; scope?: "upto" | "all" }; result: ReplayFrame };
  /** Observations of a replay session from a position on (or, with `before`, the ones up to it), filtered. */
  replayPage: { arg: { sessionId: string; from: number; count: number; before?: boolean; filter?: ReplayFilter }; result: ReplayPage };
  /** One observation of a replay session with every detail (its fields, re-read from its file). */
  replayDetail: { arg: { sessionId: string; position: number }; result: Observation | null };
  /** The desktop app's native picker for a log file or folder; null when cancelled or unavailable (serve mode). */
  pickLog: { arg: null; result: string | null };
  /** The desktop app's native save dialog; null when cancelled or unavailable (serve mode downloads instead). */
  pickSaveFile: { arg: { suggestedName: string }; result: string | null };
  /** Write a session (live or replayed) as one recording file at `path` (the desktop app; serve mode downloads from /api/recording). */
  saveRecording: { arg: { sessionId: string; path: string; redact?: RedactOptions }; result: SavedRecording };
  /** Targets opened before (newest first), for the start screen. */
  listRecent: { arg: null; result: RecentTarget[] };
  /** How the user left the app (theme, UTC, overlays, layout direction, collapsed containers); {} the first time. */
  getPreferences: { arg: null; result: Preferences };
  /** Keep how the user likes the app, for the next run (what is not valid is left out). */
  setPreferences: { arg: { preferences: Preferences }; result: null };
  /** Write a sandbox run in its profile's own format at `path` (a file for a log, a new folder for snapshots): the desktop app; a browser downloads it. */
  exportSandbox: { arg: { run: SandboxRun; path: string }; result: { files: string[] } };
  /** Start writing a sandbox's steps as real files, the way its program writes them, in a new folder of its own. */
  startSandboxFiles: { arg: { profileId: string; initial: Record<string, string>; startMs: number }; result: { writerId: string; folder: string; dataFolder: string } };
  /** One more step of a sandbox that writes files. */
  sandboxFilesStep: { arg: { writerId: string; step: SandboxStep }; result: null };
  /** Stop writing files (the folder stays). */
  stopSandboxFiles: { arg: { writerId: string }; result: null };
  /** An exported SVG with the glyphs it uses embedded (DejaVu Sans, subset), so it reads the same anywhere. */
  embedSvgFonts: { arg: { svg: string }; result: { svg: string } };
  /** Write an exported diagram where the desktop app's save dialog said (a browser downloads it). */
  saveExport: { arg: { path: string; content: string; encoding: "utf8" | "base64" }; result: { path: string; bytes: number } };
}

export interface EventMap {
  /** The list of open sessions changed. */
  sessions: SessionSummary[];
  /** New observations for one session, in order. */
  observations: { sessionId: string; items: Observation[] };
  /** A replay session's indexing moved on (a few times a second), or ended. */
  indexProgress: IndexProgress;
}

export type CallName = keyof CallMap;
export type EventName = keyof EventMap;
export type CallArg<K extends CallName> = CallMap[K]["arg"];
export type CallResult<K extends CallName> = CallMap[K]["result"];

type Exhaustive<Listed extends string, All extends string> = [Exclude<All, Listed>] extends [never] ? true : never;

/** Every call name, at run time. The type below fails to compile if one is missing. */
export const CALL_NAMES = [
  "getAppInfo",
  "listProfiles",
  "listSessions",
  "getSession",
  "openDemo",
  "openFolder",
  "openMachine",
  "openMachineFile",
  "pickMachine",
  "openDatabase",
  "closeSession",
  "pickFolder",
  "browseFolder",
  "getCachedLayout",
  "cacheLayout",
  "openLog",
  "cancelIndexing",
  "replayTimeline",
  "replaySeek",
  "replayPage",
  "replayDetail",
  "pickLog",
  "pickSaveFile",
  "saveRecording",
  "listRecent",
  "getPreferences",
  "setPreferences",
  "exportSandbox",
  "startSandboxFiles",
  "sandboxFilesStep",
  "stopSandboxFiles",
  "saveExport",
  "embedSvgFonts",
] as const;
export const EVENT_NAMES = ["sessions", "observations", "indexProgress"] as const;
const callsComplete: Exhaustive<(typeof CALL_NAMES)[number], CallName> = true;
const eventsComplete: Exhaustive<(typeof EVENT_NAMES)[number], EventName> = true;
void callsComplete;
void eventsComplete;

/** What the UI holds: one async function per call, plus subscriptions. */
export type FsmApi = {
  [K in CallName]: (arg: CallArg<K>) => Promise<CallResult<K>>;
} & {
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};

/** What the backend implements: one handler per call. */
export type Handlers = { [K in CallName]: (arg: CallArg<K>) => Promise<CallResult<K>> | CallResult<K> };

/** The raw bridge the Electron preload exposes (results wrapped, so errors keep their fields). */
export type RawBridge = {
  [K in CallName]: (arg: CallArg<K>) => Promise<Result<CallResult<K>>>;
} & {
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
};

/** The IPC channel of a call; events travel on EVENT_CHANNEL. */
export function channelOf(name: CallName): string {
  return `fsm:call:${name}`;
}
export const EVENT_CHANNEL = "fsm:event";

/** Name of the global the preload exposes in the renderer. */
export const BRIDGE_GLOBAL = "fsmBridge";

/** Messages on the serve-mode WebSocket. */
export type ClientMessage = { id: number; call: CallName; arg: unknown };
export type ServerMessage =
  | { id: number; result: Result<unknown> }
  | { event: EventName; payload: unknown };

export function isCallName(name: unknown): name is CallName {
  return typeof name === "string" && (CALL_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === "string" && (EVENT_NAMES as readonly string[]).includes(name);
}
