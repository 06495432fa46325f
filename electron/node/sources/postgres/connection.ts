/**
 * Reaching PostgreSQL: which connection strings are URLs, the server and user one names (for
 * messages — never the password), and the read-only session the table source reads through.
 */
import pg from "pg";

export const APPLICATION_NAME = "fsm-inspector (read-only)";
export const CONNECT_TIMEOUT_MS = 5000;
/** A poll of a worker table takes milliseconds; one this slow is reported and retried. */
export const STATEMENT_TIMEOUT_MS = 15_000;
/** Never queue behind a migration's exclusive lock for long. */
export const LOCK_TIMEOUT_MS = 5000;

const URL_RE = /^postgres(ql)?:\/\//i;

/** Whether a connection string is a `postgres://` (or `postgresql://`) URL, the only form pg reads. */
export function isPostgresUrl(connectionString: string): boolean {
  return URL_RE.test(connectionString.trim());
}

/** postgres://user:secret@host/db → postgres://user:***@host/db */
export function redactConnection(url: string): string {
  // The password after the user (even an empty user), and one given as a parameter.
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, "$1:***@").replace(/([?&]password=)[^&#]*/gi, "$1***");
}

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

/** Where a connection string points, for messages: `host:port` or the socket's path. */
export function describeTarget(connectionString: string): string {
  const t = isPostgresUrl(connectionString) ? parseTarget(connectionString) : undefined;
  if (t === undefined) return "(no usable connection string)";
  if (t.host.startsWith("/")) return `${t.host}/.s.PGSQL.${t.port}`;
  return `${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}`;
}

/** The database a connection string names (or pg's default). */
export function targetDatabase(connectionString: string): string {
  return parseTarget(connectionString)?.database ?? "postgres";
}

/** The user a connection string names (or pg's default). */
export function targetUser(connectionString: string): string {
  return parseTarget(connectionString)?.user ?? "postgres";
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

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
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
