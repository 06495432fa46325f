/**
 * The serve-mode token in a real Chromium: it leaves the address bar after load, lives in the
 * tab's sessionStorage (a reload keeps working), and never reaches another server on 127.0.0.1 —
 * no cookie, no Referer, no URL. A page on another local port can neither crash the inspector nor
 * open its WebSocket. A page without the token, or with a stale one, says how to get in.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect, type Page } from "@playwright/test";
import { startServe, type ServedApp } from "./serve-app";

/** Another local web server (a dev server, say): records every request it receives. */
interface Recorder {
  origin: string;
  requests: { url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

let app: ServedApp;
let other: Recorder;

function attackerPage(inspectorPort: number): string {
  // Served by the other server: tries what a hostile local page could against the inspector.
  return `<!doctype html><title>other</title><body>
<img id="own" src="/pixel.png">
<img id="crash" src="http://127.0.0.1:${inspectorPort}/%E0%A4%A">
<img id="nul" src="http://127.0.0.1:${inspectorPort}/%00">
<script>
  window.results = [];
  fetch("/own-fetch", { credentials: "include" }).catch(() => {});
  fetch("http://127.0.0.1:${inspectorPort}/api/access", { mode: "no-cors", credentials: "include" }).catch(() => {});
  for (const url of ["ws://127.0.0.1:${inspectorPort}/ws", "ws://127.0.0.1:${inspectorPort}/ws?token=guess", "ws://localhost:${inspectorPort}/ws"]) {
    const r = { url, opened: false, messages: 0, closed: false };
    window.results.push(r);
    const ws = new WebSocket(url);
    ws.onopen = () => { r.opened = true; ws.send(JSON.stringify({ id: 1, call: "browseFolder", arg: { path: "/" } })); };
    ws.onmessage = () => { r.messages++; };
    ws.onclose = () => { r.closed = true; };
  }
</script></body>`;
}

async function startRecorder(inspectorPort: () => number): Promise<Recorder> {
  const requests: Recorder["requests"] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    if (req.url?.startsWith("/attack")) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(attackerPage(inspectorPort()));
    } else {
      res.writeHead(200, { "content-type": "text/plain", "access-control-allow-origin": "*" });
      res.end("ok");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test.beforeAll(async () => {
  app = await startServe(["--demo-interval", "1000:2000"]);
  other = await startRecorder(() => app.port);
});

test.afterAll(async () => {
  await other?.close();
  await app?.stop();
});

async function expectLive(page: Page): Promise<void> {
  await expect(page.locator(".connection")).toContainText("live");
  await expect(page.getByRole("tab", { name: "Demo: simulated iai-mcp daemon" })).toBeVisible();
}

async function stored(page: Page): Promise<{ token: string | null; client: string | null }> {
  return page.evaluate(() => ({ token: sessionStorage.getItem("fsm-inspector.token"), client: sessionStorage.getItem("fsm-inspector.client") }));
}

test("the token leaves the address bar, stays in this tab's sessionStorage, and a reload keeps working", async ({ page }) => {
  await page.goto(app.url);
  await expectLive(page);
  expect(page.url()).toBe(`${app.origin}/`);
  const first = await stored(page);
  expect(first.token).toBe(app.token);
  expect(first.client).toMatch(/^[0-9a-f]{32}$/);
  expect(await page.evaluate(() => document.cookie)).toBe("");
  expect(await page.context().cookies()).toEqual([]);

  await page.reload();
  await expectLive(page);
  expect(page.url()).toBe(`${app.origin}/`);
  // Same tab, same client: the server sees a reload, not a new client.
  expect(await stored(page)).toEqual(first);
  expect(await page.context().cookies()).toEqual([]);
});

test("the token never reaches another server on 127.0.0.1: not by cookie, Referer or URL", async ({ page, context }) => {
  await page.goto(app.url);
  await expectLive(page);
  const before = other.requests.length;

  // From the inspector page: requests its CSP lets out (a navigation), and ones it blocks.
  await page.evaluate((o) => {
    new Image().src = `${o}/img-from-inspector.png`;
    void fetch(`${o}/fetch-from-inspector`, { credentials: "include" }).catch(() => {});
  }, other.origin);
  await Promise.all([page.waitForURL(`${other.origin}/navigated-from-inspector`), page.evaluate((o) => (location.href = `${o}/navigated-from-inspector`), other.origin).catch(() => {})]);

  // Another tab of the same browser visits the other server: a page, its own image, its own fetch.
  const tab = await context.newPage();
  await tab.goto(`${other.origin}/attack-page`);
  await expect.poll(() => other.requests.filter((r) => r.url === "/pixel.png" || r.url === "/own-fetch").length).toBe(2);
  await tab.close();

  const seen = other.requests.slice(before);
  expect(seen.map((r) => r.url)).toEqual(expect.arrayContaining(["/navigated-from-inspector", "/attack-page", "/pixel.png", "/own-fetch"]));
  for (const r of seen) {
    expect(r.url).not.toContain(app.token);
    expect(JSON.stringify(r.headers)).not.toContain(app.token);
    expect(r.headers.cookie).toBeUndefined();
  }
  expect(await context.cookies()).toEqual([]);
});

test("a page on another local port cannot crash the inspector nor open its WebSocket", async ({ page, context }) => {
  // The user has the inspector open in this browser, then visits a hostile page on another port.
  await page.goto(app.url);
  await expectLive(page);
  const attack = await context.newPage();
  const sockets: string[] = [];
  attack.on("websocket", (ws) => sockets.push(ws.url()));
  await attack.goto(`${other.origin}/attack`);
  await expect
    .poll(() => attack.evaluate(() => (window as unknown as { results: { closed: boolean }[] }).results.filter((r) => r.closed).length))
    .toBe(3);
  const results = await attack.evaluate(() => (window as unknown as { results: { url: string; opened: boolean; messages: number }[] }).results);
  for (const r of results) expect(r, r.url).toMatchObject({ opened: false, messages: 0 });
  expect(sockets).toHaveLength(3);
  await attack.close();

  // The malformed <img> URLs reached the inspector and got 400s; it still serves, the open tab
  // stays connected, and a fresh tab connects.
  const res = await fetch(`${app.origin}/%E0%A4%A`);
  expect(res.status).toBe(400);
  await expectLive(page);
  expect(await page.evaluate(() => document.querySelectorAll("[data-testid=access-refused]").length)).toBe(0);
  const fresh = await context.newPage();
  await fresh.goto(app.url);
  await expectLive(fresh);
  await fresh.close();
});

test("a page opened without the token says how to get in, and does not try to connect", async ({ page }) => {
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  const res = await page.goto(`${app.origin}/`);
  expect(res?.status()).toBe(200);
  const box = page.getByTestId("access-refused");
  await expect(box).toHaveAttribute("data-problem", "no-token");
  await expect(box).toContainText("Open the URL printed by fsm-inspector serve, with its token");
  expect(sockets).toEqual([]);
});

test("a stale token (the server was restarted) ends in the same message, not endless reconnects", async ({ page }) => {
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  await page.goto(`${app.origin}/?token=from-an-earlier-run`);
  const box = page.getByTestId("access-refused");
  await expect(box).toHaveAttribute("data-problem", "refused");
  await expect(box).toContainText("Open the URL printed by fsm-inspector serve, with its token");
  expect(page.url()).toBe(`${app.origin}/`);
  // One refused attempt, one probe that said 403, and the page stopped.
  expect(sockets).toHaveLength(1);
});

test("the page's own Content-Security-Policy is the one the server sends, written once (shared/ipc/csp.ts)", async ({ page }) => {
  const response = await page.goto(app.url);
  const header = response?.headers()["content-security-policy"] ?? "";
  const meta = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) ?? "";
  const directives = (csp: string): string[] => csp.split(";").map((d) => d.trim().replace(/\s+/g, " ")).filter((d) => d !== "" && !d.startsWith("connect-src") && !d.startsWith("frame-ancestors"));
  expect(directives(meta).length).toBeGreaterThan(5);
  expect(directives(meta)).toEqual(directives(header));
  // The page may talk to this machine's WebSocket only.
  expect(meta).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\* ws:\/\/localhost:\*/);
});
