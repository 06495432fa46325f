/**
 * Serve mode: the same UI and backend in a browser. HTTP + WebSocket on 127.0.0.1 only; every
 * request is checked by security.ts. The WebSocket carries exactly the calls and events of
 * shared/ipc/contract.ts.
 */
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { EVENT_NAMES, isCallName, type ClientMessage, type ServerMessage } from "../../../shared/ipc/contract";
import { toUserFacing } from "../../../shared/ipc/errors";
import type { Backend } from "../backend";
import { checkRequest, servedContentSecurityPolicy, cookieName, newToken, type ServeIdentity } from "./security";

export interface ServeOptions {
  backend: Backend;
  /** Built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 = a free port. */
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

function forbid(res: http.ServerResponse, reason: string): void {
  res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`403 Forbidden: ${reason}.\n`);
}

export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const id: ServeIdentity = { token: opts.token ?? newToken(), port: 0 };
  const root = path.resolve(opts.rendererDir);

  const server = http.createServer((req, res) => {
    const verdict = checkRequest(req, id);
    if (!verdict.ok) return forbid(res, verdict.reason);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" });
      return res.end();
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const rel = urlPath === "/" ? "index.html" : urlPath.replace(/^\/+/, "");
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return forbid(res, "path outside the app");
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        return res.end("404 Not Found\n");
      }
      const headers: Record<string, string> = {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "content-security-policy": servedContentSecurityPolicy(id.port),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cross-origin-opener-policy": "same-origin",
        "cache-control": rel === "index.html" ? "no-store" : "private, max-age=3600",
      };
      if (verdict.tokenFromQuery) {
        headers["set-cookie"] = `${cookieName(id.port)}=${id.token}; HttpOnly; SameSite=Strict; Path=/`;
      }
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : data);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on("upgrade", (req, socket, head) => {
    const verdict = checkRequest(req, id);
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    if (!verdict.ok || pathname !== "/ws") {
      const reason = verdict.ok ? "unknown path" : verdict.reason;
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n403 Forbidden: ${reason}.\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  const send = (ws: WebSocket, msg: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  wss.on("connection", (ws) => {
    ws.on("message", async (raw) => {
      let msg: ClientMessage;
      try {
        msg = JSON.parse(String(raw)) as ClientMessage;
      } catch {
        return;
      }
      if (typeof msg !== "object" || msg === null || typeof msg.id !== "number") return;
      if (!isCallName(msg.call)) {
        send(ws, { id: msg.id, result: { ok: false, error: { code: "unknown-call", message: `Unknown call "${String(msg.call)}".` } } });
        return;
      }
      try {
        const handler = opts.backend.handlers[msg.call] as (arg: unknown) => unknown;
        const value = await handler(msg.arg ?? null);
        send(ws, { id: msg.id, result: { ok: true, value } });
      } catch (err) {
        send(ws, { id: msg.id, result: { ok: false, error: toUserFacing(err) } });
      }
    });
  });

  const unsubscribers = EVENT_NAMES.map((event) =>
    opts.backend.subscribe(event, (payload) => {
      const text = JSON.stringify({ event, payload } satisfies ServerMessage);
      for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  id.port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${id.port}/?token=${id.token}`;

  return {
    url,
    port: id.port,
    token: id.token,
    async close() {
      for (const u of unsubscribers) u();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
