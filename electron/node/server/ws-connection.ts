/**
 * One serve-mode WebSocket connection: contract calls in, results and events out. Nothing a
 * client sends can throw out of here: malformed messages are ignored or answered with an error
 * result, protocol errors (oversized or invalid frames) close only this socket, and a client that
 * stops reading is cut off before its backlog grows without bound.
 */
import type { WebSocket, RawData } from "ws";
import { isCallName, type CallName, type ServerMessage } from "../../../shared/ipc/contract";
import { toUserFacing } from "../../../shared/errors";
import { dispatch, type Backend } from "../backend";
import type { ClientRegistry } from "./clients";

/** Calls whose result is a session the calling client opened (closed after it has gone). */
const OPENING_CALLS: ReadonlySet<CallName> = new Set<CallName>(["openFolder", "openDatabase", "openMachine", "openMachineFile"]);

export interface ConnectionContext {
  backend: Backend;
  registry: ClientRegistry;
  clientId: string;
  /** A client whose unsent backlog exceeds this many bytes is disconnected. */
  maxBufferedBytes: number;
}

/** Send text to one client; cut off a client that does not read what it is sent. */
export function sendText(ws: WebSocket, text: string, maxBufferedBytes: number): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > maxBufferedBytes) {
    ws.terminate();
    return;
  }
  ws.send(text);
}

function sessionIdOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" ? id : undefined;
}

/** The message's id when it is one we can answer to, else undefined (the message is dropped). */
function messageId(msg: unknown): number | undefined {
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return undefined;
  const id = (msg as { id?: unknown }).id;
  return typeof id === "number" && Number.isSafeInteger(id) ? id : undefined;
}

export function serveConnection(ws: WebSocket, ctx: ConnectionContext): void {
  const reply = (id: number, result: Extract<ServerMessage, { id: number }>["result"]): void => {
    let text: string;
    try {
      text = JSON.stringify({ id, result } satisfies ServerMessage);
    } catch (err) {
      text = JSON.stringify({ id, result: { ok: false, error: toUserFacing(err) } } satisfies ServerMessage);
    }
    sendText(ws, text, ctx.maxBufferedBytes);
  };

  const handle = async (raw: RawData): Promise<void> => {
    let msg: unknown;
    try {
      msg = JSON.parse(String(raw));
    } catch {
      return;
    }
    const id = messageId(msg);
    if (id === undefined) return;
    const { call, arg } = msg as { call?: unknown; arg?: unknown };
    if (!isCallName(call)) {
      const name = typeof call === "string" ? `"${call.slice(0, 80)}"` : typeof call;
      return reply(id, { ok: false, error: { code: "unknown-call", message: `Unknown call ${name}.` } });
    }
    const result = await dispatch(ctx.backend, call, arg);
    const opened = result.ok && OPENING_CALLS.has(call) ? sessionIdOf(result.value) : undefined;
    if (opened !== undefined) ctx.registry.opened(ctx.clientId, opened);
    reply(id, result);
  };

  ctx.registry.connect(ctx.clientId);
  // ws reports protocol errors (frame over maxPayload, invalid UTF-8, bad close code) here and
  // closes the socket itself with 1009 / 1007 / 1002; without a listener they would kill the process.
  ws.on("error", () => {});
  ws.on("close", () => ctx.registry.disconnect(ctx.clientId));
  ws.on("message", (raw) => {
    handle(raw).catch(() => {});
  });
}
