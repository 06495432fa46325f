import { CALL_NAMES, type EventMap, type EventName, type Handlers } from "../../shared/ipc/contract";
import type { Backend } from "../../electron/node/backend";
import { FsmError } from "../../shared/errors";

export interface RecordingBackend extends Backend {
  calls: { name: string; arg: unknown }[];
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
}

/** A backend whose every handler answers `{ handled: name, arg }` and records the call. */
export function recordingBackend(): RecordingBackend {
  const calls: { name: string; arg: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const handlers = Object.fromEntries(
    CALL_NAMES.map((name) => [
      name,
      (arg: unknown) => {
        calls.push({ name, arg });
        return { handled: name, arg };
      },
    ]),
  ) as unknown as Handlers;
  return {
    calls,
    handlers,
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    publish(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    demoFolder: () => undefined,
    recording: async (sessionId) => {
      throw new FsmError({ code: "no-session", message: `No open session with id ${sessionId}.` });
    },
    dispose: async () => {},
  };
}
