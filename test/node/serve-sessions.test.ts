/**
 * Open sessions are bounded and do not outlive their client, against a real backend behind a
 * real server: a cap with a specific error (also under 100 concurrent opens), and the sessions
 * a client opened are closed once it has been gone for the grace period — unless it came back
 * (a reload), another client opened them too, or the server opened them itself (the demo).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBackend, MAX_OPEN_SESSIONS, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import type { ClientEvent } from "../../electron/node/server/clients";
import { serve, type RunningServer } from "../../electron/node/server/server";
import type { SessionSummary } from "../../shared/ipc/views";
import { connectClient, type TestClient } from "../helpers/ws-client";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-sessions-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const running: { server: RunningServer; backend: Backend }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.server.close();
    await r.backend.dispose();
  }
});

async function start(clientGraceMs = 60_000): Promise<{ server: RunningServer; backend: Backend; events: ClientEvent[] }> {
  const backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher(), minMs: 1000, maxMs: 2000 } });
  const events: ClientEvent[] = [];
  const server = await serve({ backend, rendererDir: tmp, clientGraceMs, onClientEvent: (e) => events.push(e) });
  running.push({ server, backend });
  return { server, backend, events };
}

/** A folder that does not exist yet (its parent does): watched until it appears. */
let folders = 0;
const missingFolder = (): string => path.join(tmp, `not-yet-${folders++}`);

async function openFolder(c: TestClient): Promise<SessionSummary> {
  const r = await c.call("openFolder", { path: missingFolder(), profileId: "iai-mcp" });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as SessionSummary;
}

const openIds = async (backend: Backend): Promise<string[]> => (await backend.handlers.listSessions(null)).map((s) => s.id);

/** Wait (by polling, not by a fixed sleep) until `events` holds one matching `pred`. */
async function eventually(events: ClientEvent[], pred: (e: ClientEvent) => boolean): Promise<ClientEvent> {
  return vi.waitFor(
    () => {
      const e = events.find(pred);
      if (!e) throw new Error("not yet");
      return e;
    },
    { timeout: 20_000, interval: 10 },
  );
}

describe("the cap on open sessions", () => {
  it(`refuses the session after ${MAX_OPEN_SESSIONS} with too-many-sessions, and opens again once one is closed`, async () => {
    const { server, backend } = await start();
    const c = await connectClient(server.port, server.token, "cap-client-1");
    const opened: SessionSummary[] = [];
    for (let i = 0; i < MAX_OPEN_SESSIONS; i++) opened.push(await openFolder(c));
    expect(await openIds(backend)).toHaveLength(MAX_OPEN_SESSIONS);

    for (const call of [
      c.call("openFolder", { path: missingFolder(), profileId: "iai-mcp" }),
      c.call("openMachine", { profileId: "jumpstarter" }),
      c.call("openDatabase", { connection: "postgres://u@127.0.0.1:1/db", profileId: "duckgres" }),
    ]) {
      const r = await call;
      expect(r).toMatchObject({ ok: false, error: { code: "too-many-sessions", hint: expect.stringMatching(/close some/i) } });
      if (!r.ok) expect(r.error.message).toContain(String(MAX_OPEN_SESSIONS));
    }
    expect(await openIds(backend)).toHaveLength(MAX_OPEN_SESSIONS);

    expect(await c.call("closeSession", { sessionId: opened[0]?.id })).toMatchObject({ ok: true });
    expect(await c.call("openMachine", { profileId: "jumpstarter" })).toMatchObject({ ok: true });
    await c.close();
  }, 60_000);

  it("100 opens at once: exactly the cap succeeds, every other one is refused by name", async () => {
    const { server, backend } = await start();
    const c = await connectClient(server.port, server.token, "cap-client-2");
    const results = await Promise.all(Array.from({ length: 100 }, () => c.call("openFolder", { path: missingFolder(), profileId: "iai-mcp" })));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_OPEN_SESSIONS);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(100 - MAX_OPEN_SESSIONS);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: "too-many-sessions" } });
    expect(await openIds(backend)).toHaveLength(MAX_OPEN_SESSIONS);
    await c.close();
  }, 60_000);
});

describe("closing what a client opened once it has gone", () => {
  it("closes the sessions of a client gone past the grace period, but not those another client opened too, nor the server's demo", async () => {
    const { server, backend, events } = await start(200);
    const demo = await backend.handlers.openDemo(null); // as `fsm-inspector serve` does at start
    const a = await connectClient(server.port, server.token, "client-a-0001");
    const b = await connectClient(server.port, server.token, "client-b-0001");
    const onlyA = await openFolder(a);
    const shared = (await a.call("openMachine", { profileId: "ecluse" })) as { ok: true; value: SessionSummary };
    expect(await b.call("openMachine", { profileId: "ecluse" })).toMatchObject({ ok: true, value: { id: shared.value.id } });
    expect(await a.call("openDemo")).toMatchObject({ ok: true, value: { id: demo.id } });

    await a.close();
    const expired = await eventually(events, (e) => e.kind === "expired" && e.clientId === "client-a-0001");
    expect(expired).toEqual({ kind: "expired", clientId: "client-a-0001", closing: [onlyA.id] });
    await vi.waitFor(async () => expect(await openIds(backend)).not.toContain(onlyA.id), { timeout: 20_000, interval: 10 });
    const left = await openIds(backend);
    expect(left).toContain(shared.value.id);
    expect(left).toContain(demo.id);
    // B sees the list change too.
    await vi.waitFor(() => expect(b.events.some((e) => e.event === "sessions" && !(e.payload as SessionSummary[]).some((s) => s.id === onlyA.id))).toBe(true), { timeout: 20_000, interval: 10 });

    await b.close();
    await eventually(events, (e) => e.kind === "expired" && e.clientId === "client-b-0001");
    await vi.waitFor(async () => expect(await openIds(backend)).toEqual([demo.id]), { timeout: 20_000, interval: 10 });
  }, 60_000);

  it("keeps them when the client reconnects within the grace period (a reload), and closes them when it finally leaves", async () => {
    const { server, backend, events } = await start(1000);
    const a1 = await connectClient(server.port, server.token, "client-reload-01");
    const mine = await openFolder(a1);
    await a1.close();
    await eventually(events, (e) => e.kind === "grace-started" && e.clientId === "client-reload-01");
    const a2 = await connectClient(server.port, server.token, "client-reload-01");
    await eventually(events, (e) => e.kind === "grace-cancelled" && e.clientId === "client-reload-01");

    // A sentinel client leaves after A's first grace timer started, with the same grace: when it
    // expires, A's timer — had it not been cancelled — would have fired before.
    const sentinel = await connectClient(server.port, server.token, "client-sentinel");
    await openFolder(sentinel);
    await sentinel.close();
    await eventually(events, (e) => e.kind === "expired" && e.clientId === "client-sentinel");
    expect(events.filter((e) => e.kind === "expired" && e.clientId === "client-reload-01")).toEqual([]);
    expect(await openIds(backend)).toContain(mine.id);
    expect(await a2.call("getSession", { sessionId: mine.id })).toMatchObject({ ok: true });

    await a2.close();
    await eventually(events, (e) => e.kind === "expired" && e.clientId === "client-reload-01");
    await vi.waitFor(async () => expect(await openIds(backend)).not.toContain(mine.id), { timeout: 20_000, interval: 10 });
  }, 60_000);

  it("two tabs of one client: the sessions stay while either is connected", async () => {
    const { server, backend, events } = await start(200);
    const tab1 = await connectClient(server.port, server.token, "client-two-tabs");
    const tab2 = await connectClient(server.port, server.token, "client-two-tabs");
    const mine = await openFolder(tab1);
    await tab1.close();
    // The sentinel's expiry orders time: by then a wrongly started timer for the client would have fired.
    const sentinel = await connectClient(server.port, server.token, "client-sentinel-2");
    await sentinel.close();
    await eventually(events, (e) => e.kind === "expired" && e.clientId === "client-sentinel-2");
    expect(events.filter((e) => e.clientId === "client-two-tabs" && e.kind !== "connected")).toEqual([]);
    expect(await openIds(backend)).toContain(mine.id);
    await tab2.close();
    await eventually(events, (e) => e.kind === "expired" && e.clientId === "client-two-tabs");
    await vi.waitFor(async () => expect(await openIds(backend)).not.toContain(mine.id), { timeout: 20_000, interval: 10 });
  }, 60_000);

  it("a client that sent no id is one client per connection: its sessions close after it leaves", async () => {
    const { server, backend, events } = await start(200);
    const anon = await connectClient(server.port, server.token);
    const mine = await openFolder(anon);
    await anon.close();
    const expired = await eventually(events, (e) => e.kind === "expired" && e.clientId.startsWith("anonymous-"));
    expect(expired).toMatchObject({ closing: [mine.id] });
    await vi.waitFor(async () => expect(await openIds(backend)).not.toContain(mine.id), { timeout: 20_000, interval: 10 });
  }, 30_000);
});
