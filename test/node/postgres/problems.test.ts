/**
 * Everything a user can get wrong pointing the source at a database becomes one specific warning
 * (what, where, what to do) with a key, cleared once fixed: wrong table, no schema yet, missing
 * database, refused connection, a server that never answers, bad password, no read permission.
 * Also: the runtime schema is resolved as duckgres resolves it.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startPostgres, loadSchema, withClient } from "../../helpers/postgres";
import { waitFor } from "../../helpers/tmp";
import type { NewObservation } from "../../../shared/trace/observation";
import { DUCKGRES_TABLE, SCHEMA_SQL, freshDatabase, urlFor, waitForWarning, warnings, watchTable } from "./common";
import { ControlPlaneWriter } from "./writer";

const server = await startPostgres();
const skipped = "skipped" in server ? server.skipped : undefined;
if (skipped !== undefined) console.log(`PostgreSQL source problem tests skipped: ${skipped}`);

afterAll(async () => {
  if (!("skipped" in server)) await server.stop();
});

const CP1 = "0a1b2c3d-4e5f-cp1-000001";

function transitionsOf(obs: readonly NewObservation[]): string[] {
  return obs.flatMap((o) => (o.kind === "transition" ? [`${o.instance}: ${o.from} -> ${o.to}`] : []));
}

describe.skipIf(skipped !== undefined)("PostgresTableSource problems", () => {
  const pg = () => {
    if ("skipped" in server) throw new Error(server.skipped);
    return server;
  };

  it("a table that is not there: the 'is not there' warning, cleared when the control plane creates it", async () => {
    const url = await freshDatabase(pg(), { schema: false });
    const w = watchTable(url);
    try {
      await w.source.start();
      const warning = await waitForWarning(w, /is not there/);
      expect(warning.message).toMatch(/^table cp_runtime\.worker_records is not there \(database "t\d+_\d+" at 127\.0\.0\.1:\d+: .*\): is this the duckgres control-plane database\? the control plane creates it on start \(GORM auto-migration\)/);
      expect(warning).toMatchObject({ code: "source-error", source: { table: "cp_runtime.worker_records" } });
      expect(w.seen.filter((o) => o.kind !== "warning")).toEqual([]);

      // Polling again without a change does not repeat the warning.
      await w.source.refresh();
      expect(warnings(w.seen)).toHaveLength(1);

      await loadSchema(url, SCHEMA_SQL);
      const writer = await ControlPlaneWriter.connect(url);
      const a = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
      await writer.close();
      await w.source.refresh();
      expect(w.seen.slice(1)).toEqual([
        expect.objectContaining({ kind: "warning", key: warning.key, cleared: true, message: "cp_runtime.worker_records is there now." }),
        expect.objectContaining({ kind: "state", instance: a.worker_id, state: "spawning" }),
      ]);
    } finally {
      await w.source.close();
    }
  });

  it("a wrong table name in the profile says which table is not there", async () => {
    const url = await freshDatabase(pg());
    const w = watchTable(url, { spec: { ...DUCKGRES_TABLE, table: "cp_runtime.worker_record" } });
    try {
      await w.source.start();
      const warning = await waitForWarning(w, /is not there/);
      expect(warning.message).toContain("table cp_runtime.worker_record is not there");
      expect(warning.source).toEqual({ table: "cp_runtime.worker_record" });
    } finally {
      await w.source.close();
    }
  });

  it("a table without the key column says so", async () => {
    const url = await freshDatabase(pg(), { schema: false });
    await withClient(url, (c) => c.query("CREATE SCHEMA cp_runtime; CREATE TABLE cp_runtime.worker_records (id bigint, state text)"));
    const w = watchTable(url);
    try {
      await w.source.start();
      const warning = await waitForWarning(w, /no column/);
      expect(warning.message).toContain('cp_runtime.worker_records at 127.0.0.1:');
      expect(warning.message).toContain('"worker_id"');
    } finally {
      await w.source.close();
    }
  });

  it("a database that does not exist", async () => {
    const url = urlFor(pg(), { database: "no_such_db" });
    const w = watchTable(url);
    try {
      await w.source.start();
      const warning = await waitForWarning(w, /does not exist/);
      expect(warning.message).toMatch(/^database "no_such_db" does not exist on PostgreSQL at 127\.0\.0\.1:\d+ .*check the database name in the connection string/);
    } finally {
      await w.source.close();
    }
  });

  it("nothing listening: 'cannot connect … connection refused' with host:port, start() resolves, close() ends the retries", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const a = s.address();
        s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
      });
    });
    const w = watchTable(`postgres://postgres@127.0.0.1:${port}/postgres`, { intervalMs: 50 });
    try {
      await w.source.start();
      expect(warnings(w.seen)).toEqual([
        expect.objectContaining({
          code: "source-error",
          key: expect.stringContaining(`127.0.0.1:${port}`),
          message: `cannot connect to PostgreSQL at 127.0.0.1:${port} (connection refused): is the server running and listening on that host and port? Check the host and port in the connection string; retrying (every 1 s, backing off to 30 s).`,
        }),
      ]);
    } finally {
      await w.source.close();
    }
  });

  it("a connection string that is not a URL: says how to write it, and never connects", async () => {
    const w = watchTable("host=127.0.0.1 port=5432 dbname=cfg password=hunter2");
    try {
      await w.source.start();
      expect(warnings(w.seen)).toEqual([
        expect.objectContaining({
          message: "the PostgreSQL connection string is not a URL: write it as postgres://user@host:port/database (password, if any, after the user: user:password@).",
        }),
      ]);
      expect(JSON.stringify(w.seen)).not.toContain("hunter2");
    } finally {
      await w.source.close();
    }
  });

  it("a server that never answers: a timeout warning after 5 s, and close() does not wait for it", async () => {
    const silent = new Set<net.Socket>();
    const tarpit = net.createServer((s) => {
      silent.add(s);
      s.on("error", () => undefined);
    });
    await new Promise<void>((r) => tarpit.listen(0, "127.0.0.1", () => r()));
    const addr = tarpit.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      const w = watchTable(url);
      const t0 = Date.now();
      await w.source.start();
      const warning = await waitForWarning(w, /no answer within 5 s/, 1000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(4900);
      expect(warning.message).toContain(`127.0.0.1:${port}`);
      await w.source.close();

      // Closing while it connects returns at once.
      const w2 = watchTable(url);
      const starting = w2.source.start();
      await new Promise((r) => setTimeout(r, 200));
      const c0 = Date.now();
      await w2.source.close();
      await starting;
      expect(Date.now() - c0).toBeLessThan(1000);
      expect(warnings(w2.seen)).toEqual([]);
    } finally {
      for (const s of silent) s.destroy();
      await new Promise<void>((r) => tarpit.close(() => r()));
    }
  });

  it("authentication failed: names the user and what to check; cleared when the password matches", async () => {
    const srv = pg();
    await withClient(srv.url, (c) => c.query("CREATE ROLE watcher LOGIN PASSWORD 'right'"));
    const hba = path.join(srv.dataDir, "pg_hba.conf");
    const original = fs.readFileSync(hba, "utf8");
    fs.writeFileSync(hba, `host all watcher 127.0.0.1/32 scram-sha-256\n${original}`);
    await withClient(srv.url, (c) => c.query("SELECT pg_reload_conf()"));
    const url = urlFor(srv, { user: "watcher", password: "wrong" });
    // The reload is asynchronous: wait until the server asks for the password (28P01: refused).
    await waitFor(
      () =>
        withClient(url, async () => undefined).then(
          () => undefined,
          (e: unknown) => (e as { code?: unknown }).code === "28P01" || undefined,
        ),
      "pg_hba.conf to be reloaded",
    );
    const w = watchTable(url);
    try {
      await w.source.start();
      const warning = await waitForWarning(w, /refused user/);
      expect(warning.message).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+ refused user "watcher" \(password authentication failed for user "watcher"\): check the user and password/);
      expect(warning.message).not.toContain("wrong");
      await withClient(srv.url, (c) => c.query("ALTER ROLE watcher PASSWORD 'wrong'"));
      await w.source.refresh();
      // Connected now; this database has no duckgres table, which replaces the warning.
      expect(warnings(w.seen).slice(1)).toEqual([
        expect.objectContaining({ key: warning.key, cleared: true }),
        expect.objectContaining({ message: expect.stringContaining("is not there") }),
      ]);
    } finally {
      await w.source.close();
      fs.writeFileSync(hba, original);
      await withClient(srv.url, (c) => c.query("SELECT pg_reload_conf()"));
    }
  });

  it("permission denied: says what to grant; cleared once granted", async () => {
    const srv = pg();
    const url = await freshDatabase(srv);
    await withClient(url, (c) => c.query("CREATE ROLE reader LOGIN"));
    const w = watchTable(urlFor(srv, { database: new URL(url).pathname.slice(1), user: "reader" }));
    try {
      await w.source.start();
      const warning = await waitForWarning(w, /permission denied/);
      expect(warning.code).toBe("unreadable");
      expect(warning.message).toMatch(/^permission denied reading cp_runtime\.worker_records as user "reader" at 127\.0\.0\.1:\d+ \(permission denied for schema cp_runtime\): grant it read access \(GRANT USAGE ON SCHEMA "cp_runtime" TO "reader"; GRANT SELECT ON "cp_runtime"\."worker_records" TO "reader"\)/);
      await withClient(url, (c) => c.query('GRANT USAGE ON SCHEMA "cp_runtime" TO "reader"; GRANT SELECT ON "cp_runtime"."worker_records" TO "reader"'));
      await w.source.refresh();
      expect(warnings(w.seen).slice(1)).toEqual([expect.objectContaining({ key: warning.key, cleared: true, message: "cp_runtime.worker_records can be read now." })]);
    } finally {
      await w.source.close();
    }
  });

  it("a migration holding the table: the one poll waits (never a second one), gives up after 5 s with a warning, then follows again", async () => {
    const url = await freshDatabase(pg());
    const writer = await ControlPlaneWriter.connect(url);
    const x = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
    const w = watchTable(url, { intervalMs: 50 });
    const { default: pgLib } = await import("pg");
    const migration = new pgLib.Client({ connectionString: url });
    migration.on("error", () => undefined);
    await migration.connect();
    try {
      await w.source.start();
      expect(w.take()).toHaveLength(1);
      // The move happens, then an ALTER-like lock is taken before the source polls again.
      const moved = await writer.upsertWorkerRecord({ workerId: x.worker_id, state: "reserved", epoch: 1, owner: CP1, org: "acme" });
      expect(moved.matched).toBe(true);
      await migration.query("BEGIN; LOCK TABLE cp_runtime.worker_records IN ACCESS EXCLUSIVE MODE");
      const locked = Date.now();
      // The source's next poll (every 50 ms) waits for the lock, however long it takes to start.
      const waiting = await waitFor(async () => {
        const r = await withClient(pg().url, (c) =>
          c.query<{ state: string; wait_event_type: string | null }>("SELECT state, wait_event_type FROM pg_stat_activity WHERE application_name = 'fsm-inspector (read-only)'"),
        );
        return r.rows.some((row) => row.wait_event_type === "Lock") ? r : undefined;
      }, "the source's poll to wait for the lock");
      expect(waiting.rows).toEqual([{ state: "active", wait_event_type: "Lock" }]);
      const warning = await waitForWarning(w, /waited over 5 s for a lock/, 15_000);
      expect(Date.now() - locked).toBeGreaterThanOrEqual(4900);
      expect(warning.message).toContain("cp_runtime.worker_records at 127.0.0.1:");
      await migration.query("COMMIT");
      await waitFor(() => warnings(w.seen).find((o) => o.cleared && o.key === warning.key), "the warning cleared", 5000);
      await waitFor(() => transitionsOf(w.seen).length > 0 || undefined, "the move");
      await new Promise((r) => setTimeout(r, 300));
      expect(transitionsOf(w.seen)).toEqual([`${x.worker_id}: spawning -> reserved`]);
    } finally {
      await migration.query("ROLLBACK").catch(() => undefined);
      await migration.end();
      await w.source.close();
      await writer.close();
    }
  });

  it("resolves the runtime schema as duckgres does: <current_schema>_runtime when it is not public; an explicit schema wins", async () => {
    const srv = pg();
    const url = await freshDatabase(srv, { schema: false });
    const db = new URL(url).pathname.slice(1);
    // A role whose current_schema() is its own schema "tenant" ("$user" comes first in search_path).
    await withClient(url, (c) => c.query("CREATE ROLE tenant LOGIN; CREATE SCHEMA tenant AUTHORIZATION tenant"));
    await loadSchema(url, SCHEMA_SQL, "tenant_runtime");
    await loadSchema(url, SCHEMA_SQL, "other");
    await withClient(url, (c) => c.query("GRANT USAGE ON SCHEMA tenant_runtime TO tenant; GRANT SELECT ON ALL TABLES IN SCHEMA tenant_runtime TO tenant"));
    const tenantUrl = urlFor(srv, { database: db, user: "tenant" });
    const tenantWriter = await ControlPlaneWriter.connect(url, "tenant_runtime");
    const otherWriter = await ControlPlaneWriter.connect(url, "other");
    const t = await tenantWriter.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
    await otherWriter.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
    const o = await otherWriter.createSpawningWorkerSlot({ owner: CP1, org: "globex" });
    await tenantWriter.close();
    await otherWriter.close();

    const w = watchTable(tenantUrl);
    const w2 = watchTable(url, { schema: "other" });
    try {
      await w.source.start();
      expect(w.seen).toEqual([expect.objectContaining({ kind: "state", instance: t.worker_id, source: { table: "tenant_runtime.worker_records" } })]);
      await w2.source.start();
      expect(w2.seen).toHaveLength(2);
      expect(w2.seen[1]).toMatchObject({ kind: "state", instance: o.worker_id, source: { table: "other.worker_records" } });
    } finally {
      await w.source.close();
      await w2.source.close();
    }
  });
});
