/**
 * A minimal serve-mode client on a real WebSocket: raw sends, replies matched by id, events kept.
 * Tests use it to speak the contract's wire format directly, malformed messages included.
 */
import { WebSocket } from "ws";
import type { CallName } from "../../shared/ipc/contract";
import type { Result } from "../../shared/ipc/views";

export interface TestClient {
  ws: WebSocket;
  /** Send a call and wait for the reply with its id. */
  call(call: CallName | string, arg?: unknown): Promise<Result<unknown>>;
  /** Send any text (or bytes) as one message. */
  sendRaw(data: string | Buffer): void;
  /** The next reply, whatever its id. */
  nextReply(): Promise<{ id: number; result: Result<unknown> }>;
  events: { event: string; payload: unknown }[];
  close(): Promise<void>;
}

export function connectClient(port: number, token: string, clientId?: string): Promise<TestClient> {
  const query = `token=${encodeURIComponent(token)}${clientId ? `&client=${encodeURIComponent(clientId)}` : ""}`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?${query}`);
  let nextId = 1;
  const waiting = new Map<number, (r: Result<unknown>) => void>();
  const anyReply: ((m: { id: number; result: Result<unknown> }) => void)[] = [];
  const events: { event: string; payload: unknown }[] = [];
  ws.on("message", (raw) => {
    const msg = JSON.parse(String(raw)) as { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
    if (typeof msg.id === "number" && msg.result) {
      const m = { id: msg.id, result: msg.result };
      anyReply.shift()?.(m);
      waiting.get(msg.id)?.(msg.result);
      waiting.delete(msg.id);
    } else if (typeof msg.event === "string") events.push({ event: msg.event, payload: msg.payload });
  });
  const client: TestClient = {
    ws,
    call(call, arg = null) {
      const id = 1_000_000 + nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, call, arg }));
      });
    },
    sendRaw: (data) => ws.send(data),
    nextReply: () => new Promise((resolve) => anyReply.push(resolve)),
    events,
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once("close", () => resolve());
        ws.close();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
  });
}
