/**
 * Serve-mode request checks. Every request must name our loopback address and port in `Host`
 * (DNS rebinding) and, when it carries an `Origin`, come from our own origin (cross-site requests
 * and WebSockets). Data requests — the WebSocket and the `/api/` routes — must also present this
 * run's token; the static app shell holds no data and needs none. There is no cookie: cookies do
 * not isolate ports, so any other server on 127.0.0.1 would receive one.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { contentSecurityPolicy } from "../../../shared/ipc/csp";

export interface ServeIdentity {
  token: string;
  port: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

function header(req: RequestLike, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameToken(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/** Host names this server and, when present, Origin is this server's own. Enough for the app shell. */
export function checkHostAndOrigin(req: RequestLike, id: ServeIdentity): Verdict {
  const host = header(req, "host");
  if (!host || !allowedHosts(id.port).includes(host.toLowerCase())) {
    return { ok: false, reason: `Host header "${host ?? ""}" is not this server` };
  }
  const origin = header(req, "origin");
  if (origin !== undefined && !allowedOrigins(id.port).includes(origin.toLowerCase())) {
    return { ok: false, reason: `Origin "${origin}" is not allowed` };
  }
  return { ok: true };
}

/**
 * The token a data request presents: `Authorization: Bearer TOKEN` (the page's API calls) or the
 * `token` query parameter (the WebSocket URL, where browsers cannot set headers).
 */
export function presentedToken(req: RequestLike, query: URLSearchParams): string | undefined {
  const auth = header(req, "authorization");
  const bearer = auth !== undefined ? /^Bearer ([\w-]+)$/.exec(auth.trim())?.[1] : undefined;
  return bearer ?? query.get("token") ?? undefined;
}

/** Host, Origin and this run's token (compared in constant time): every data request. */
export function checkDataRequest(req: RequestLike, query: URLSearchParams, id: ServeIdentity): Verdict {
  const base = checkHostAndOrigin(req, id);
  if (!base.ok) return base;
  const token = presentedToken(req, query);
  if (token === undefined) return { ok: false, reason: "missing token" };
  return sameToken(token, id.token) ? { ok: true } : { ok: false, reason: "wrong token" };
}

/** The Content-Security-Policy of the served UI: as the desktop app's, plus our own WebSocket. */
export function servedContentSecurityPolicy(port: number): string {
  return contentSecurityPolicy(allowedHosts(port).map((h) => `ws://${h}`));
}

/** Headers on every answer, refusals included. */
export function baseHeaders(): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    // Other origins may not embed or read what we serve, even the public app shell.
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "DENY",
  };
}
