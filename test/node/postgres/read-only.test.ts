/**
 * The source never writes and never locks a row: its session is read-only (a write through the
 * same settings fails), the server's statement log shows only SET and plain SELECT from it,
 * pg_locks never shows it holding more than AccessShareLock, a writer taking every row with
 * FOR UPDATE NOWAIT never collides with it, and close() leaves no session, socket or timer.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { APPLICATION_NAME, connectReadOnly, endClient } from "../../../electron/node/sources/postgres/connection";
import { startPostgres, withClient } from "../../helpers/postgres";
import { waitFor } from "../../helpers/tmp";
import { freshDatabase, transitions, watchTable } from "./common";
import { ControlPlaneWriter } from "./writer";

const server = await startPostgres({ logStatements: true });
const skipped = "skipped" in server ? server.skipped : undefined;
if (skipped !== undefined) console.log(`PostgreSQL read-only tests skipped: ${skipped}`);

afterAll(async () => {
  if (!("skipped" in server)) await server.stop();
});

const CP1 = "0a1b2c3d-4e5f-cp1-000001";

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

describe.skipIf(skipped !== undefined)("PostgresTableSource is read-only", () => {
  const pg = () => {
    if ("skipped" in server) throw new Error(server.skipped);
    return server;
  };

  it("its session refuses writes and row locks (same settings as the source)", async () => {
    const url = await freshDatabase(pg());
    const writer = await ControlPlaneWriter.connect(url);
    const x = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
    await writer.close();
    const client = await connectReadOnly(url);
    try {
      expect((await client.query<{ transaction_read_only: string }>("SHOW transaction_read_only")).rows[0]?.transaction_read_only).toBe("on");
      expect((await client.query<{ default_transaction_read_only: string }>("SHOW default_transaction_read_only")).rows[0]?.default_transaction_read_only).toBe("on");
      expect((await client.query<{ application_name: string }>("SHOW application_name")).rows[0]?.application_name).toBe(APPLICATION_NAME);
      for (const sql of [
        "UPDATE cp_runtime.worker_records SET state = 'lost'",
        "DELETE FROM cp_runtime.worker_records",
        "INSERT INTO cp_runtime.cp_instances (id, pod_name, state) VALUES ('x', 'x', 'active')",
        "SELECT * FROM cp_runtime.worker_records FOR UPDATE",
        "SELECT * FROM cp_runtime.worker_records FOR SHARE",
        "SELECT nextval('cp_runtime.worker_records_id_seq')",
      ]) {
        const err = await client.query(sql).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(sqlState(err), sql).toBe("25006"); // read_only_sql_transaction
      }
    } finally {
      await endClient(client);
    }
    await withClient(url, async (c) => {
      const r = await c.query<{ state: string }>("SELECT state FROM cp_runtime.worker_records WHERE worker_id = $1", [x.worker_id]);
      expect(r.rows[0]?.state).toBe("spawning");
    });
  });

  it("while it polls hard: only SET/SELECT in the server log, only AccessShareLock in pg_locks, FOR UPDATE NOWAIT never collides; close() leaves nothing behind", async () => {
    const srv = pg();
    const url = await freshDatabase(srv);
    const writer = await ControlPlaneWriter.connect(url);
    await withClient(url, (c) =>
      c.query(`INSERT INTO cp_runtime.worker_records (worker_id, pod_name, image, state, org_id, owner_cp_instance_id, owner_epoch, created_at, updated_at)
               SELECT i, 'pod-' || i, 'img', 'hot', 'acme', 'cp', 1, now(), now() FROM generate_series(1000, 2999) i`),
    );
    const x = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });

    const resources = (): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
      return counts;
    };
    const before = resources();
    const logStart = fs.statSync(srv.logFile).size;

    const w = watchTable(url, { intervalMs: 0 });
    const locks: { locktype: string; mode: string; granted: boolean }[] = [];
    let samplesWithLocks = 0;
    let nowaitOk = 0;
    const watcher = await connectReadOnly(url);
    // The statements the server logged from our application since the start (SET, SHOW, SELECT ...).
    const ourStatements = (): string[] =>
      fs
        .readFileSync(srv.logFile, "utf8")
        .slice(logStart)
        .split("\n")
        .filter((l) => l.includes(`app=[${APPLICATION_NAME}]`) && l.includes("statement: "))
        .map((l) => l.slice(l.indexOf("statement: ") + "statement: ".length));
    const polls = (): number => ourStatements().filter((s) => /^SELECT \* FROM /.test(s)).length;
    // Not a time window: sampling and contending go on until the source has polled, pg_locks has
    // been sampled and the contender has locked every row often enough, however slow the machine.
    const ENOUGH = 50;
    let samples = 0;
    let stop = false;
    try {
      await w.source.start();
      const sampling = (async () => {
        while (!stop) {
          const r = await watcher.query<{ locktype: string; mode: string; granted: boolean }>(
            `SELECT l.locktype, l.mode, l.granted FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE a.application_name = $1 AND a.pid <> pg_backend_pid()`,
            [APPLICATION_NAME],
          );
          if (r.rows.length > 0) samplesWithLocks++;
          samples++;
          locks.push(...r.rows);
        }
      })();
      // A control plane taking every row with FOR UPDATE NOWAIT would fail with 55P03 if the
      // source ever held a row lock.
      const contending = (async () => {
        const c = await connectWritable(url);
        try {
          while (!stop) {
            await c.query("BEGIN");
            await c.query("SELECT worker_id FROM cp_runtime.worker_records FOR UPDATE NOWAIT");
            await c.query("COMMIT");
            nowaitOk++;
          }
        } finally {
          await c.end();
        }
      })();
      // A failed loop (a collision: 55P03) fails the test at once, with its error.
      let failed: unknown;
      void Promise.all([sampling, contending]).catch((e: unknown) => (failed = e));
      // Meanwhile the worker moves; the source follows.
      const moved = await writer.upsertWorkerRecord({ workerId: x.worker_id, state: "reserved", epoch: 1, owner: CP1, org: "acme" });
      expect(moved.matched).toBe(true);
      await waitFor(() => transitions(w.seen).find((t) => t.to === "reserved"), "the transition");
      await waitFor(
        () => {
          if (failed !== undefined) throw failed;
          return (polls() >= ENOUGH && samples >= ENOUGH && nowaitOk >= ENOUGH) || undefined;
        },
        `${ENOUGH} each of source polls, pg_locks samples and FOR UPDATE NOWAIT`,
        60_000,
        100,
      ).catch((e: unknown) => {
        throw failed ?? new Error(`${e instanceof Error ? e.message : String(e)}: got ${polls()} polls, ${samples} samples, ${nowaitOk} NOWAIT`);
      });
      stop = true;
      await Promise.all([sampling, contending]);
    } finally {
      stop = true;
      await w.source.close();
      await endClient(watcher);
      await writer.close();
    }

    console.log(`read-only: ${samplesWithLocks} of ${samples} pg_locks samples caught the source holding locks; FOR UPDATE NOWAIT succeeded ${nowaitOk} times during ${polls()} polls`);
    expect(nowaitOk).toBeGreaterThan(10);
    const kinds = new Set(locks.map((l) => `${l.locktype}/${l.mode}`));
    for (const k of kinds) expect(["relation/AccessShareLock", "virtualxid/ExclusiveLock"]).toContain(k);

    // Every statement the server logged from our application is a SET, SHOW or plain SELECT.
    const ours = ourStatements();
    expect(ours.length).toBeGreaterThan(20);
    for (const stmt of new Set(ours)) {
      expect(stmt).toMatch(/^(SET |SHOW |SELECT )/);
      expect(stmt).not.toMatch(/\bFOR (UPDATE|SHARE|NO KEY UPDATE|KEY SHARE)\b|\b(INSERT|UPDATE|DELETE|LOCK|nextval|setval|pg_advisory)\b/i);
    }
    console.log(`read-only: distinct statements from the source: ${[...new Set(ours)].map((s) => JSON.stringify(s)).join(" | ")}`);

    // Nothing left: no session on the server, no socket or timer here.
    await waitFor(async () => {
      const r = await withClient(url, (c) => c.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = $1", [APPLICATION_NAME]));
      return r.rows[0]?.n === "0" || undefined;
    }, "the source's session to end on the server");
    await waitFor(() => {
      const after = resources();
      return (after.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0) && (after.Timeout ?? 0) <= (before.Timeout ?? 0) ? true : undefined;
    }, "sockets and timers to be released", 10_000);
  }, 90_000);
});

async function connectWritable(url: string) {
  const { default: pgLib } = await import("pg");
  const c = new pgLib.Client({ connectionString: url, application_name: "duckgres-controlplane (row locker)" });
  c.on("error", () => undefined);
  await c.connect();
  return c;
}
