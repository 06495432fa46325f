/**
 * The backend behind the one contract: open sessions, the demo, profiles. Electron main wires it to
 * IPC, serve mode to a WebSocket; neither adds logic of its own.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { CallArg, EventMap, EventName, Handlers } from "../../shared/ipc/contract";
import { FsmError } from "../../shared/ipc/errors";
import type { AppInfo, SessionSummary } from "../../shared/ipc/views";
import { BUILTIN_PROFILES, findProfile } from "../../shared/profiles";
import { isMultiInstance } from "../../shared/profiles/profile";
import { startDemo, type ChildLauncher, type RunningDemo } from "./demo/launcher";
import { LiveSession } from "./session/live-session";
import type { Clock } from "./sources/types";

export interface BackendOptions {
  mode: AppInfo["mode"];
  version: string;
  /** How to start the demo daemon child process. */
  demo: { launcher: ChildLauncher; minMs?: number; maxMs?: number; dir?: string };
  clock?: Clock;
}

export interface Backend {
  handlers: Handlers;
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Where the demo writes, once it runs. */
  demoFolder(): string | undefined;
  dispose(): Promise<void>;
}

export function createBackend(opts: BackendOptions): Backend {
  const clock = opts.clock ?? Date.now;
  const sessions = new Map<string, LiveSession>();
  const listeners: { [E in EventName]: Set<(p: EventMap[E]) => void> } = { sessions: new Set(), observations: new Set() };
  let demo: RunningDemo | undefined;
  let demoSessionId: string | undefined;
  let demoStarting: Promise<SessionSummary> | undefined;
  let disposed = false;

  const publish = <E extends EventName>(event: E, payload: EventMap[E]): void => {
    for (const l of listeners[event]) l(payload);
  };
  const summaries = (): SessionSummary[] => [...sessions.values()].map((s) => s.summary);

  const session = (id: string): LiveSession => {
    const s = sessions.get(id);
    if (!s) throw new FsmError({ code: "no-session", message: `No open session with id ${id}.`, hint: "It may have been closed; pick one from the session list." });
    return s;
  };

  const addSession = async (s: LiveSession): Promise<SessionSummary> => {
    sessions.set(s.summary.id, s);
    s.onObservations((items) => publish("observations", { sessionId: s.summary.id, items }));
    await s.start();
    publish("sessions", summaries());
    return s.summary;
  };

  const openDemo = async (): Promise<SessionSummary> => {
    if (disposed) throw new FsmError({ code: "closing", message: "The app is shutting down." });
    if (demoSessionId && sessions.has(demoSessionId)) return session(demoSessionId).summary;
    demoStarting ??= (async () => {
      const profile = findProfile("iai-mcp");
      if (!profile) throw new FsmError({ code: "no-profile", message: "The built-in iai-mcp profile is missing." });
      const demoOpts: Parameters<typeof startDemo>[0] = { launcher: opts.demo.launcher };
      if (opts.demo.minMs !== undefined) demoOpts.minMs = opts.demo.minMs;
      if (opts.demo.maxMs !== undefined) demoOpts.maxMs = opts.demo.maxMs;
      if (opts.demo.dir !== undefined) demoOpts.dir = opts.demo.dir;
      demo = await startDemo(demoOpts);
      const s = new LiveSession({ id: randomUUID(), title: "Demo: simulated iai-mcp daemon", kind: "demo", profile, root: demo.dir, clock });
      demoSessionId = s.summary.id;
      return addSession(s);
    })();
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

  const handlers: Handlers = {
    getAppInfo: () => ({ name: "FSM Inspector", version: opts.version, mode: opts.mode, platform: `${os.platform()}-${os.arch()}` }),
    listProfiles: () =>
      BUILTIN_PROFILES.map((p) => ({ id: p.id, title: p.title, description: p.description, multiInstance: isMultiInstance(p) })),
    listSessions: () => summaries(),
    getSession: ({ sessionId }) => session(sessionId).snapshot(),
    openDemo: () => openDemo(),
    closeSession,
  };

  return {
    handlers,
    subscribe(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    demoFolder: () => demo?.dir,
    async dispose() {
      disposed = true;
      await Promise.allSettled([...sessions.values()].map((s) => s.close()));
      sessions.clear();
      await demo?.stop();
      demo = undefined;
    },
  };
}
