/**
 * Serve-mode request checks: every HTTP and WebSocket request must carry this run's token (query
 * `?token=` or the per-port cookie set from it), a Host header naming our loopback address and
 * port, and — when there is an Origin — our own origin. Anything else is 403 with no data.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { contentSecurityPolicy } from "../../../shared/ipc/csp";

export interface ServeIdentity {
  token: string;
  port: number;
}

export type Verdict = { ok: true; tokenFromQuery: boolean } | { ok: false; reason: string };

export interface RequestLike {
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

export function cookieName(port: number): string {
  return `fsm_token_${port}`;
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

function cookieToken(req: RequestLike, port: number): string | undefined {
  const raw = header(req, "cookie");
  if (!raw) return undefined;
  const name = cookieName(port);
  for (const part of raw.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function checkRequest(req: RequestLike, id: ServeIdentity): Verdict {
  const host = header(req, "host");
  if (!host || !allowedHosts(id.port).includes(host.toLowerCase())) {
    return { ok: false, reason: `Host header "${host ?? ""}" is not this server` };
  }
  const origin = header(req, "origin");
  if (origin !== undefined && !allowedOrigins(id.port).includes(origin.toLowerCase())) {
    return { ok: false, reason: `Origin "${origin}" is not allowed` };
  }
  let query: string | null;
  try {
    query = new URL(req.url ?? "/", "http://x").searchParams.get("token");
  } catch {
    return { ok: false, reason: "malformed URL" };
  }
  if (query !== null) {
    return sameToken(query, id.token) ? { ok: true, tokenFromQuery: true } : { ok: false, reason: "wrong token" };
  }
  const fromCookie = cookieToken(req, id.port);
  if (fromCookie !== undefined && sameToken(fromCookie, id.token)) return { ok: true, tokenFromQuery: false };
  return { ok: false, reason: fromCookie === undefined ? "missing token" : "wrong token" };
}

/** The Content-Security-Policy of the served UI: as the desktop app's, plus our own WebSocket. */
export function servedContentSecurityPolicy(port: number): string {
  return contentSecurityPolicy(allowedHosts(port).map((h) => `ws://${h}`));
}
