/**
 * Serve mode under abuse, against a real server on a real socket: malformed HTTP, odd paths,
 * broken WebSocket frames and malformed calls. After each, the offending request or socket gets
 * a status or a close code, and a fresh client still gets answers — the server never dies.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createBackend, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import type { ClientEvent } from "../../electron/node/server/clients";
import { serve, type RunningServer } from "../../electron/node/server/server";
import type { SessionSummary } from "../../shared/ipc/views";
import { recordingBackend } from "../helpers/fake-backend";
import { rawGet, rawHttp } from "../helpers/raw-http";
import { frame, rawWs } from "../helpers/raw-ws";
import { connectClient } from "../helpers/ws-client";

const PAGE = "<!doctype html><title>FSM Inspector</title><p>app page</p>";
let rendererDir: string;
let backend: Backend;
let server: RunningServer;

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-abuse-"));
  fs.writeFileSync(path.join(rendererDir, "index.html"), PAGE);
  fs.mkdirSync(path.join(rendererDir, "assets"));
  fs.writeFileSync(path.join(rendererDir, "assets", "app.js"), "console.log('app');");
  backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() } });
  server = await serve({ backend, rendererDir });
});

afterAll(async () => {
  await server.close();
  await backend.dispose();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

/** A fresh client is answered, over HTTP and over a new WebSocket. */
async function stillServing(): Promise<void> {
  const page = await rawGet(server.port, "/");
  expect(page.status).toBe(200);
  expect(page.body).toBe(PAGE);
  expect(page.head).toMatch(/content-length: \d+/i);
  const client = await connectClient(server.port, server.token);
  const info = await client.call("getAppInfo");
  expect(info).toMatchObject({ ok: true, value: { name: "FSM Inspector", mode: "serve" } });
  await client.close();
}

describe("HTTP requests that used to kill the server, or might", () => {
  it.each([
    ["a truncated percent-escape (URIError)", "/%E0%A4%A", [400]],
    ["an invalid percent-escape", "/%zz", [400]],
    ["a NUL byte (fs ERR_INVALID_ARG_VALUE)", "/%00", [400]],
    ["a NUL byte in an asset path", "/assets/app.js%00.png", [400]],
    ["a control character", "/%1b%5b2J", [400]],
    ["raw .. segments", "/../../../../etc/passwd", [403]],
    ["encoded .. segments", "/%2e%2e/%2e%2e/etc/passwd", [403]],
    ["encoded slashes", "/..%2F..%2F..%2Fetc%2Fpasswd", [403]],
    ["a single encoded slash path", "/assets%2Fapp.js", [200]],
    ["backslashes", "/..\\..\\etc\\passwd", [400]],
    ["encoded backslashes", "/assets/%5c..%5c..%5cpackage.json", [400]],
    ["a dot segment", "/./index.html", [403]],
    ["a very long path", `/${"a".repeat(8000)}`, [414]],
    ["an absolute-form target", "http://127.0.0.1/", [400]],
    ["a network-path target", "//evil.example/x", [400]],
    ["an asterisk target", "*", [400]],
    ["a folder", "/assets", [404]],
    ["a folder with a slash", "/assets/", [404]],
    ["a missing file", "/nope.js", [404]],
    ["an unknown API route with no token", "/api/whatever", [403]],
    ["the token-probe route with no token", "/api/access", [403]],
    ["a query that is not valid encoding", "/?token=%E0%A4%A&x=%", [200]],
  ] as const)("%s → a status, and the server keeps serving", async (_label, target, statuses) => {
    const r = await rawGet(server.port, target);
    expect(statuses as readonly number[]).toContain(r.status);
    expect(r.body).not.toContain("root:");
    await stillServing();
  });

  it.each([
    ["a garbage request line", "\u0000\u0001\u0002 nonsense\r\n\r\n"],
    ["an unknown HTTP version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n"],
    ["a header over Node's size limit", `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`],
    ["a header without a colon", "GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"],
    ["an invalid Content-Length", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n"],
    ["a request cut off mid-header", "GET / HTTP/1.1\r\nHost: 127.0"],
  ])("malformed HTTP (%s) gets 400/431 or a closed socket, and the server keeps serving", async (_label, request) => {
    const r = await rawHttp(server.port, request, true);
    expect([0, 400, 431]).toContain(r.status);
    await stillServing();
  });

  it("a WebSocket upgrade on a malformed path is refused with 400, not a crash", async () => {
    const r = await rawHttp(server.port, `GET /%E0%A4%A?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(r.status).toBe(400);
    await stillServing();
  });

  it("any path at all — 500 random ones — gets 200/400/403/404/414 and never stops the server", async () => {
    const pathChars = fc.constantFrom(..."/.\\%:?#aZ09-_~ \u00e9\u0000\u007f".split(""), "%2e", "%2f", "%5c", "%00", "%E0%A4", "..", "%");
    await fc.assert(
      fc.asyncProperty(fc.array(pathChars, { maxLength: 40 }), async (parts) => {
        // Only bytes an HTTP request line can carry as they are: spaces and controls encoded.
        // eslint-disable-next-line no-control-regex
        const target = `/${parts.join("")}`.replace(/[\u0000-\u0020\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).replace(/[^\u0021-\u007e]/g, encodeURIComponent);
        const r = await rawGet(server.port, target);
        expect([200, 400, 403, 404, 414]).toContain(r.status);
      }),
      { numRuns: runs(500) },
    );
    await stillServing();
  });
});

describe("WebSocket frames that used to kill the server, or might", () => {
  const wsPath = (): string => `/ws?token=${server.token}`;

  it.each<[string, (f: typeof frame) => Buffer, number]>([
    ["a frame over the 1 MB limit", (f) => f(0x1, Buffer.alloc(0), { length: 2 * 1024 * 1024 }), 1009],
    ["a text frame with invalid UTF-8", (f) => f(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ["a close frame with code 999", (f) => f(0x8, Buffer.from([0x03, 0xe7])), 1002],
    ["a close frame with a 1-byte body", (f) => f(0x8, Buffer.from([0x03])), 1002],
    ["an unmasked client frame", (f) => f(0x1, Buffer.from("{}"), { mask: false }), 1002],
    ["reserved bits set", (f) => f(0x1, Buffer.from("{}"), { rsv: 0b111 }), 1002],
    ["an unknown opcode", (f) => f(0x3, Buffer.from("x")), 1002],
    ["a fragmented ping", (f) => f(0x9, Buffer.from("x"), { fin: false }), 1002],
    ["a continuation with nothing to continue", (f) => f(0x0, Buffer.from("x")), 1002],
  ])("%s closes that socket (with the code it deserves) and the server keeps serving", async (_label, build, code) => {
    const bystander = await connectClient(server.port, server.token);
    const raw = await rawWs(server.port, wsPath());
    raw.write(build(frame));
    expect(await raw.closed).toBe(code);
    // Another client, connected all along, is untouched.
    expect(await bystander.call("listProfiles")).toMatchObject({ ok: true });
    await bystander.close();
    await stillServing();
  });

  it("a socket reset mid-frame does not stop the server", async () => {
    const raw = await rawWs(server.port, wsPath());
    raw.write(frame(0x1, Buffer.alloc(5000, 0x61)).subarray(0, 100));
    raw.destroy();
    await raw.closed;
    await stillServing();
  });
});

describe("malformed messages and arguments", () => {
  it("messages that are not calls are dropped, and the same connection still answers the next call", async () => {
    const c = await connectClient(server.port, server.token);
    const junk: (string | Buffer)[] = [
      "not json",
      "",
      "null",
      "[]",
      "42",
      '"text"',
      "{}",
      '{"id":"1","call":"getAppInfo"}',
      '{"id":1.5,"call":"getAppInfo"}',
      '{"id":1e300,"call":"getAppInfo"}',
      '{"id":null,"call":"getAppInfo"}',
      '{"__proto__":{"id":7},"call":"getAppInfo"}',
      `[${"[".repeat(100_000)}${"]".repeat(100_000)}]`,
      // Almost 1 MB of JSON, cut off before its end.
      `{"id":5,"call":"getAppInfo","arg":"${"y".repeat(1_000_000)}`,
      Buffer.from([0xff, 0x00, 0x13]),
    ];
    for (const j of junk) c.sendRaw(j);
    const next = c.nextReply();
    c.sendRaw(JSON.stringify({ id: 77, call: "getAppInfo", arg: null }));
    // The first reply to arrive is the good call's: none of the junk was answered or broke the socket.
    expect(await next).toMatchObject({ id: 77, result: { ok: true } });
    await c.close();
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "", 5, null])("an unknown call name (%s) is answered unknown-call", async (name) => {
    const c = await connectClient(server.port, server.token);
    expect(await c.call(name as string)).toMatchObject({ ok: false, error: { code: "unknown-call" } });
    await c.close();
  });

  const huge = "x".repeat(900_000);
  it.each<[string, unknown]>([
    ["getSession", null],
    ["getSession", 5],
    ["getSession", "id"],
    ["getSession", []],
    ["getSession", {}],
    ["getSession", { sessionId: 5 }],
    ["getSession", { sessionId: null }],
    ["getSession", { sessionId: huge }],
    ["getSession", { sessionId: { toString: "x" } }],
    ["closeSession", null],
    ["closeSession", { sessionId: ["a"] }],
    ["openFolder", null],
    ["openFolder", { path: 1 }],
    ["openFolder", { path: huge }],
    ["openFolder", { path: "/tmp\u0000/x" }],
    ["openFolder", { path: "/tmp", profileId: 7 }],
    ["openFolder", { path: "/tmp", profileId: huge }],
    ["openMachine", {}],
    ["openMachine", { profileId: true }],
    ["openDatabase", { connection: "postgres://x", profileId: "duckgres", intervalMs: "100" }],
    ["openDatabase", { connection: "postgres://x", profileId: "duckgres", intervalMs: -1 }],
    ["openDatabase", { connection: "postgres://x", profileId: "duckgres", intervalMs: 1e12 }],
    ["openDatabase", { connection: huge, profileId: "duckgres" }],
    ["browseFolder", { path: 42 }],
    ["browseFolder", "~"],
  ])("%s with a malformed argument (case %#) is a bad-request error naming the call", async (call, arg) => {
    const c = await connectClient(server.port, server.token);
    const r = await c.call(call, arg);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("bad-request");
      expect(r.error.message).toMatch(new RegExp(`^${call}: `));
      expect(r.error.message.length).toBeLessThan(400);
    }
    await c.close();
  });

  it("__proto__ and constructor keys and values reach no prototype and give specific errors", async () => {
    const c = await connectClient(server.port, server.token);
    const send = async (text: string): Promise<unknown> => {
      const next = c.nextReply();
      c.sendRaw(text);
      return (await next).result;
    };
    expect(await send('{"id":1,"call":"getSession","arg":{"__proto__":{"sessionId":"x"}}}')).toMatchObject({ ok: false, error: { code: "bad-request" } });
    expect(await send('{"id":2,"call":"openMachine","arg":{"__proto__":{"profileId":"iai-mcp"},"constructor":{"prototype":{"polluted":true}}}}')).toMatchObject({ ok: false, error: { code: "bad-request" } });
    expect(await send('{"id":3,"call":"openMachine","arg":{"profileId":"__proto__"}}')).toMatchObject({ ok: false, error: { code: "no-profile" } });
    expect(await send('{"id":4,"call":"openMachine","arg":{"profileId":"constructor"}}')).toMatchObject({ ok: false, error: { code: "no-profile" } });
    expect(await send('{"id":5,"call":"getSession","arg":{"sessionId":"constructor"}}')).toMatchObject({ ok: false, error: { code: "no-session" } });
    expect(await send('{"id":6,"call":"closeSession","arg":{"sessionId":"__proto__"}}')).toMatchObject({ ok: false, error: { code: "no-session" } });
    expect(await send('{"id":7,"call":"openFolder","arg":{"path":"/tmp","profileId":"hasOwnProperty"}}')).toMatchObject({ ok: false, error: { code: "no-profile" } });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["sessionId"]).toBeUndefined();
    await c.close();
    await stillServing();
  });
});

describe("a client that stops reading", () => {
  it("is disconnected once its unsent backlog passes the limit, while a reading client gets every event", async () => {
    const backend = recordingBackend();
    const events: ClientEvent[] = [];
    const srv = await serve({ backend, rendererDir, maxBufferedBytes: 256 * 1024, onClientEvent: (e) => events.push(e) });
    try {
      const reader = await connectClient(srv.port, srv.token, "reading-client-01");
      const stalled = await rawWs(srv.port, `/ws?token=${srv.token}&client=stalled-client-01`);
      stalled.pause();
      const big: SessionSummary = { id: "s1", title: "x".repeat(100_000), target: "/t", profileId: "iai-mcp", kind: "live", openedAt: "2026-01-01T00:00:00Z" };
      const cutOff = (): boolean => events.some((e) => e.kind === "grace-started" && e.clientId === "stalled-client-01");
      let sent = 0;
      // Each event is 100 kB; the kernel's loopback buffers take a few MB before the server's backlog grows.
      while (!cutOff() && sent < 2000) {
        backend.publish("sessions", [big]);
        sent++;
        await new Promise((r) => setImmediate(r));
      }
      expect(cutOff()).toBe(true);
      await vi.waitFor(() => expect(reader.events.filter((e) => e.event === "sessions")).toHaveLength(sent), { timeout: 20_000, interval: 10 });
      expect(await reader.call("getAppInfo")).toMatchObject({ ok: true });
      console.log(`the stalled client was cut off after ${sent} events of 100 kB`);
      stalled.destroy();
      await reader.close();
    } finally {
      await srv.close();
    }
  }, 60_000);
});
