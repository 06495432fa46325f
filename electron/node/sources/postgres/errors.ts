/**
 * Why reading the table failed, as one specific problem a user can act on: what went wrong, where
 * (server, database, user, table — never the password), what to check, and that the source
 * retries. Product advice (which database it should be, who creates the table) comes from the
 * profile's table source.
 */
import type { TableSource } from "../../../../shared/profiles/profile";
import type { WarningCode } from "../../../../shared/trace/observation";
import { CONNECT_TIMEOUT_MS, LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS } from "./connection";
import { quoteIdent, type QualifiedTable } from "./tables";

/** After a failed poll the source tries again after 1 s, doubling up to 30 s; every problem says so. */
export const RETRY_MIN_MS = 1000;
export const RETRY_MAX_MS = 30_000;
export const RETRYING = `retrying (every ${RETRY_MIN_MS / 1000} s, backing off to ${RETRY_MAX_MS / 1000} s)`;

export type ProblemKind = "config" | "connect" | "auth" | "database" | "table" | "column" | "permission" | "query" | "rows";

export interface Problem {
  kind: ProblemKind;
  code: WarningCode;
  message: string;
  /** The connection is unusable: drop it and connect again. */
  reconnect: boolean;
}

/** The connection string is not a `postgres://` URL: nothing to connect to. */
export class UnusableConnectionString extends Error {}

/** What a problem names besides the error itself. */
export interface ProblemContext {
  /** The server, as `describeTarget` gives it. */
  where: string;
  /** The table as shown: resolved (schema.table), else as the profile names it. */
  table: string;
  /** The schema and table to grant read access on. */
  qualified: QualifiedTable;
  database: string;
  user: string;
  /** The profile's table source: its key column and its advice. */
  spec: Pick<TableSource, "key" | "databaseHint" | "missingTableHint">;
}

interface ErrorLike {
  message: string;
  /** A Node error code (ECONNREFUSED ...) or, from the server, a SQLSTATE. */
  code?: string | undefined;
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

export function isProblemKind(s: string): s is ProblemKind {
  return Object.hasOwn(CLEARED, s);
}

/** What the clearing of a problem of this kind says: it is over. */
export function clearedMessage(kind: ProblemKind, where: string, table: string): string {
  return CLEARED[kind](where, table);
}

/** The problem an error of a poll (or of connecting for it) is. */
export function classifyError(err: unknown, ctx: ProblemContext): Problem {
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
  const { where, table, database: db, user, spec } = ctx;
  const connect = (why: string, check: string): Problem => ({
    kind: "connect",
    code: "source-error",
    message: `cannot connect to PostgreSQL at ${where} (${why}): ${check}; ${RETRYING}.`,
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
        message: `PostgreSQL at ${where} refused user "${user}" (${e.message}): check the user and password in the connection string, and pg_hba.conf on the server; ${RETRYING}.`,
        reconnect: true,
      };
    case "3D000":
      return {
        kind: "database",
        code: "source-error",
        message: `database "${db}" does not exist on PostgreSQL at ${where} (${e.message}): check the database name in the connection string${spec.databaseHint !== undefined ? ` — ${spec.databaseHint}` : ""}; ${RETRYING}.`,
        reconnect: true,
      };
    case "42P01":
    case "3F000":
      return {
        kind: "table",
        code: "source-error",
        message: `table ${table} is not there (database "${db}" at ${where}: ${e.message}): ${spec.missingTableHint ?? "check the database name in the connection string and the profile's table"}; ${RETRYING}.`,
        reconnect: false,
      };
    case "42703":
      return {
        kind: "column",
        code: "source-error",
        message: `${table} at ${where} has no column "${spec.key}" to order by (${e.message}): is the profile's table right?; ${RETRYING}.`,
        reconnect: false,
      };
    case "42501": {
      const schema = quoteIdent(ctx.qualified.schema);
      return {
        kind: "permission",
        code: "unreadable",
        message: `permission denied reading ${table} as user "${user}" at ${where} (${e.message}): grant it read access (GRANT USAGE ON SCHEMA ${schema} TO ${quoteIdent(user)}; GRANT SELECT ON ${schema}.${quoteIdent(ctx.qualified.table)} TO ${quoteIdent(user)}); ${RETRYING}.`,
        reconnect: false,
      };
    }
    case "57014":
      return {
        kind: "query",
        code: "source-error",
        message: `reading ${table} at ${where} took longer than ${STATEMENT_TIMEOUT_MS / 1000} s and was cancelled: is the server overloaded?; ${RETRYING}.`,
        reconnect: false,
      };
    case "55P03":
      return {
        kind: "query",
        code: "source-error",
        message: `reading ${table} at ${where} waited over ${LOCK_TIMEOUT_MS / 1000} s for a lock on the table (a migration holding it?); ${RETRYING}.`,
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
      message: `PostgreSQL at ${where} asks for a password for user "${user}" (${e.message}): put it in the connection string; ${RETRYING}.`,
      reconnect: true,
    };
  }
  if (e.fromServer) {
    return { kind: "query", code: "source-error", message: `reading ${table} at ${where} failed: ${e.message} (SQLSTATE ${code}); ${RETRYING}.`, reconnect: false };
  }
  // Anything else (connection terminated, client not queryable ...) means the connection is gone.
  return connect(e.message || "the connection broke", "is the server running? Check the host and port in the connection string");
}
