/**
 * duckgres' `cp_runtime.worker_records` as `psql \copy (SELECT ... ORDER BY worker_id) TO ... CSV
 * HEADER` writes it (../shared/reference/SYSTEMS.md §4, test/fixtures/duckgres/ORIGIN.md): the
 * table's columns in order, NULL as an empty unquoted field, an empty string as `""`, timestamps
 * in Postgres' text form (`2026-11-25 13:31:59.584356+00`). A row is born in the machine's initial
 * state at epoch 0; a move into `reserved` (a reservation or a hot-idle claim) bumps
 * `owner_epoch`. Transitions are the differences between successive dumps, so each hop is one
 * dump. Pure.
 */
import { FsmError } from "../errors";
import { payloadValue } from "./run";
import { fileSafeName } from "./names";
import { postgresUs } from "./virtual-time";

export const WORKER_COLUMNS = [
  "worker_id",
  "pod_name",
  "image",
  "profile_cpu",
  "profile_memory",
  "ttl_minutes",
  "state",
  "org_id",
  "owner_cp_instance_id",
  "owner_epoch",
  "activation_started_at",
  "last_heartbeat_at",
  "retire_reason",
  "s3_credentials_expires_at",
  "hot_idle_since",
  "created_at",
  "updated_at",
] as const;

type Column = (typeof WORKER_COLUMNS)[number];
/** A cell: a string (an empty one is `""`), or null (NULL: an empty unquoted field). */
type Cell = string | null;
type Row = Map<Column, Cell>;

/** Columns a step's payload may set (the others are the machine's: key, state, epoch, times). */
const FROM_PAYLOAD: ReadonlySet<string> = new Set<Column>(["pod_name", "image", "profile_cpu", "profile_memory", "ttl_minutes", "org_id", "owner_cp_instance_id", "retire_reason", "s3_credentials_expires_at"]);

/**
 * Refuses a worker id a dump cannot hold: an empty one (the row would have no key) or one with a
 * NUL character (Postgres text cannot hold it, and a file with one reads as binary).
 */
export function checkWorkerId(id: string): void {
  if (id === "" || id.includes("\0")) {
    throw new FsmError({
      code: "sandbox-unwritable",
      message: `the worker id ${JSON.stringify(id)} cannot be written in a dump of worker_records: ${id === "" ? "it is empty" : "it holds a NUL character, which Postgres text cannot"}.`,
      hint: "Rename the worker.",
    });
  }
}

/** The file name of the n-th dump (1-based), as the fixture's snapshots are named. */
export function dumpName(n: number): string {
  return `snapshot-${n}.csv`;
}

/** One CSV field as Postgres writes it. */
function csvField(cell: Cell): string {
  if (cell === null) return "";
  if (cell === "" || /[",\r\n]/.test(cell) || cell.trim() !== cell) return `"${cell.replace(/"/g, '""')}"`;
  return cell;
}

export class WorkerTable {
  private readonly rows = new Map<string, Row>();

  /** `start`: each worker's state when the sandbox started; `us` is that time. */
  constructor(
    start: Iterable<readonly [string, string]>,
    us: number,
    private readonly initial: string,
  ) {
    for (const [id, state] of start) this.row(id, us).set("state", state);
  }

  /** Applies one hop of worker `id` at `us`; scalar payload values name other columns (`retire_reason`, `org_id` ...). */
  hop(id: string, to: string, us: number, payload: Record<string, unknown>): void {
    const row = this.row(id, us);
    const ts = postgresUs(us);
    for (const column of WORKER_COLUMNS) {
      if (!FROM_PAYLOAD.has(column)) continue;
      const v = payloadValue(payload, column);
      if (v === null) row.set(column, null);
      else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") row.set(column, String(v));
    }
    if (to === "reserved") row.set("owner_epoch", String(Number(row.get("owner_epoch") ?? "0") + 1));
    if (to === "activating") row.set("activation_started_at", ts);
    if (to === "hot_idle") row.set("hot_idle_since", ts);
    if ((to === "retired" || to === "lost") && !Object.hasOwn(payload, "retire_reason")) row.set("retire_reason", to === "lost" ? "crash" : "shutdown");
    row.set("state", to);
    row.set("last_heartbeat_at", ts);
    row.set("updated_at", ts);
  }

  stateOf(id: string): string | undefined {
    return this.rows.get(id)?.get("state") ?? undefined;
  }

  /** The dump's text now: the header, then one line per worker in worker_id order. */
  csv(): string {
    const ids = [...this.rows.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const lines = [WORKER_COLUMNS.join(",")];
    for (const id of ids) {
      const row = this.rows.get(id) as Row;
      lines.push(WORKER_COLUMNS.map((c) => csvField(row.get(c) ?? null)).join(","));
    }
    return `${lines.join("\n")}\n`;
  }

  private row(id: string, us: number): Row {
    let row = this.rows.get(id);
    if (!row) {
      checkWorkerId(id);
      const ts = postgresUs(us);
      row = new Map<Column, Cell>([
        ["worker_id", id],
        ["pod_name", `duckgres-worker-${fileSafeName(id)}`],
        ["image", "duckgres-worker:sandbox"],
        ["profile_cpu", ""],
        ["profile_memory", ""],
        ["ttl_minutes", "0"],
        ["state", this.initial],
        ["org_id", null],
        ["owner_cp_instance_id", "sandbox-cp"],
        ["owner_epoch", "0"],
        ["activation_started_at", null],
        ["last_heartbeat_at", ts],
        ["retire_reason", ""],
        ["s3_credentials_expires_at", null],
        ["hot_idle_since", null],
        ["created_at", ts],
        ["updated_at", ts],
      ]);
      this.rows.set(id, row);
    }
    return row;
  }
}
