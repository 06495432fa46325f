/**
 * Follows a live PostgreSQL table of keyed records (duckgres `cp_runtime.worker_records`, one
 * machine per `worker_id`) by polling it: `SELECT * FROM <table> ORDER BY <key>` every interval,
 * never two polls at once. The first snapshot gives each row's current state; later ones are
 * diffed (SnapshotDiffer) into transitions, epoch-change events and disappeared rows. Several
 * writes between two polls show as one transition, which conformance judges.
 *
 * Read-only by construction: one session set to READ ONLY, plain SELECTs only (never FOR UPDATE),
 * no row locks, no writes. Every failure (cannot connect, authentication, missing database or
 * table, permission) is a specific warning with a key, cleared once resolved; the source retries
 * with backoff (1 s doubling to 30 s) and, once back, diffs against the last snapshot it had.
 */
import type pg from "pg";
import type { TableSource } from "../../../../shared/profiles/profile";
import type { SourceRef } from "../../../../shared/trace/observation";
import { KeyedWarnings, type Raised } from "../../../../shared/trace/keyed-warnings";
import { SnapshotDiffer, currentStates } from "../../../../shared/trace/snapshot-diff";
import { isoNow, type Clock, type Emit, type Source } from "../types";
import { createReadOnlyClient, describeTarget, endClient, isPostgresUrl, openReadOnly, targetDatabase, targetUser } from "./connection";
import { RETRYING, RETRY_MAX_MS, RETRY_MIN_MS, UnusableConnectionString, classifyError, clearedMessage, isProblemKind, type Problem } from "./errors";
import { recordsFromRows } from "./rows";
import { quoteIdent, resolveTable, type QualifiedTable } from "./tables";

export interface PostgresTableSourceOptions {
  /** A `postgres://user[:password]@host:port/database` URL (pg reads no key=value form); its password is never shown. */
  connectionString: string;
  spec: TableSource;
  /** The machine's initial state: a row first seen after the first poll is assumed to start there. */
  profileInitial: string;
  emit: Emit;
  clock: Clock;
  /** Time between the end of one poll and the start of the next (default 1000 ms). */
  intervalMs?: number;
  /** Schema to read the table from, instead of the profile's (or the one resolved from current_schema()). */
  schema?: string;
}

export class PostgresTableSource implements Source {
  private readonly spec: TableSource;
  private readonly emit: Emit;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly differ: SnapshotDiffer;
  private client: pg.Client | undefined;
  /** The client is still connecting (close() then cuts its socket). */
  private connecting = false;
  /** Set by the client's "error" event: the connection broke while idle. */
  private broken: Error | undefined;
  private qualified: QualifiedTable | undefined;
  private user = "";
  private hasSnapshot = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  /** The poll in progress (or the last one), so polls never overlap and close() can await it. */
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  /** The problems shown now, as warnings keyed `<keyBase>:<kind>`. */
  private readonly warnings = new KeyedWarnings();
  private readonly where: string;
  private readonly keyBase: string;

  constructor(private readonly opts: PostgresTableSourceOptions) {
    this.spec = opts.spec;
    this.emit = opts.emit;
    this.clock = opts.clock;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.differ = new SnapshotDiffer({ initial: opts.profileInitial, epochField: opts.spec.epoch });
    this.where = describeTarget(opts.connectionString);
    this.keyBase = `postgres:${this.where}:${opts.spec.table}`;
  }

  /** Connect and read the table once (or report why not), then keep polling. */
  async start(): Promise<void> {
    await this.refresh();
  }

  /** Poll now, after any poll in progress, and resolve when done (a "refresh" for the user). */
  refresh(): Promise<void> {
    if (this.closed) return this.chain;
    this.chain = this.chain
      .then(() => this.tick())
      .catch((err: unknown) => {
        // Only a throwing emit callback gets here; keep polling.
        console.error(`postgres source ${this.where} ${this.tableName}:`, err);
      });
    return this.chain;
  }

  /** Stop polling, end the connection (aborting a poll or connection attempt in progress). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const ended = this.dropClient();
    await this.chain;
    await ended;
    await this.dropClient();
  }

  private get tableName(): string {
    return this.qualified ? `${this.qualified.schema}.${this.qualified.table}` : this.spec.table;
  }

  private get sourceRef(): SourceRef {
    return { table: this.tableName };
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    let ok = false;
    try {
      ok = await this.pollOnce();
    } catch (err) {
      if (this.closed) return;
      const problem = this.classify(err);
      if (problem.reconnect) await this.dropClient();
      this.show([problem]);
    }
    if (this.closed) return;
    if (ok) {
      this.failures = 0;
      this.schedule(this.intervalMs);
    } else {
      this.failures++;
      this.schedule(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(this.failures - 1, 10)));
    }
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  private async ensureClient(): Promise<pg.Client> {
    if (this.client && this.broken === undefined) return this.client;
    if (!isPostgresUrl(this.opts.connectionString)) throw new UnusableConnectionString();
    if (this.client) await this.dropClient();
    const client = createReadOnlyClient(this.opts.connectionString, (err) => {
      if (this.client === client) this.broken = err;
    });
    this.client = client;
    this.broken = undefined;
    this.connecting = true;
    try {
      await openReadOnly(client);
      if (this.closed || this.client !== client) throw new Error("closed while connecting");
      const who = await client.query<{ schema: string | null; user: string }>("SELECT current_schema() AS schema, current_user AS user");
      const row = who.rows[0];
      this.user = row?.user ?? "";
      this.qualified = resolveTable(this.spec, row?.schema ?? null, this.opts.schema);
      return client;
    } catch (err) {
      // A session that did not get ready is never reused.
      if (this.client === client) await this.dropClient();
      throw err;
    } finally {
      this.connecting = false;
    }
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    this.client = undefined;
    this.broken = undefined;
    if (this.connecting) {
      // Cut the attempt in progress (end() would wait for the connect timeout): connect() then
      // fails at once, and openReadOnly ends the client.
      client.connection.stream.destroy();
      return;
    }
    await endClient(client);
  }

  /** One poll; true when the table was read (false: a problem was shown, back off). */
  private async pollOnce(): Promise<boolean> {
    const client = await this.ensureClient();
    const q = this.qualified;
    if (q === undefined) throw new Error("the table was not resolved");
    // A plain SELECT in a read-only autocommit transaction: no FOR UPDATE, no row lock.
    const result = await client.query<Record<string, unknown>>(
      `SELECT * FROM ${quoteIdent(q.schema)}.${quoteIdent(q.table)} ORDER BY ${quoteIdent(this.spec.key)}`,
    );
    if (this.closed) return true;
    const columns = result.fields.map((f) => f.name);
    const { records, problems } = recordsFromRows(result.rows, this.spec, { table: this.tableName, columns });
    const message = problems.map((p) => p.message).join(" ");
    if (records === undefined) {
      this.show([{ kind: "column", code: "source-error", message: `${message} (${this.where}); ${RETRYING}.`, reconnect: false }]);
      return false;
    }
    this.show(problems.length > 0 ? [{ kind: "rows", code: "bad-line", message, reconnect: false }] : []);
    const now = isoNow(this.clock);
    const diffed = this.differ.next(records, this.sourceRef, now);
    if (!this.hasSnapshot) {
      // The first poll: every row's current state, since its updated_at (not transitions from nothing).
      this.hasSnapshot = true;
      const first = currentStates(records, this.sourceRef, now);
      if (first.length > 0) this.emit(first);
    } else if (diffed.length > 0) {
      this.emit(diffed);
    }
    return true;
  }

  private classify(err: unknown): Problem {
    return classifyError(err, {
      where: this.where,
      table: this.tableName,
      qualified: this.qualified ?? resolveTable(this.spec, null, this.opts.schema),
      database: this.client?.database ?? targetDatabase(this.opts.connectionString),
      user: this.user || targetUser(this.opts.connectionString),
      spec: this.spec,
    });
  }

  /**
   * Make `problems` the warnings shown: the others are cleared (the problem they named is over),
   * new ones are emitted, and one already shown with the same message is not repeated.
   */
  private show(problems: Problem[]): void {
    const source = this.sourceRef;
    const wanted = new Map<string, Raised>(problems.map((p) => [`${this.keyBase}:${p.kind}`, { code: p.code, message: p.message, source }]));
    const out = this.warnings.showOnly(
      wanted,
      (key) => {
        const kind = key.slice(this.keyBase.length + 1);
        // Every key is one show() made from a problem kind.
        return isProblemKind(kind) ? clearedMessage(kind, this.where, this.tableName) : `${this.tableName}: resolved.`;
      },
      isoNow(this.clock),
    );
    if (out.length > 0) this.emit(out);
  }
}
