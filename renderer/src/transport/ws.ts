import {
  CALL_NAMES,
  EVENT_NAMES,
  isEventName,
  type ClientMessage,
  type EventMap,
  type EventName,
  type FsmApi,
  type ServerMessage,
} from "../../../shared/ipc/contract";
import { FsmError } from "../../../shared/errors";
import type { AccessAnswer } from "./page-access";

/** "refused": the server no longer accepts this page's token; the page stops reconnecting. */
export type ConnectionState = "connecting" | "open" | "closed" | "refused";

export interface WsOptions {
  /**
   * Asked after a connection fails before opening: a browser cannot see the 403 of a refused
   * WebSocket, so this tells a refused token ("refused": stop) from a server that is down.
   */
  probe?: () => Promise<AccessAnswer>;
}

export interface WsApi {
  api: FsmApi;
  onState(listener: (s: ConnectionState) => void): () => void;
  close(): void;
}

const REFUSED = new FsmError({
  code: "token-refused",
  message: "The server refused this page's access token.",
  hint: "Open the URL printed by fsm-inspector serve, with its token.",
});

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/**
 * FsmApi over the serve-mode WebSocket: the same calls and events as IPC. Reconnects with backoff;
 * calls made while disconnected wait for the connection; listeners survive reconnects.
 */
export function wsApi(url: string, WebSocketImpl: typeof WebSocket = WebSocket, options: WsOptions = {}): WsApi {
  let socket: WebSocket | undefined;
  let nextId = 1;
  let closed = false;
  let delay = 250;
  let state: ConnectionState = "connecting";
  const pending = new Map<number, Pending>();
  const queue: ClientMessage[] = [];
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const listeners: { [E in EventName]: Set<(p: EventMap[E]) => void> } = { sessions: new Set(), observations: new Set(), indexProgress: new Set() };

  const setState = (s: ConnectionState): void => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const connect = (): void => {
    setState("connecting");
    const ws = new WebSocketImpl(url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      delay = 250;
      setState("open");
      for (const m of queue.splice(0)) ws.send(JSON.stringify(m));
    };
    ws.onmessage = (ev: MessageEvent) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if ("id" in msg) {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.result.ok) p.resolve(msg.result.value);
        else p.reject(new FsmError(msg.result.error));
      } else if (isEventName(msg.event)) {
        for (const l of listeners[msg.event] as Set<(p: unknown) => void>) l(msg.payload);
      }
    };
    // A failed connection is followed by "close", which reconnects; nothing to do here.
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      setState("closed");
      // Calls in flight are lost with the connection: fail them so the UI can say so.
      for (const [id, p] of pending) {
        p.reject(new FsmError({ code: "disconnected", message: "The connection to the FSM Inspector backend was lost.", hint: "It reconnects on its own; if it does not, restart `npm run serve`." }));
        pending.delete(id);
      }
      const retry = (): void => {
        if (!closed) setTimeout(connect, delay);
        delay = Math.min(delay * 2, 5000);
      };
      if (opened || !options.probe) return retry();
      void options.probe().then((answer) => {
        if (answer !== "refused") return retry();
        closed = true;
        queue.length = 0;
        setState("refused");
      });
    };
  };
  connect();

  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    api[name] = (arg: unknown) =>
      new Promise((resolve, reject) => {
        if (state === "refused") return reject(REFUSED);
        const msg: ClientMessage = { id: nextId++, call: name, arg: arg ?? null };
        pending.set(msg.id, { resolve, reject });
        if (socket && socket.readyState === WebSocketImpl.OPEN) socket.send(JSON.stringify(msg));
        else queue.push(msg);
      });
  }
  api["subscribe"] = (event: EventName, listener: (p: unknown) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${event}`);
    const set = listeners[event] as Set<(p: unknown) => void>;
    set.add(listener);
    return () => set.delete(listener);
  };

  const close = (): void => {
    closed = true;
    const ws = socket;
    if (!ws) return;
    // Closing a socket that is still connecting throws in some implementations: close it on open.
    if (ws.readyState === WebSocketImpl.CONNECTING) ws.onopen = () => ws.close();
    else ws.close();
  };
  return {
    api: api as FsmApi,
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
    close,
  };
}
