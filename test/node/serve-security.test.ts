/**
 * Serve mode's guarantees, each proved against a real server on a real socket: loopback only;
 * Host and Origin checked on every request; the app shell (which holds no data) public; every
 * data request — the WebSocket, /api/ — refused without this run's token; no cookie ever (cookies
 * do not isolate ports, so a cookie would reach every other server on 127.0.0.1).
 */
import http from "node:http";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, type ClientOptions } from "ws";
import { serve, type RunningServer } from "../../electron/node/server/server";
import { recordingBackend } from "../helpers/fake-backend";

let server: RunningServer;
let rendererDir: string;
const SECRET_PAGE = "<!doctype html><title>FSM Inspector</title><p>app page</p>";

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-serve-"));
  fs.writeFileSync(path.join(rendererDir, "index.html"), SECRET_PAGE);
  fs.mkdirSync(path.join(rendererDir, "assets"));
  fs.writeFileSync(path.join(rendererDir, "assets", "app.js"), "console.log('app');");
  server = await serve({ backend: recordingBackend(), rendererDir });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, path: pathAndQuery, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Open a WebSocket; resolves with "open" or the HTTP status of the refusal. */
function wsTry(url: string, headers: Record<string, string> = {}, origin?: string): Promise<{ outcome: "open" } | { outcome: "refused"; status: number; body: string }> {
  return new Promise((resolve) => {
    const opts: ClientOptions = { headers };
    if (origin !== undefined) opts.origin = origin;
    const ws = new WebSocket(url, opts);
    ws.on("open", () => {
      ws.close();
      resolve({ outcome: "open" });
    });
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ outcome: "refused", status: res.statusCode ?? 0, body }));
    });
    ws.on("error", () => {});
  });
}

const token = (): string => server.token;
const origin = (): string => `http://127.0.0.1:${server.port}`;

describe("serve mode HTTP", () => {
  it("listens on 127.0.0.1 only", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal);
    if (!external) {
      console.log("no non-loopback IPv4 interface on this machine; the external-address check is skipped, the loopback URL check above still ran");
      return;
    }
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const req = http.get({ host: external.address, port: server.port, path: `/?token=${token()}`, agent: false }, () => resolve(undefined));
      req.on("error", (e) => resolve(e));
    });
    expect(err?.code).toBe("ECONNREFUSED");
  });

  it("serves the app shell without a token, with a strict CSP and no cookie", async () => {
    const r = await get("/", { host: `127.0.0.1:${server.port}` });
    expect(r.status).toBe(200);
    expect(r.body).toBe(SECRET_PAGE);
    const csp = String(r.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
    expect(r.headers["referrer-policy"]).toBe("no-referrer");
    expect(r.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(r.headers["set-cookie"]).toBeUndefined();
  });

  it("serves assets without a token", async () => {
    const r = await get("/assets/app.js");
    expect(r.status).toBe(200);
    expect(r.body).toContain("console.log");
  });

  it.each([
    ["the right token in the URL", () => `/?token=${token()}`],
    ["a wrong token in the URL", () => "/?token=wrong"],
    ["the token-probe route with the token", () => `/api/access?token=${token()}`],
  ])("never sets a cookie (%s)", async (_label, url) => {
    const r = await get(url());
    expect([200, 204]).toContain(r.status);
    expect(r.headers["set-cookie"]).toBeUndefined();
  });

  it("answers the token probe only with this run's token (Bearer header or query)", async () => {
    expect((await get("/api/access", { authorization: `Bearer ${token()}` })).status).toBe(204);
    expect((await get(`/api/access?token=${token()}`)).status).toBe(204);
    const refused: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: `Basic ${token()}` }, { cookie: `fsm_token_${server.port}=${token()}` }];
    for (const headers of refused) {
      const r = await get("/api/access", headers);
      expect(r.status).toBe(403);
    }
  });

  it.each([
    ["a foreign Origin", "/", { origin: "http://evil.example" }],
    ["a foreign Origin on our port but another host", "/", () => ({ origin: `http://evil.example:${server.port}` })],
    ["another local port's Origin", "/", () => ({ origin: `http://127.0.0.1:${server.port + 1}` })],
    ["the null Origin", "/", { origin: "null" }],
    ["a foreign Host header (DNS rebinding)", "/", { host: "evil.example" }],
    ["a foreign Host header with our port", "/", () => ({ host: `evil.example:${server.port}` })],
    ["a foreign Host header on an asset", "/assets/app.js", { host: "evil.example" }],
    ["no token on a data route", "/api/access", {}],
    ["a wrong token on a data route", "/api/access?token=wrong", {}],
    ["an empty token on a data route", "/api/access?token=", {}],
    ["a token one character off", () => `/api/access?token=${token().slice(0, -1)}${token().endsWith("x") ? "y" : "x"}`, {}],
    ["the token as a cookie (cookies are not accepted)", "/api/access", () => ({ cookie: `fsm_token_${server.port}=${token()}` })],
    ["the right token but a foreign Origin", () => `/api/access?token=${token()}`, { origin: "http://evil.example" }],
  ] as const)("refuses %s with 403 and no data", async (_label, p, h) => {
    const url = typeof p === "function" ? p() : p;
    const headers = typeof h === "function" ? h() : h;
    const r = await get(url, { ...headers });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain("app page");
    expect(r.body).not.toContain("console.log");
    expect(r.headers["set-cookie"]).toBeUndefined();
  });

  it("does not serve files outside the app folder", async () => {
    const r = await get(`/..%2F..%2Fetc%2Fpasswd?token=${token()}`);
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toContain("root:");
  });
});

describe("serve mode WebSocket", () => {
  const wsUrl = (t?: string): string => `ws://127.0.0.1:${server.port}/ws${t === undefined ? "" : `?token=${t}`}`;

  it("opens with the right token and our Origin", async () => {
    expect(await wsTry(wsUrl(token()), {}, origin())).toEqual({ outcome: "open" });
  });

  it("opens with the right token and no Origin (a non-browser client)", async () => {
    expect(await wsTry(wsUrl(token()))).toEqual({ outcome: "open" });
  });

  it.each<[string, () => string, () => Record<string, string>, () => string]>([
    ["no token", () => wsUrl(), () => ({}), () => origin()],
    ["a wrong token", () => wsUrl("wrong"), () => ({}), () => origin()],
    ["the token only as a cookie", () => wsUrl(), () => ({ cookie: `fsm_token_${server.port}=${token()}` }), () => origin()],
    ["a foreign Origin", () => wsUrl(token()), () => ({}), () => "http://evil.example"],
    ["another local port's Origin", () => wsUrl(token()), () => ({}), () => `http://127.0.0.1:${server.port + 1}`],
    ["a foreign Origin and no token", () => wsUrl(), () => ({}), () => `http://127.0.0.1:${server.port + 1}`],
    ["a foreign Host header", () => wsUrl(token()), () => ({ host: "evil.example" }), () => origin()],
    ["an unknown path", () => `ws://127.0.0.1:${server.port}/other?token=${token()}`, () => ({}), () => origin()],
  ])("refuses %s with 403", async (_label, url, headers, org) => {
    const r = await wsTry(url(), headers(), org());
    expect(r.outcome).toBe("refused");
    if (r.outcome === "refused") {
      expect(r.status).toBe(403);
      expect(r.body).not.toContain("handled");
    }
  });
});
