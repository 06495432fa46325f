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
import pg from "pg";
import type { Json } from "../../../shared/machine/definition";
import type { TableSource } from "../../../shared/profiles/profile";
import type { NewObservation, SourceRef, WarningCode } from "../../../shared/trace/observation";
import { SnapshotDiffer, type SnapshotProblem, type SnapshotRecord, type SnapshotRecords } from "../../../shared/trace/snapshot-diff";
import { isoUtc } from "../../../shared/trace/time";
import { isoNow, type Clock, type Emit, type Source } from "./types";
import { dict, get, has } from "../../../shared/dict";

export const APPLICATION_NAME = "fsm-inspector (read-only)";
const CONNECT_TIMEOUT_MS = 5000;
/** A poll of a worker table takes milliseconds; one this slow is reported and retried. */
const STATEMENT_TIMEOUT_MS = 15_000;
/** Never queue behind a migration's exclusive lock for long. */
const LOCK_TIMEOUT_MS = 5000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

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
  /** Schema to read the table from, instead of the profile's (or the resolved `<schema>_runtime`). */
  schema?: string;
}

/** Every value as the server prints it (as in a `\copy ... CSV` dump): microseconds survive. */
const TEXT_TYPES: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/**
 * A client for a read-only session, not yet connected: values come back as text, as the server
 * prints them. No `options` startup parameter, which connection poolers (PgBouncer) refuse.
 * `onError` gets the errors of an idle connection that breaks (server stopped), which would
 * otherwise crash the process.
 */
export function createReadOnlyClient(connectionString: string, onError: (err: Error) => void): pg.Client {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: APPLICATION_NAME,
    types: TEXT_TYPES,
  });
  client.on("error", onError);
  return client;
}

/**
 * Connects and settles the session: READ ONLY (`SET SESSION CHARACTERISTICS`: every later
 * statement runs in a read-only transaction), our application name (whatever the URL said),
 * timestamps printed in UTC ISO, bounded statements and lock waits. Ends the client on failure.
 */
export async function openReadOnly(client: pg.Client): Promise<void> {
  try {
    await client.connect();
    await client.query(
      [
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
        `SET application_name = ${literal(APPLICATION_NAME)}`,
        "SET TimeZone = 'UTC'",
        "SET DateStyle = 'ISO, MDY'",
        `SET statement_timeout = ${STATEMENT_TIMEOUT_MS}`,
        `SET lock_timeout = ${LOCK_TIMEOUT_MS}`,
      ].join("; "),
    );
  } catch (err) {
    await endClient(client);
    throw err;
  }
}

/** End a client: a polite goodbye, but never more than a second of waiting for it. */
export async function endClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([client.end().catch(() => undefined), late]);
  clearTimeout(timer);
  client.connection.stream.destroy();
}

/** A connected read-only session, exactly as the source opens it (the caller ends it). */
export async function connectReadOnly(connectionString: string, onError: (err: Error) => void = () => undefined): Promise<pg.Client> {
  const client = createReadOnlyClient(connectionString, onError);
  await openReadOnly(client);
  return client;
}

/** A quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The schema and table to read. The duckgres profile names `cp_runtime.worker_records`; duckgres
 * itself uses `cp_runtime` when the connection's `current_schema()` is `public` (or none) and
 * `<current_schema>_runtime` otherwise, so that prefix is resolved the same way. An explicit schema
 * wins; any other qualified name is taken as it is; an unqualified one is in `current_schema()`.
 */
export function resolveTable(profileTable: string, currentSchema: string | null, explicitSchema?: string): { schema: string; table: string } {
  const dot = profileTable.indexOf(".");
  const schemaPart = dot >= 0 ? profileTable.slice(0, dot) : undefined;
  const table = dot >= 0 ? profileTable.slice(dot + 1) : profileTable;
  if (explicitSchema !== undefined && explicitSchema !== "") return { schema: explicitSchema, table };
  if (schemaPart === "cp_runtime") {
    const cs = currentSchema ?? "";
    return { schema: cs === "" || cs === "public" ? "cp_runtime" : `${cs}_runtime`, table };
  }
  if (schemaPart !== undefined) return { schema: schemaPart, table };
  return { schema: currentSchema ?? "public", table };
}

/** A value of a result row as JSON: text stays text, a Date becomes canonical UTC ISO. */
function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString("hex")}`;
  try {
    return JSON.parse(JSON.stringify(v)) as Json;
  } catch {
    return String(v);
  }
}

function keyText(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return undefined;
}

/**
 * The records of one poll (pg result rows), like `recordsFromCsvRows` for a dump: keyed by
 * `spec.key`, `ts` from `updatedAt` (a Date or the server's text, canonical UTC), fields = the
 * `show` columns plus the epoch and owner. `records` is undefined when the key or state column is
 * missing (`columns` = the result's column names).
 */
export function recordsFromRows(
  rows: readonly Record<string, unknown>[],
  spec: TableSource,
  opts: { table?: string; columns?: readonly string[] } = {},
): { records: SnapshotRecords | undefined; problems: SnapshotProblem[] } {
  const table = opts.table ?? spec.table;
  const problems: SnapshotProblem[] = [];
  const columns = opts.columns ?? (rows[0] ? Object.keys(rows[0]) : undefined);
  if (columns !== undefined) {
    const missing = [spec.key, spec.state].filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      return { records: undefined, problems: [{ message: `${table} has no column ${missing.map((c) => JSON.stringify(c)).join(" or ")} (its columns: ${columns.join(", ")}): is the profile's table right?` }] };
    }
  }
  const shown = [...(spec.show ?? [])];
  for (const c of [spec.epoch, spec.owner]) if (c !== undefined && !shown.includes(c)) shown.push(c);
  const records: SnapshotRecords = new Map();
  for (const row of rows) {
    const key = keyText(get(row, spec.key));
    if (key === undefined) {
      problems.push({ message: `${table}: a row has no ${spec.key} (${JSON.stringify(toJson(get(row, spec.key)))}); it is skipped.` });
      continue;
    }
    if (records.has(key)) {
      problems.push({ message: `${table}: ${spec.key} ${key} appears twice; the first row is used.` });
      continue;
    }
    const rawState = get(row, spec.state);
    if (typeof rawState !== "string" || rawState === "") {
      problems.push({ message: `${table}: row ${key} has no ${spec.state} (${JSON.stringify(toJson(rawState))}); it is skipped.` });
      continue;
    }
    const rec: SnapshotRecord = { state: rawState, fields: dict() };
    for (const c of shown) if (has(row, c)) rec.fields[c] = toJson(get(row, c));
    if (spec.updatedAt !== undefined) {
      const raw = get(row, spec.updatedAt);
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) rec.ts = raw.toISOString();
      else if (typeof raw === "string" && raw !== "") {
        const ts = isoUtc(raw);
        if (ts !== undefined) rec.ts = ts;
        else problems.push({ message: `${table}: row ${key} has ${spec.updatedAt} ${JSON.stringify(raw)}, not a timestamp; it is ignored.` });
      }
    }
    records.set(key, rec);
  }
  return { records, problems };
}

type ProblemKind = "config" | "connect" | "auth" | "database" | "table" | "column" | "permission" | "query" | "rows";

interface Problem {
  kind: ProblemKind;
  code: WarningCode;
  message: string;
  /** The connection is unusable: drop it and connect again. */
  reconnect: boolean;
}

interface ErrorLike {
  message: string;
  /** A Node error code (ECONNREFUSED ...) or, from the server, a SQLSTATE. */
  code?: string;
  /** The server answered with this error (a pg DatabaseError, which has a severity). */
  fromServer: boolean;
}

function errorLike(err: unknown): ErrorLike {
  if (err instanceof AggregateError && err.errors.length > 0) {
    const first = errorLike(err.errors[0]);
    const own = (err as { code?: unknown }).code;
    return { message: first.message || err.message, code: typeof own === "string" ? own : first.code, fromServer: false };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { message: err.message, code: typeof code === "string" ? code : undefined, fromServer: "severity" in err };
  }
  return { message: String(err), fromServer: false };
}

const CLEARED: Record<ProblemKind, (where: string, table: string) => string> = {
  config: () => "the connection string can be used now.",
  connect: (where) => `connected to PostgreSQL at ${where} again; changes made meanwhile show as one transition per row.`,
  auth: (where) => `authenticated to PostgreSQL at ${where}.`,
  database: (where) => `the database at ${where} is there now.`,
  table: (_w, table) => `${table} is there now.`,
  column: (_w, table) => `${table} has its key and state columns now.`,
  permission: (_w, table) => `${table} can be read now.`,
  query: (_w, table) => `${table} is read again.`,
  rows: (_w, table) => `every row of ${table} is usable now.`,
};

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
  private qualified: { schema: string; table: string } | undefined;
  private user = "";
  private hasSnapshot = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  /** The poll in progress (or the last one), so polls never overlap and close() can await it. */
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  /** Warnings shown now, by key. */
  private readonly active = new Map<string, Problem>();
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
    if (!URL_RE.test(this.opts.connectionString.trim())) throw new UnusableConnectionString();
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
      this.qualified = resolveTable(this.spec.table, row?.schema ?? null, this.opts.schema);
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
      this.show([{ kind: "column", code: "source-error", message: `${message} (${this.where}); retrying (every 1 s, backing off to 30 s).`, reconnect: false }]);
      return false;
    }
    this.show(problems.length > 0 ? [{ kind: "rows", code: "bad-line", message, reconnect: false }] : []);
    const now = isoNow(this.clock);
    const diffed = this.differ.next(records, this.sourceRef, now);
    if (!this.hasSnapshot) {
      this.hasSnapshot = true;
      const first = this.firstSnapshot(records, now);
      if (first.length > 0) this.emit(first);
    } else if (diffed.length > 0) {
      this.emit(diffed);
    }
    return true;
  }

  /** The first poll: every row's current state, since its updated_at (not transitions from nothing). */
  private firstSnapshot(records: SnapshotRecords, now: string): NewObservation[] {
    const out: NewObservation[] = [];
    for (const [key, rec] of records) {
      const obs: NewObservation =
        rec.ts !== undefined
          ? { kind: "state", instance: key, state: rec.state, since: rec.ts, ts: rec.ts, tsFrom: "artifact", source: this.sourceRef, fields: rec.fields }
          : { kind: "state", instance: key, state: rec.state, ts: now, tsFrom: "observed", source: this.sourceRef, fields: rec.fields };
      out.push(obs);
    }
    return out;
  }

  private classify(err: unknown): Problem {
    if (err instanceof UnusableConnectionString) {
      return {
        kind: "config",
        code: "source-error",
        message: `the PostgreSQL connection string is not a URL: write it as postgres://user@host:port/database (password, if any, after the user: user:password@).`,
        reconnect: true,
      };
    }
    const e = errorLike(err);
    const code = e.code ?? "";
    const where = this.where;
    const table = this.tableName;
    const db = this.client?.database ?? targetDatabase(this.opts.connectionString);
    const user = this.user || targetUser(this.opts.connectionString);
    const retry = "retrying (every 1 s, backing off to 30 s)";
    const connect = (why: string, check: string): Problem => ({
      kind: "connect",
      code: "source-error",
      message: `cannot connect to PostgreSQL at ${where} (${why}): ${check}; ${retry}.`,
      reconnect: true,
    });
    switch (code) {
      case "ECONNREFUSED":
        return connect("connection refused", "is the server running and listening on that host and port? Check the host and port in the connection string");
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return connect("host not found", "check the host name in the connection string");
      case "ETIMEDOUT":
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return connect("no route or no answer", "check the host, the port and any firewall in between");
      case "ECONNRESET":
      case "EPIPE":
        return connect("the connection was reset", "is the server restarting? Check its log");
      case "ENOENT":
        return connect("no such socket", "is the server running? Check the socket folder (host) and the port");
      case "EACCES":
        return connect("permission denied on the socket", "check the socket folder's permissions");
      case "28P01":
      case "28000":
        return {
          kind: "auth",
          code: "source-error",
          message: `PostgreSQL at ${where} refused user "${user}" (${e.message}): check the user and password in the connection string, and pg_hba.conf on the server; ${retry}.`,
          reconnect: true,
        };
      case "3D000":
        return {
          kind: "database",
          code: "source-error",
          message: `database "${db}" does not exist on PostgreSQL at ${where} (${e.message}): check the database name in the connection string — it is the duckgres control plane's config-store database; ${retry}.`,
          reconnect: true,
        };
      case "42P01":
      case "3F000":
        return {
          kind: "table",
          code: "source-error",
          message: `table ${table} is not there (database "${db}" at ${where}: ${e.message}): is this the duckgres control-plane database? the control plane creates it on start (GORM auto-migration); ${retry}.`,
          reconnect: false,
        };
      case "42703":
        return {
          kind: "column",
          code: "source-error",
          message: `${table} at ${where} has no column "${this.spec.key}" to order by (${e.message}): is the profile's table right?; ${retry}.`,
          reconnect: false,
        };
      case "42501": {
        const schema = quoteIdent(this.qualified?.schema ?? "cp_runtime");
        return {
          kind: "permission",
          code: "unreadable",
          message: `permission denied reading ${table} as user "${user}" at ${where} (${e.message}): grant it read access (GRANT USAGE ON SCHEMA ${schema} TO ${quoteIdent(user)}; GRANT SELECT ON ${schema}.${quoteIdent(this.qualified?.table ?? "worker_records")} TO ${quoteIdent(user)}); ${retry}.`,
          reconnect: false,
        };
      }
      case "57014":
        return {
          kind: "query",
          code: "source-error",
          message: `reading ${table} at ${where} took longer than ${STATEMENT_TIMEOUT_MS / 1000} s and was cancelled: is the server overloaded?; ${retry}.`,
          reconnect: false,
        };
      case "55P03":
        return {
          kind: "query",
          code: "source-error",
          message: `reading ${table} at ${where} waited over ${LOCK_TIMEOUT_MS / 1000} s for a lock on the table (a migration holding it?); ${retry}.`,
          reconnect: false,
        };
      case "57P01":
      case "57P02":
      case "57P03":
        return connect(`the server is shutting down or starting up: ${e.message}`, "wait for it to be back, or check its log");
    }
    if (code.startsWith("08")) return connect(e.message, "check the host and port in the connection string and the server's log");
    if (/timeout/i.test(e.message)) return connect(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`, "check the host, the port and any firewall in between");
    if (/password|SASL|SCRAM/i.test(e.message)) {
      return {
        kind: "auth",
        code: "source-error",
        message: `PostgreSQL at ${where} asks for a password for user "${user}" (${e.message}): put it in the connection string; ${retry}.`,
        reconnect: true,
      };
    }
    if (e.fromServer) {
      return { kind: "query", code: "source-error", message: `reading ${table} at ${where} failed: ${e.message} (SQLSTATE ${code}); ${retry}.`, reconnect: false };
    }
    // Anything else (connection terminated, client not queryable ...) means the connection is gone.
    return connect(e.message || "the connection broke", "is the server running? Check the host and port in the connection string");
  }

  /**
   * Make `problems` the warnings shown: the others are cleared (the problem they named is over),
   * new ones are emitted, and one already shown with the same message is not repeated.
   */
  private show(problems: Problem[]): void {
    const ts = isoNow(this.clock);
    const out: NewObservation[] = [];
    const wanted = new Map(problems.map((p) => [`${this.keyBase}:${p.kind}`, p]));
    for (const [key, was] of this.active) {
      if (wanted.has(key)) continue;
      this.active.delete(key);
      out.push({ kind: "warning", code: was.code, key, cleared: true, message: CLEARED[was.kind](this.where, this.tableName), ts, tsFrom: "observed", source: this.sourceRef });
    }
    for (const [key, p] of wanted) {
      if (this.active.get(key)?.message === p.message) continue;
      this.active.set(key, p);
      out.push({ kind: "warning", code: p.code, key, message: p.message, ts, tsFrom: "observed", source: this.sourceRef });
    }
    if (out.length > 0) this.emit(out);
  }
}

const URL_RE = /^postgres(ql)?:\/\//i;

class UnusableConnectionString extends Error {}

/** Host, port, database and user of a connection string as pg reads it (env defaults included), never the password. */
function parseTarget(connectionString: string): { host: string; port: number; database: string; user: string } | undefined {
  try {
    // Constructing a client parses; it does not connect.
    const c = new pg.Client({ connectionString });
    const user = c.user ?? process.env.PGUSER ?? process.env.USER ?? "postgres";
    return { host: c.host, port: c.port, database: c.database ?? user, user };
  } catch {
    return undefined;
  }
}

function describeTarget(connectionString: string): string {
  const t = URL_RE.test(connectionString.trim()) ? parseTarget(connectionString) : undefined;
  if (t === undefined) return "(no usable connection string)";
  if (t.host.startsWith("/")) return `${t.host}/.s.PGSQL.${t.port}`;
  return `${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}`;
}

function targetDatabase(connectionString: string): string {
  return parseTarget(connectionString)?.database ?? "postgres";
}

function targetUser(connectionString: string): string {
  return parseTarget(connectionString)?.user ?? "postgres";
}
