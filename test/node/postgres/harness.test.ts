/** The test PostgreSQL harness itself: a real server on 127.0.0.1, and nothing left after stop(). */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { loadSchema, processAlive, startPostgres, withClient } from "../../helpers/postgres";
import { SCHEMA_SQL } from "./common";

const server = await startPostgres();
const skipped = "skipped" in server ? server.skipped : undefined;
if (skipped !== undefined) console.log(`PostgreSQL harness tests skipped: ${skipped}`);

describe.skipIf(skipped !== undefined)("test PostgreSQL server", () => {
  it("runs a fresh cluster on 127.0.0.1 only, loads the duckgres schema, and stop() leaves no process and no folder", async () => {
    if ("skipped" in server) throw new Error(server.skipped);
    const pid = server.pid();
    expect(pid).toBeDefined();
    expect(processAlive(pid as number)).toBe(true);
    await loadSchema(server.url, SCHEMA_SQL);
    await withClient(server.url, async (c) => {
      const listen = await c.query<{ listen_addresses: string }>("SHOW listen_addresses");
      expect(listen.rows[0]?.listen_addresses).toBe("127.0.0.1");
      const cols = await c.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'cp_runtime' AND table_name = 'worker_records' ORDER BY ordinal_position",
      );
      expect(cols.rows.map((r) => r.column_name)).toEqual([
        "worker_id", "pod_name", "image", "profile_cpu", "profile_memory", "ttl_minutes", "state", "org_id", "owner_cp_instance_id",
        "owner_epoch", "activation_started_at", "last_heartbeat_at", "retire_reason", "s3_credentials_expires_at", "hot_idle_since",
        "created_at", "updated_at",
      ]);
    });
    await server.stop();
    expect(server.pid()).toBeUndefined();
    expect(processAlive(pid as number)).toBe(false);
    expect(fs.existsSync(server.dataDir)).toBe(false);
  });
});
