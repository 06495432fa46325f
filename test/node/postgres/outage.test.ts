/**
 * The server goes away while the source watches: a "cannot connect" warning within seconds, no
 * crash and no unhandled rejection; when it is back the warning is cleared and what changed
 * meanwhile is diffed against the last snapshot (several steps = one transition).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPostgres } from "../../helpers/postgres";
import { waitFor } from "../../helpers/tmp";
import { freshDatabase, transitions, utc, waitForWarning, warnings, watchTable } from "./common";
import { TcpRelay } from "./proxy";
import { ControlPlaneWriter } from "./writer";

const server = await startPostgres();
const skipped = "skipped" in server ? server.skipped : undefined;
if (skipped !== undefined) console.log(`PostgreSQL outage tests skipped: ${skipped}`);

afterAll(async () => {
  if (!("skipped" in server)) await server.stop();
});

const CP1 = "0a1b2c3d-4e5f-cp1-000001";

// Whatever the source does while the server is gone, nothing may escape as an unhandled error.
const escaped: unknown[] = [];
const onEscape = (err: unknown): void => {
  escaped.push(err);
};
beforeEach(() => {
  escaped.length = 0;
  process.on("unhandledRejection", onEscape);
  process.on("uncaughtException", onEscape);
});
afterEach(() => {
  process.off("unhandledRejection", onEscape);
  process.off("uncaughtException", onEscape);
});

describe.skipIf(skipped !== undefined)("PostgresTableSource when the server stops and comes back", () => {
  const pg = () => {
    if ("skipped" in server) throw new Error(server.skipped);
    return server;
  };

  it("warns 'cannot connect' within seconds of the server stopping, clears it once the server is back, and keeps following", async () => {
    const srv = pg();
    const url = await freshDatabase(srv);
    const writer = await ControlPlaneWriter.connect(url);
    const x = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
    await writer.close();
    const w = watchTable(url, { intervalMs: 200 });
    try {
      await w.source.start();
      expect(w.take()).toEqual([expect.objectContaining({ kind: "state", instance: x.worker_id, state: "spawning" })]);

      const stopped = Date.now();
      await srv.halt("fast");
      const warning = await waitForWarning(w, /cannot connect to PostgreSQL/, 10_000);
      const detectMs = Date.now() - stopped;
      console.log(`postgres outage: "${warning.message}" ${detectMs} ms after the server stopped`);
      expect(detectMs).toBeLessThan(5000);
      expect(warning).toMatchObject({ code: "source-error", source: { table: "cp_runtime.worker_records" } });
      expect(warning.message).toContain(`127.0.0.1:${srv.port}`);
      expect(warning.key).toBeDefined();
      // It keeps retrying (backoff) without repeating the same warning, and without crashing.
      await new Promise((r) => setTimeout(r, 1500));

      await srv.resume();
      const resumed = Date.now();
      const cleared = await waitFor(() => warnings(w.seen).find((o) => o.cleared && o.key === warning.key), "the warning cleared", 20_000);
      console.log(`postgres outage: reconnected ${Date.now() - resumed} ms after the server was back`);
      expect(cleared.message).toMatch(/connected to PostgreSQL at 127\.0\.0\.1:\d+ again/);

      // Still following: a write after the outage is observed.
      const writer2 = await ControlPlaneWriter.connect(url);
      try {
        const r = await writer2.upsertWorkerRecord({ workerId: x.worker_id, state: "reserved", epoch: 1, owner: CP1, org: "acme" });
        expect(r.matched).toBe(true);
        await waitFor(() => transitions(w.seen).find((t) => t.to === "reserved"), "the transition after the outage");
      } finally {
        await writer2.close();
      }
      // The active warnings at the end: none.
      const active = new Map<string, boolean>();
      for (const o of warnings(w.seen)) active.set(o.key ?? o.message, !o.cleared);
      expect([...active.values()].filter(Boolean)).toEqual([]);
      expect(escaped).toEqual([]);
    } finally {
      await w.source.close();
      if (srv.pid() === undefined) await srv.resume();
    }
  });

  it("diffs what changed while it was disconnected against its last snapshot: one transition per row", async () => {
    const srv = pg();
    const url = await freshDatabase(srv);
    const relay = new TcpRelay("127.0.0.1", srv.port);
    await relay.open();
    const viaRelay = url.replace(`:${srv.port}/`, `:${relay.port}/`);
    const writer = await ControlPlaneWriter.connect(url);
    const x = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
    const w = watchTable(viaRelay, { intervalMs: 100 });
    try {
      await w.source.start();
      expect(w.take()).toEqual([expect.objectContaining({ kind: "state", instance: x.worker_id, state: "spawning" })]);

      // The network goes: the source cannot reach the server, but the control plane still can.
      await relay.cut();
      const warning = await waitForWarning(w, /cannot connect to PostgreSQL at 127\.0\.0\.1:\d+ \(connection refused\)/, 5000);
      expect(warning.message).toContain(`127.0.0.1:${relay.port}`);
      expect((await writer.upsertWorkerRecord({ workerId: x.worker_id, state: "reserved", epoch: 1, owner: CP1, org: "acme" })).matched).toBe(true);
      expect((await writer.upsertWorkerRecord({ workerId: x.worker_id, state: "activating", epoch: 1, owner: CP1, org: "acme", activation: true })).matched).toBe(true);
      const hot = await writer.upsertWorkerRecord({ workerId: x.worker_id, state: "hot", epoch: 1, owner: CP1, org: "acme", activation: true });
      if (!hot.matched) throw new Error("fenced");
      const y = await writer.createSpawningWorkerSlot({ owner: CP1, org: "globex" });
      const n = w.seen.length;
      expect(transitions(w.seen)).toEqual([]);

      await relay.open();
      await waitFor(() => warnings(w.seen).find((o) => o.cleared && o.key === warning.key), "the warning cleared", 20_000);
      await waitFor(() => transitions(w.seen).length > 0 || undefined, "the transition made meanwhile");
      const after = w.seen.slice(n);
      // First the warning is cleared, then the rows: x moved three times → one transition; y is new.
      expect(after[0]).toMatchObject({ kind: "warning", cleared: true, key: warning.key });
      expect(transitions(after)).toEqual([{ instance: x.worker_id, from: "spawning", to: "hot", ts: utc(hot.row.updated_at) }]);
      expect(after.find((o) => o.kind === "state")).toMatchObject({ instance: y.worker_id, state: "spawning" });
      expect(escaped).toEqual([]);
    } finally {
      await w.source.close();
      await relay.cut();
      await writer.close();
    }
  });
});
