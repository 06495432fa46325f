/**
 * A stand-in for duckgres' control plane in the tests: it moves workers in
 * `cp_runtime.worker_records` with the same fenced statements as the real one
 * (PostHog/duckgres controlplane/configstore/store.go, as reproduced by
 * /work/shared/fixtures/duckgres/drive.py), parameters bound as GORM binds them. Every method says
 * whether its statement matched a row: a fence miss matches 0 rows, changes nothing, and is a
 * normal outcome ("someone else won"), not an error.
 */
import pg from "pg";

/** The columns a write returns, as the server prints them (text, timestamps in UTC). */
export interface WorkerRow {
  worker_id: string;
  state: string;
  owner_epoch: string;
  owner_cp_instance_id: string | null;
  org_id: string | null;
  /** e.g. `2026-11-25 13:31:59.149722+00` */
  updated_at: string;
}

export type Outcome = { matched: true; row: WorkerRow } | { matched: false };

export const IMAGE = "duckgres-worker:v0.58.2";
const RETURNING = "RETURNING worker_id, state, owner_epoch, owner_cp_instance_id, org_id, updated_at";
/** Forward moves never touch rows in these states (UpsertWorkerRecord's fence). */
const PROTECTED = ["draining", "retired", "lost"];
/** MarkWorkerDraining and MarkWorkerLostIfCurrentLease: the states a worker may leave that way. */
const LEASE_ELIGIBLE = ["spawning", "idle", "reserved", "activating", "hot", "hot_idle"];

/** advisoryLockKey (store.go): FNV-1a 64 of the text, masked to a positive int64. */
export function advisoryLockKey(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(text, "utf8")) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (h & 0x7fffffffffffffffn).toString();
}

export interface WorkerProfile {
  image?: string;
  cpu?: string;
  memory?: string;
  ttlMinutes?: number;
}

export class ControlPlaneWriter {
  private readonly t: string;
  private readonly seq: string;

  private constructor(
    private readonly client: pg.Client,
    readonly schema: string,
  ) {
    const s = `"${schema.replaceAll('"', '""')}"`;
    this.t = `${s}.worker_records`;
    this.seq = `${s}.worker_records_id_seq`;
  }

  static async connect(url: string, schema = "cp_runtime"): Promise<ControlPlaneWriter> {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 5000,
      application_name: "duckgres-controlplane (test writer)",
      types: { getTypeParser: () => (v: string) => v },
    });
    client.on("error", () => undefined);
    await client.connect();
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'");
    return new ControlPlaneWriter(client, schema);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private async one(sql: string, params: unknown[]): Promise<Outcome> {
    const r = await this.client.query<WorkerRow>(sql, params);
    const row = r.rows[0];
    return row ? { matched: true, row } : { matched: false };
  }

  private async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query("BEGIN");
    try {
      const v = await fn();
      await this.client.query("COMMIT");
      return v;
    } catch (err) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  }

  /**
   * CreateSpawningWorkerSlot: under the org's advisory lock, a new id from worker_records_id_seq and
   * a row in `spawning` at epoch 0, owned by `owner`.
   */
  async createSpawningWorkerSlot(a: { owner: string; org: string } & WorkerProfile): Promise<WorkerRow> {
    const out = await this.inTransaction(async () => {
      await this.client.query("SELECT pg_advisory_xact_lock($1::bigint)", [advisoryLockKey(`duckgres:org:${a.org}`)]);
      return this.one(
        `INSERT INTO ${this.t} (worker_id, pod_name, image, profile_cpu, profile_memory, ttl_minutes, state, org_id,
           owner_cp_instance_id, owner_epoch, activation_started_at, last_heartbeat_at, retire_reason,
           s3_credentials_expires_at, hot_idle_since, created_at, updated_at)
         SELECT id, 'duckgres-worker-' || id, $1, $2, $3, $4, 'spawning', $5, $6, 0, NULL, now(), '', NULL, NULL, now(), now()
         FROM (SELECT nextval('${this.seq}'::regclass) AS id) s
         ${RETURNING}`,
        [a.image ?? IMAGE, a.cpu ?? "", a.memory ?? "", a.ttlMinutes ?? 0, a.org, a.owner],
      );
    });
    if (!out.matched) throw new Error("CreateSpawningWorkerSlot inserted nothing");
    return out.row;
  }

  /**
   * UpsertWorkerRecord (the pool's forward moves: reserved, activating, hot, hot_idle, idle): an
   * INSERT ... ON CONFLICT DO UPDATE fenced by the row not being draining/retired/lost and by a
   * newer epoch, or the same epoch and owner. `idle` rows lose their org.
   */
  async upsertWorkerRecord(
    a: { workerId: string; state: string; epoch: number; owner: string; org: string; activation?: boolean; retireReason?: string } & WorkerProfile,
  ): Promise<Outcome> {
    const org = a.state === "idle" ? "" : a.org;
    return this.one(
      `INSERT INTO ${this.t} AS worker_records (worker_id, pod_name, image, profile_cpu, profile_memory, ttl_minutes, state, org_id,
         owner_cp_instance_id, owner_epoch, activation_started_at, last_heartbeat_at, retire_reason,
         s3_credentials_expires_at, hot_idle_since, created_at, updated_at)
       VALUES ($1::bigint, 'duckgres-worker-' || $1::bigint, $2::text, $3::text, $4::text, $5::bigint, $6::text, $7::text,
         $8::text, $9::bigint, CASE WHEN $10::boolean THEN now() END, now(), $11::text,
         (SELECT s3_credentials_expires_at FROM ${this.t} WHERE worker_id = $1::bigint),
         CASE WHEN $6::text = 'hot_idle' THEN now() END, now(), now())
       ON CONFLICT (worker_id) DO UPDATE SET pod_name = excluded.pod_name, image = excluded.image,
         state = excluded.state, org_id = excluded.org_id, owner_cp_instance_id = excluded.owner_cp_instance_id,
         owner_epoch = excluded.owner_epoch, activation_started_at = excluded.activation_started_at,
         last_heartbeat_at = excluded.last_heartbeat_at, retire_reason = excluded.retire_reason,
         s3_credentials_expires_at = excluded.s3_credentials_expires_at, updated_at = excluded.updated_at,
         profile_cpu = excluded.profile_cpu, profile_memory = excluded.profile_memory, ttl_minutes = excluded.ttl_minutes,
         hot_idle_since = CASE WHEN excluded.state = 'hot_idle' AND worker_records.state <> 'hot_idle'
           THEN excluded.hot_idle_since ELSE worker_records.hot_idle_since END
       WHERE worker_records.state <> ALL($12::text[])
         AND (excluded.owner_epoch > worker_records.owner_epoch
           OR (excluded.owner_epoch = worker_records.owner_epoch
             AND excluded.owner_cp_instance_id = worker_records.owner_cp_instance_id))
       ${RETURNING}`,
      [a.workerId, a.image ?? IMAGE, a.cpu ?? "", a.memory ?? "", a.ttlMinutes ?? 0, a.state, org, a.owner, a.epoch, a.activation ?? false, a.retireReason ?? "", PROTECTED],
    );
  }

  /**
   * ClaimHotIdleWorker: under the org's advisory lock, the lowest matching hot_idle row
   * (`FOR UPDATE SKIP LOCKED`) becomes reserved for `owner`, owner_epoch + 1. No match = nothing idle.
   */
  async claimHotIdleWorker(a: { owner: string; org: string } & WorkerProfile): Promise<Outcome> {
    return this.inTransaction(async () => {
      await this.client.query("SELECT pg_advisory_xact_lock($1::bigint)", [advisoryLockKey(`duckgres:org:${a.org}`)]);
      return this.one(
        `UPDATE ${this.t} SET owner_cp_instance_id = $1, owner_epoch = owner_epoch + 1, state = 'reserved', updated_at = now()
         WHERE worker_id = (SELECT worker_id FROM ${this.t} WHERE state = 'hot_idle' AND org_id = $2 AND image = $3
           AND COALESCE(profile_cpu, '') = $4 AND COALESCE(profile_memory, '') = $5
           ORDER BY worker_id ASC LIMIT 1 FOR UPDATE SKIP LOCKED)
         ${RETURNING}`,
        [a.owner, a.org, a.image ?? IMAGE, a.cpu ?? "", a.memory ?? ""],
      );
    });
  }

  /** The lease-fenced CAS shared by MarkWorkerDraining, RetireDrainingWorker and MarkWorkerLostIfCurrentLease. */
  private leaseUpdate(a: { workerId: string; owner: string; epoch: number }, target: string, states: string[], reason?: string): Promise<Outcome> {
    const sets = reason === undefined ? "state = $4, updated_at = now()" : "retire_reason = $6, state = $4, updated_at = now()";
    const params: unknown[] = [a.workerId, a.owner, a.epoch, target, states];
    if (reason !== undefined) params.push(reason);
    return this.one(
      `UPDATE ${this.t} SET ${sets}
       WHERE worker_id = $1::bigint AND owner_cp_instance_id = $2 AND owner_epoch = $3::bigint AND state = ANY($5::text[])
       ${RETURNING}`,
      params,
    );
  }

  /** MarkWorkerDraining (WorkerLifecycle.Drain): from an active state, under the current lease. */
  markWorkerDraining(a: { workerId: string; owner: string; epoch: number }): Promise<Outcome> {
    return this.leaseUpdate(a, "draining", LEASE_ELIGIBLE);
  }

  /** RetireDrainingWorker (WorkerLifecycle.RetireDrained): draining only ever retires. */
  retireDrainingWorker(a: { workerId: string; owner: string; epoch: number; reason?: string }): Promise<Outcome> {
    return this.leaseUpdate(a, "retired", ["draining"], a.reason ?? "shutdown");
  }

  /** MarkWorkerLostIfCurrentLease (WorkerLifecycle.MarkLostFromLease): never from draining. */
  markWorkerLostIfCurrentLease(a: { workerId: string; owner: string; epoch: number; reason?: string }): Promise<Outcome> {
    return this.leaseUpdate(a, "lost", LEASE_ELIGIBLE, a.reason ?? "crash");
  }

  /** BumpWorkerEpoch (WorkerLifecycle.RefreshLease): owner_epoch + 1, no state change. */
  bumpWorkerEpoch(a: { workerId: string; owner: string; epoch: number }): Promise<Outcome> {
    return this.inTransaction(() =>
      this.one(
        `UPDATE ${this.t} SET owner_epoch = owner_epoch + 1, updated_at = now()
         WHERE worker_id = $1::bigint AND owner_cp_instance_id = $2 AND owner_epoch = $3::bigint
         ${RETURNING}`,
        [a.workerId, a.owner, a.epoch],
      ),
    );
  }

  /** The row as it is now (a GetWorkerRecord snapshot). */
  async row(workerId: string): Promise<WorkerRow | undefined> {
    const r = await this.client.query<WorkerRow>(
      `SELECT worker_id, state, owner_epoch, owner_cp_instance_id, org_id, updated_at FROM ${this.t} WHERE worker_id = $1::bigint`,
      [workerId],
    );
    return r.rows[0];
  }
}
