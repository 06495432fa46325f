/**
 * The backend behind the one contract: open sessions, the demo, profiles. Electron main wires it to
 * IPC, serve mode to a WebSocket; neither adds logic of its own.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CALL_NAMES, type CallArg, type CallName, type EventMap, type EventName, type Handlers } from "../../shared/ipc/contract";
import { FsmError, toUserFacing } from "../../shared/errors";
import type { AppInfo, FolderListing, Result, SessionSummary } from "../../shared/ipc/views";
import type { RecentTarget, RedactOptions } from "../../shared/ipc/replay";
import { BUILTIN_PROFILES, findProfile, requireProfile } from "../../shared/profiles";
import { isMultiInstance, type Profile } from "../../shared/profiles/profile";
import { findExample } from "../../shared/machine/examples";
import { checkArg } from "./call-args";
import { LayoutCache } from "./layout-cache";
import { RecentTargets } from "./recent";
import { PreferencesFile } from "./preferences";
import { resolveTarget } from "./target/target";
import { loadProfileFile } from "./target/profile-file";
import { ReplaySession } from "./replay/replay-session";
import { isRecordingFile, readRecordingHeader } from "./replay/recording-input";
import { prepareRecording, saveRecordingFile, type PreparedRecording } from "./recording/write";
import { sessionSource } from "./session/recording-source";
import { profileInZone, zoneOf } from "../../shared/profiles/time-zone";
import { startDemo, type ChildLauncher, type RunningDemo } from "./demo/launcher";
import { TraceSession, WATCH_HISTORY_BYTES } from "./session/trace-session";
import { isPostgresUrl, redactConnection } from "./sources/postgres/connection";
import { resolveWatchTarget } from "./session/watch-target";
import type { Clock } from "./sources/types";
import { SandboxFiles } from "./sandbox/files-service";

export interface BackendOptions {
  mode: AppInfo["mode"];
  version: string;
  /** How to start the demo daemon child process. */
  demo: { launcher: ChildLauncher; minMs?: number; maxMs?: number; dir?: string };
  clock?: Clock;
  /** The desktop app's native folder picker (Electron main supplies it); absent in serve mode. */
  pickFolder?: () => Promise<string | null>;
  /** At most this many sessions open at once (default MAX_OPEN_SESSIONS). */
  maxSessions?: number;
  /** Where finished diagram layouts are kept (default: the user's cache folder). */
  cacheDir?: string;
  /** Where the recently opened targets are kept (default: the user's config folder). */
  configDir?: string;
  /** The desktop app's native pickers (Electron main supplies them); absent in serve mode. */
  pickLog?: () => Promise<string | null>;
  pickMachine?: () => Promise<string | null>;
  pickSaveFile?: (suggestedName: string) => Promise<string | null>;
}

/**
 * Sessions open at once, demo included. Each one watches files or polls a database, so a client
 * opening thousands would keep the machine busy while nothing happens.
 */
export const MAX_OPEN_SESSIONS = 64;

export interface Backend {
  handlers: Handlers;
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Where the demo writes, once it runs. */
  demoFolder(): string | undefined;
  /** A session as a recording, ready to write (serve mode's download streams it). */
  recording(sessionId: string, redact?: RedactOptions): Promise<PreparedRecording>;
  dispose(): Promise<void>;
}

/** "repo/.ecluse" for hidden data folders, else the folder's name. */
function folderLabel(root: string): string {
  const name = path.basename(root);
  if (!name) return root;
  return name.startsWith(".") ? `${path.basename(path.dirname(root))}/${name}` : name;
}

function expandHome(p: string): string {
  return p === "~" ? os.homedir() : p.startsWith("~/") ? path.join(os.homedir(), p.slice(2)) : p;
}

const MAX_LISTING = 2000;

/** A folder's entries, folders first, hidden ones included (data folders are often hidden: ~/.iai-mcp). */
export async function browseFolder(p: string | undefined): Promise<FolderListing> {
  const dir = path.resolve(expandHome(p && p.trim() ? p.trim() : os.homedir()));
  let dirents;
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : code === "ENOTDIR" ? "is not a folder" : (err as Error).message;
    throw new FsmError({ code: "bad-folder", message: `${dir} ${why}.`, file: dir, hint: "Choose another folder." });
  }
  const entries = dirents
    .map((d) => ({ name: d.name, dir: d.isDirectory() }))
    .sort((a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? -1 : 1));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, home: os.homedir(), entries: entries.slice(0, MAX_LISTING), truncated: entries.length > MAX_LISTING };
}

export function createBackend(opts: BackendOptions): Backend {
  const clock = opts.clock ?? Date.now;
  const sessions = new Map<string, TraceSession | ReplaySession>();
  const listeners: { [E in EventName]: Set<(p: EventMap[E]) => void> } = { sessions: new Set(), observations: new Set(), indexProgress: new Set() };
  const recent = new RecentTargets(opts.configDir);
  const preferences = new PreferencesFile(opts.configDir);
  let demo: RunningDemo | undefined;
  let demoSessionId: string | undefined;
  let demoStarting: Promise<SessionSummary> | undefined;
  let disposed = false;
  const maxSessions = opts.maxSessions ?? MAX_OPEN_SESSIONS;
  const layouts = new LayoutCache(opts.cacheDir);
  /** Opens under way (between the cap check and the session joining `sessions`). */
  let opening = 0;

  const publish = <E extends EventName>(event: E, payload: EventMap[E]): void => {
    for (const l of listeners[event]) l(payload);
  };
  const summaries = (): SessionSummary[] => [...sessions.values()].map((s) => s.summary);
  // What sandboxes may never write into: every folder or file an open session reads.
  const sandboxFiles = new SandboxFiles(() => [...sessions.values()].filter((s) => s.summary.kind !== "machine").map((s) => s.summary.target));

  const session = (id: string): TraceSession | ReplaySession => {
    const s = sessions.get(id);
    if (!s) throw new FsmError({ code: "no-session", message: `No open session with id ${id}.`, hint: "It may have been closed; pick one from the session list." });
    return s;
  };
  const replay = (id: string): ReplaySession => {
    const s = session(id);
    if (!(s instanceof ReplaySession)) throw new FsmError({ code: "not-replay", message: `Session ${s.summary.title} is not a replay session.`, hint: "Open a log with Open log… to move through it." });
    return s;
  };

  /** Run an open under the cap: refused with a clear error once `maxSessions` are open or opening. */
  const underCap = async (open: () => Promise<SessionSummary>): Promise<SessionSummary> => {
    if (sessions.size + opening >= maxSessions) {
      throw new FsmError({
        code: "too-many-sessions",
        message: `${maxSessions} sessions are already open, the most FSM Inspector keeps open at once.`,
        hint: "Close some session tabs, then open this one again.",
      });
    }
    opening++;
    try {
      return await open();
    } finally {
      opening--;
    }
  };

  const addSession = async (s: TraceSession | ReplaySession): Promise<SessionSummary> => {
    sessions.set(s.summary.id, s);
    if (s instanceof ReplaySession) s.onProgress((p) => publish("indexProgress", p));
    else s.onObservations((items) => publish("observations", { sessionId: s.summary.id, items }));
    try {
      await s.start();
    } catch (err) {
      sessions.delete(s.summary.id);
      await s.close();
      throw err;
    }
    publish("sessions", summaries());
    return s.summary;
  };

  const remember = (kind: RecentTarget["kind"], summary: SessionSummary, target: string, profileId?: string): void => {
    const entry: RecentTarget = { kind, target, title: summary.title, openedAt: new Date(clock()).toISOString() };
    if (profileId !== undefined) entry.profileId = profileId;
    void recent.add(entry);
  };

  const openDemo = async (): Promise<SessionSummary> => {
    if (disposed) throw new FsmError({ code: "closing", message: "The app is shutting down." });
    if (demoSessionId && sessions.has(demoSessionId)) return session(demoSessionId).summary;
    demoStarting ??= underCap(async () => {
      const profile = findProfile("iai-mcp");
      if (!profile) throw new FsmError({ code: "no-profile", message: "The built-in iai-mcp profile is missing." });
      const demoOpts: Parameters<typeof startDemo>[0] = { launcher: opts.demo.launcher };
      if (opts.demo.minMs !== undefined) demoOpts.minMs = opts.demo.minMs;
      if (opts.demo.maxMs !== undefined) demoOpts.maxMs = opts.demo.maxMs;
      if (opts.demo.dir !== undefined) demoOpts.dir = opts.demo.dir;
      demo = await startDemo(demoOpts);
      const s = new TraceSession({ id: randomUUID(), title: "Demo: simulated iai-mcp daemon", kind: "demo", profile, root: demo.dir, clock });
      demoSessionId = s.summary.id;
      return addSession(s);
    });
    try {
      return await demoStarting;
    } finally {
      demoStarting = undefined;
    }
  };

  const closeSession = async ({ sessionId }: CallArg<"closeSession">): Promise<null> => {
    const s = session(sessionId);
    sessions.delete(sessionId);
    await s.close();
    if (sessionId === demoSessionId) {
      demoSessionId = undefined;
      await demo?.stop();
      demo = undefined;
    }
    publish("sessions", summaries());
    return null;
  };

  const profileNamed = requireProfile;

  /** A built-in profile, or an example statechart (`example:lease`) as a profile with no sources: something to read and step, not to watch. */
  const machineProfile = (id: string): Profile => {
    const example = findExample(id);
    if (!example) return profileNamed(id);
    return {
      id: example.id,
      title: example.title,
      description: example.description,
      machine: example.machine,
      detect: { roots: ["."], anyOf: [] },
      instances: { kind: "single", id: example.machine.id },
      sources: [],
    };
  };

  const openFolder = ({ path: target, profileId }: CallArg<"openFolder">): Promise<SessionSummary> => underCap(async () => {
    if (typeof target !== "string" || target.trim() === "") throw new FsmError({ code: "bad-request", message: "Which folder? Give the path of a program's data folder." });
    const given = profileId ? profileNamed(profileId) : undefined;
    const resolved = await resolveWatchTarget(expandHome(target.trim()), given);
    // The same folder with the same profile is already watched: show that session.
    const open = [...sessions.values()].find((x) => x.summary.kind === "live" && x.summary.target === resolved.root && x.profile.id === resolved.profile.id && x.profile.sources.length === resolved.profile.sources.length);
    if (open) return open.summary;
    const s = new TraceSession({
      id: randomUUID(),
      title: `${resolved.profile.title}: ${folderLabel(resolved.root)}`,
      kind: "live",
      profile: resolved.profile,
      root: resolved.root,
      clock,
      detectedBy: resolved.detectedBy,
      historyBytes: WATCH_HISTORY_BYTES,
    });
    const summary = await addSession(s);
    remember("folder", summary, path.resolve(expandHome(target.trim())), profileId);
    return summary;
  });

  const openMachine = async ({ profileId }: CallArg<"openMachine">): Promise<SessionSummary> => {
    const profile = machineProfile(profileId);
    const open = [...sessions.values()].find((x) => x.summary.kind === "machine" && x.profile.id === profile.id);
    if (open) return open.summary;
    return underCap(async () => {
      const s = new TraceSession({ id: randomUUID(), title: `Machine: ${profile.machine.id}`, kind: "machine", profile: { ...profile, sources: [] }, root: profile.id, clock, detectedBy: "chosen" });
      const summary = await addSession(s);
      remember("machine", summary, profile.id, profile.id);
      return summary;
    });
  };

  /** A machine file of the user's own, read and checked like `--profile FILE`: every problem with its line. */
  const openMachineFile = ({ path: target }: CallArg<"openMachineFile">): Promise<SessionSummary> => {
    if (typeof target !== "string" || target.trim() === "") throw new FsmError({ code: "bad-request", message: "Which file? Give the path of a machine (SCXML, XState JSON or YAML) or a profile." });
    const file = path.resolve(expandHome(target.trim()));
    return underCap(async () => {
      const warnings: string[] = [];
      const profile = await loadProfileFile(file, target.trim(), (w) => warnings.push(w));
      const s = new TraceSession({ id: randomUUID(), title: `Machine: ${profile.machine.id}`, kind: "machine", profile: { ...profile, sources: [] }, root: file, clock, detectedBy: "chosen" });
      const summary = await addSession(s);
      // What checking the file found but did not refuse, shown under Warnings.
      s.ingest(warnings.map((message, i) => ({ kind: "warning", code: "machine", message, key: `machine:${i}`, tsFrom: "observed", source: { file } })));
      remember("machine-file", summary, file);
      return summary;
    });
  };

  const openDatabase = ({ connection, profileId, intervalMs }: CallArg<"openDatabase">): Promise<SessionSummary> => underCap(async () => {
    const profile = requireProfile(profileId);
    if (!profile.sources.some((s) => s.kind === "table")) {
      throw new FsmError({ code: "no-table", message: `Profile ${profile.id} does not read a database table.`, hint: "Choose duckgres, or open a folder instead." });
    }
    if (typeof connection !== "string" || !isPostgresUrl(connection)) {
      throw new FsmError({ code: "bad-connection", message: "The connection string must look like postgres://user@host:5432/database.", hint: "Passwords can go in the URL or in ~/.pgpass." });
    }
    const s = new TraceSession({
      id: randomUUID(),
      title: `${profile.title}: ${redactConnection(connection.trim())}`,
      kind: "live",
      profile,
      root: redactConnection(connection.trim()),
      clock,
      detectedBy: "chosen",
      connection: connection.trim(),
      ...(intervalMs !== undefined ? { pollMs: intervalMs } : {}),
    });
    const summary = await addSession(s);
    remember("database", summary, redactConnection(connection.trim()), profile.id);
    return summary;
  });

  const recordingOf = async (sessionId: string, redact: RedactOptions | undefined): Promise<PreparedRecording> => {
    const s = session(sessionId);
    const source = await sessionSource(s, s instanceof ReplaySession ? s.source : undefined);
    return prepareRecording(source, redact, { name: "FSM Inspector", version: opts.version }, new Date(clock()).toISOString());
  };

  const openLog = ({ path: target, profileId, timeZone }: CallArg<"openLog">): Promise<SessionSummary> =>
    underCap(async () => {
      if (target.trim() === "") throw new FsmError({ code: "bad-request", message: "Which log? Give the path of a log file, a folder of logs or a recording." });
      const abs = path.resolve(expandHome(target.trim()));
      const given = profileId ? profileNamed(profileId) : undefined;
      let s: ReplaySession;
      let input: ReplaySession["source"];
      if (await isRecordingFile(abs)) {
        const header = await readRecordingHeader(abs);
        input = { kind: "recording", file: abs };
        s = new ReplaySession({ id: randomUUID(), title: `Recording: ${header.session.title}`, profile: header.profile, target: abs, source: input, clock, detectedBy: "recording" });
      } else {
        const found = await resolveTarget(abs, given);
        // Timestamps without a zone are read in the zone chosen here, else the profile's, else UTC.
        const resolved = { ...found, profile: profileInZone(found.profile, timeZone) };
        input = { kind: "target", target: resolved };
        s = new ReplaySession({ id: randomUUID(), title: `Replay: ${path.basename(abs)} (${resolved.profile.title})`, profile: resolved.profile, target: abs, source: input, clock, detectedBy: resolved.detectedBy });
      }
      s.summary.timeZone = zoneOf(s.profile);
      const summary = await addSession(s);
      remember("log", summary, abs, profileId);
      return summary;
    });

  const unchecked: Handlers = {
    getAppInfo: () => ({ name: "FSM Inspector", version: opts.version, mode: opts.mode, platform: `${os.platform()}-${os.arch()}` }),
    listProfiles: () =>
      BUILTIN_PROFILES.map((p) => ({ id: p.id, title: p.title, description: p.description, multiInstance: isMultiInstance(p) })),
    listSessions: () => summaries(),
    getSession: ({ sessionId }) => session(sessionId).snapshot(),
    openDemo: () => openDemo(),
    openFolder,
    openMachine,
    openMachineFile,
    pickMachine: async () => (opts.pickMachine ? opts.pickMachine() : null),
    openDatabase: (arg) => openDatabase(arg),
    closeSession,
    pickFolder: async () => (opts.pickFolder ? opts.pickFolder() : null),
    browseFolder: ({ path: p }) => browseFolder(p),
    getCachedLayout: ({ key }) => layouts.get(key),
    cacheLayout: ({ key, layout }) => layouts.put(key, layout),
    openLog,
    cancelIndexing: ({ sessionId }) => {
      replay(sessionId).cancel();
      return null;
    },
    replayTimeline: ({ sessionId, buckets, filter }) => replay(sessionId).timeline(buckets, filter),
    replaySeek: ({ sessionId, to, scope }) => replay(sessionId).seek(to, scope ?? "upto"),
    replayPage: ({ sessionId, from, count, before, filter }) => replay(sessionId).page(from, count, before === true, filter),
    replayDetail: ({ sessionId, position }) => replay(sessionId).detail(position),
    pickLog: async () => (opts.pickLog ? opts.pickLog() : null),
    pickSaveFile: async ({ suggestedName }) => (opts.pickSaveFile ? opts.pickSaveFile(suggestedName) : null),
    saveRecording: async ({ sessionId, path: file, redact }) => {
      if (opts.mode === "serve") {
        throw new FsmError({ code: "unavailable", message: "In a browser, a recording is downloaded, not written by the server.", hint: "Use Save recording… in the page: it downloads the file (GET /api/recording)." });
      }
      return saveRecordingFile(await recordingOf(sessionId, redact), expandHome(file.trim()));
    },
    listRecent: () => recent.list(),
    getPreferences: () => preferences.get(),
    setPreferences: async ({ preferences: p }) => {
      await preferences.set(p);
      return null;
    },
    exportSandbox: async ({ run, path: file }) => {
      if (opts.mode === "serve") {
        throw new FsmError({ code: "unavailable", message: "In a browser, a sandbox run is downloaded, not written by the server.", hint: "Use Export run in the sandbox: the page downloads it." });
      }
      return sandboxFiles.export(run, expandHome(file.trim()));
    },
    startSandboxFiles: ({ profileId, initial, startMs }) => sandboxFiles.start(profileId, initial, startMs),
    sandboxFilesStep: async ({ writerId, step }) => {
      await sandboxFiles.step(writerId, step);
      return null;
    },
    embedSvgFonts: async ({ svg }) => ({ svg: await (await import("./export/fonts")).embedFonts(svg) }),
    saveExport: async ({ path: file, content, encoding }) => {
      if (opts.mode === "serve") {
        throw new FsmError({ code: "unavailable", message: "In a browser, an export is downloaded, not written by the server.", hint: "Use Save in the Export dialog: the page downloads it." });
      }
      if (encoding !== "utf8" && encoding !== "base64") throw new FsmError({ code: "bad-request", message: `saveExport: "encoding" must be "utf8" or "base64".` });
      const target = expandHome(file.trim());
      const bytes = Buffer.from(content, encoding);
      await fs.writeFile(target, bytes);
      return { path: target, bytes: bytes.length };
    },
    stopSandboxFiles: async ({ writerId }) => {
      await sandboxFiles.stop(writerId);
      return null;
    },
  };
  // Every argument is checked before its handler sees it, whichever transport brought it.
  const checked = <K extends CallName>(name: K): Handlers[K] => {
    const handler = unchecked[name] as (arg: CallArg<K>) => ReturnType<Handlers[K]>;
    return ((arg: unknown) => handler(checkArg(name, arg))) as Handlers[K];
  };
  const handlers = Object.fromEntries(CALL_NAMES.map((name) => [name, checked(name)])) as unknown as Handlers;

  return {
    handlers,
    subscribe(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    demoFolder: () => demo?.dir,
    recording: (sessionId, redact) => recordingOf(sessionId, redact),
    async dispose() {
      disposed = true;
      await Promise.allSettled([...sessions.values()].map((s) => s.close()));
      sessions.clear();
      await sandboxFiles.dispose();
      await demo?.stop();
      demo = undefined;
    },
  };
}

/**
 * One call of the contract on the backend, answered as a Result: its value, or the error as the
 * user sees it (what, file, line, what to do). Both transports answer through it — Electron's IPC
 * (electron/main/ipc.ts) and serve mode's WebSocket (server/ws-connection.ts).
 */
export async function dispatch(backend: Backend, name: CallName, arg: unknown): Promise<Result<unknown>> {
  try {
    const handler = backend.handlers[name] as (a: unknown) => unknown;
    return { ok: true, value: await handler(arg ?? null) };
  } catch (err) {
    return { ok: false, error: toUserFacing(err) };
  }
}
