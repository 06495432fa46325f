/** Shared pieces of the PostgreSQL table-source tests: the duckgres table spec, watchers, databases. */
import { expect } from "vitest";
import { PostgresTableSource, type PostgresTableSourceOptions } from "../../../electron/node/sources/postgres/source";
import { findProfile } from "../../../shared/profiles";
import type { TableSource } from "../../../shared/profiles/profile";
import type { NewObservation } from "../../../shared/trace/observation";
import { isoUtc } from "../../../shared/trace/time";
import { fixture, loadSchema, withClient, type PostgresServer } from "../../helpers/postgres";
import { waitFor } from "../../helpers/tmp";

function duckgresTable(): TableSource {
  const source = findProfile("duckgres")?.sources.find((s) => s.kind === "table");
  if (source?.kind !== "table") throw new Error("the duckgres profile has no table source");
  return source;
}

export const DUCKGRES_TABLE: TableSource = duckgresTable();
export const SCHEMA_SQL = fixture("duckgres", "schema.sql");

/** A `postgres://` URL for another database or user on the same server. */
export function urlFor(server: PostgresServer, opts: { database?: string; user?: string; password?: string } = {}): string {
  const u = new URL(server.url);
  if (opts.database !== undefined) u.pathname = `/${opts.database}`;
  if (opts.user !== undefined) u.username = opts.user;
  if (opts.password !== undefined) u.password = opts.password;
  return u.toString();
}

let dbCount = 0;
/** A new empty database (optionally with the duckgres schema loaded); its URL. */
export async function freshDatabase(server: PostgresServer, opts: { schema?: boolean } = {}): Promise<string> {
  const name = `t${process.pid}_${++dbCount}`;
  await withClient(server.url, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = urlFor(server, { database: name });
  if (opts.schema !== false) await loadSchema(url, SCHEMA_SQL);
  return url;
}

export interface Watch {
  source: PostgresTableSource;
  /** Everything emitted so far. */
  seen: NewObservation[];
  /** What was emitted since the last call. */
  take(): NewObservation[];
  /** When each observation was emitted (Date.now), same index as `seen`. */
  at: number[];
}

/**
 * A source on the duckgres table that records what it emits. Polls every hour unless told:
 * tests drive the polls with `refresh()`, so "a poll between two writes" is exact.
 */
export function watchTable(url: string, opts: Partial<PostgresTableSourceOptions> = {}): Watch {
  const seen: NewObservation[] = [];
  const at: number[] = [];
  let mark = 0;
  const source = new PostgresTableSource({
    connectionString: url,
    spec: DUCKGRES_TABLE,
    profileInitial: "spawning",
    emit: (items) => {
      for (const o of items) {
        seen.push(o);
        at.push(Date.now());
      }
    },
    clock: Date.now,
    intervalMs: 3_600_000,
    ...opts,
  });
  return {
    source,
    seen,
    at,
    take() {
      const out = seen.slice(mark);
      mark = seen.length;
      return out;
    },
  };
}

/** The transitions among `obs`, as comparable tuples. */
export function transitions(obs: readonly NewObservation[]): { instance: string; from: string; to: string; ts: string | undefined }[] {
  return obs.flatMap((o) => (o.kind === "transition" ? [{ instance: o.instance, from: o.from, to: o.to, ts: o.ts }] : []));
}

export function warnings(obs: readonly NewObservation[]): Extract<NewObservation, { kind: "warning" }>[] {
  return obs.flatMap((o) => (o.kind === "warning" ? [o] : []));
}

/** The canonical UTC form of a timestamp the server printed. */
export function utc(ts: string): string {
  const v = isoUtc(ts);
  expect(v, `timestamp ${ts}`).toBeDefined();
  return v as string;
}

/** Waits until a warning whose message matches `re` is emitted (not cleared); returns it. */
export function waitForWarning(w: Watch, re: RegExp, timeoutMs = 10_000): Promise<Extract<NewObservation, { kind: "warning" }>> {
  return waitFor(() => warnings(w.seen).find((x) => !x.cleared && re.test(x.message)), `a warning matching ${re}`, timeoutMs);
}
