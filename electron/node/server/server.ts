/**
 * Serve mode: the same UI and backend in a browser. HTTP + WebSocket on 127.0.0.1 only. The app
 * shell is public (Host and Origin checked); the WebSocket and `/api/` routes need this run's
 * token (security.ts). The WebSocket carries exactly the calls and events of
 * shared/ipc/contract.ts. No request, however malformed, can stop the server: each is answered
 * with a status, and each broken socket is closed on its own.
 */
import http from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { WebSocketServer } from "ws";
import { EVENT_NAMES, type ServerMessage } from "../../../shared/ipc/contract";
import type { Backend } from "../backend";
import { clientRegistry, type ClientEvent } from "./clients";
import { parseTarget } from "./request-target";
import { RECORDING_ROUTE, sendJsonError, sendRecording } from "./recording-route";
import { baseHeaders, checkDataRequest, checkHostAndOrigin, newToken, type ServeIdentity } from "./security";
import { plain, sendStatic } from "./static-files";
import { sendText, serveConnection } from "./ws-connection";

/** How long a client's sessions outlive its last connection (a reload reconnects well within it). */
export const DEFAULT_CLIENT_GRACE_MS = 60_000;
/** Largest WebSocket message a client may send. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A client that lets this much go unread is disconnected. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface ServeOptions {
  backend: Backend;
  /** Built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 = a free port. */
  port?: number;
  token?: string;
  /** How long after a client's last connection closes its sessions are closed (default 60 s). */
  clientGraceMs?: number;
  /** A client with more unsent bytes than this is disconnected (default 64 MB). */
  maxBufferedBytes?: number;
  /** Told when clients connect, leave, come back, and when their sessions are closed. */
  onClientEvent?: (e: ClientEvent) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** A page's client id (from its sessionStorage), or a fresh one for a client that sent none. */
function clientIdOf(query: URLSearchParams): string {
  const given = query.get("client");
  return given !== null && /^[\w-]{8,64}$/.test(given) ? given : `anonymous-${randomUUID()}`;
}

function refuseUpgrade(socket: Duplex, status: 400 | 403 | 414, reason: string): void {
  const text = { 400: "Bad Request", 403: "Forbidden", 414: "URI Too Long" }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${status} ${text}: ${reason}.\n`);
}

export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const id: ServeIdentity = { token: opts.token ?? newToken(), port: 0 };
  const root = path.resolve(opts.rendererDir);
  const maxBufferedBytes = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const registry = clientRegistry({
    graceMs: opts.clientGraceMs ?? DEFAULT_CLIENT_GRACE_MS,
    ...(opts.onClientEvent ? { onEvent: opts.onClientEvent } : {}),
    closeSessions(ids) {
      for (const sessionId of ids) {
        try {
          Promise.resolve(opts.backend.handlers.closeSession({ sessionId })).catch(() => {});
        } catch {
          // already closed
        }
      }
    },
  });

  const handleRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const target = parseTarget(req.url);
    if (!target.ok) return plain(res, target.status, `${target.status} ${http.STATUS_CODES[target.status]}: ${target.reason}.`);
    const isData = target.pathname.startsWith("/api/");
    const verdict = isData ? checkDataRequest(req, target.query, id) : checkHostAndOrigin(req, id);
    if (!verdict.ok) {
      if (target.pathname === RECORDING_ROUTE) return sendJsonError(res, 403, { code: "forbidden", message: `${verdict.reason}.`, hint: "Send this run's token (Authorization: Bearer …) from the page at the URL serve printed." });
      return plain(res, 403, `403 Forbidden: ${verdict.reason}.`);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...baseHeaders(), allow: "GET, HEAD" });
      res.end();
      return;
    }
    if (isData) {
      // The page asks whether its token is still this server's (after a refused WebSocket).
      if (target.pathname === "/api/access") {
        res.writeHead(204, { ...baseHeaders(), "cache-control": "no-store" });
        res.end();
        return;
      }
      if (target.pathname === RECORDING_ROUTE) return sendRecording(req, res, target.query, opts.backend);
      return plain(res, 404, "404 Not Found");
    }
    await sendStatic(res, root, target.pathname, id.port, req.method === "HEAD");
  };

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch(() => plain(res, 500, "500 Internal Server Error"));
  });
  // Malformed HTTP (bad request line, oversized headers, resets): answer if we still can, then drop.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code !== "ECONNRESET" && socket.writable) {
      const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    }
    socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on("error", () => {});
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // After 'upgrade' the socket's errors are ours to handle (Node stops listening for them).
    socket.on("error", () => socket.destroy());
    const target = parseTarget(req.url);
    if (!target.ok) return refuseUpgrade(socket, target.status, target.reason);
    if (target.pathname !== "/ws") return refuseUpgrade(socket, 403, "unknown path");
    const verdict = checkDataRequest(req, target.query, id);
    if (!verdict.ok) return refuseUpgrade(socket, 403, verdict.reason);
    const clientId = clientIdOf(target.query);
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, { backend: opts.backend, registry, clientId, maxBufferedBytes }));
  });

  const unsubscribers = EVENT_NAMES.map((event) =>
    opts.backend.subscribe(event, (payload) => {
      if (event === "sessions" && Array.isArray(payload)) registry.retain(new Set(payload.map((s) => s.id)));
      let text: string;
      try {
        text = JSON.stringify({ event, payload } satisfies ServerMessage);
      } catch (err) {
        // Never throw back into the session that published: say so, and skip this event.
        console.error(`serve: could not send a "${event}" event: ${(err as Error).message}`);
        return;
      }
      for (const ws of wss.clients) sendText(ws, text, maxBufferedBytes);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (err) => console.error(`serve: ${err.message}`));
  id.port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${id.port}/?token=${id.token}`;

  return {
    url,
    port: id.port,
    token: id.token,
    async close() {
      for (const u of unsubscribers) u();
      registry.dispose();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
