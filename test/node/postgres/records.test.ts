/** The pure parts of the table source: rows → records, the runtime schema, identifiers. No server needed. */
import { describe, expect, it } from "vitest";
import { recordsFromRows } from "../../../electron/node/sources/postgres/rows";
import { quoteIdent, resolveTable } from "../../../electron/node/sources/postgres/tables";
import { redactConnection } from "../../../electron/node/sources/postgres/connection";
import { recordsFromCsvRows } from "../../../shared/trace/snapshot-diff";
import { DUCKGRES_TABLE } from "./common";

const textRow = {
  worker_id: "7",
  pod_name: "duckgres-worker-7",
  image: "duckgres-worker:v0.58.2",
  state: "hot_idle",
  org_id: "acme",
  owner_cp_instance_id: "cp-1",
  owner_epoch: "3",
  retire_reason: "",
  last_heartbeat_at: "2026-11-25 13:31:59.536863+00",
  hot_idle_since: null,
  updated_at: "2026-11-25 13:31:59.584356+00",
};

describe("recordsFromRows", () => {
  it("maps text rows (as the source reads them) exactly as recordsFromCsvRows maps the same dump line", () => {
    const { records, problems } = recordsFromRows([textRow], DUCKGRES_TABLE);
    expect(problems).toEqual([]);
    expect(records?.get("7")).toEqual({
      state: "hot_idle",
      ts: "2026-11-25T13:31:59.584356Z",
      fields: {
        owner_epoch: "3",
        owner_cp_instance_id: "cp-1",
        pod_name: "duckgres-worker-7",
        org_id: "acme",
        retire_reason: "",
        last_heartbeat_at: "2026-11-25 13:31:59.536863+00",
      },
    });
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(textRow)) values[k] = v ?? "";
    const csv = recordsFromCsvRows([{ line: 2, values, nulls: ["hot_idle_since"] }], DUCKGRES_TABLE);
    expect(csv.records?.get("7")).toEqual(records?.get("7"));
  });

  it("accepts pg's default types too: Date for timestamptz, numbers, bigint, null", () => {
    const row = { ...textRow, worker_id: 7, owner_epoch: 3n, updated_at: new Date("2026-11-25T13:31:59.584Z"), last_heartbeat_at: new Date("2026-11-25T13:31:59.536Z"), org_id: null };
    const { records, problems } = recordsFromRows([row], DUCKGRES_TABLE);
    expect(problems).toEqual([]);
    expect(records?.get("7")).toMatchObject({
      state: "hot_idle",
      ts: "2026-11-25T13:31:59.584Z",
      fields: { owner_epoch: "3", org_id: null, last_heartbeat_at: "2026-11-25T13:31:59.536Z" },
    });
  });

  it("reports a missing key or state column, rows without key or state, and bad timestamps", () => {
    expect(recordsFromRows([], DUCKGRES_TABLE, { columns: ["id", "state"], table: "cp_runtime.worker_records" })).toEqual({
      records: undefined,
      problems: [{ message: 'cp_runtime.worker_records has no column "worker_id" (its columns: id, state): is the profile\'s table right?' }],
    });
    const { records, problems } = recordsFromRows(
      [
        { ...textRow, worker_id: null },
        { ...textRow, worker_id: "8", state: null },
        { ...textRow, worker_id: "9", updated_at: "yesterday" },
        { ...textRow, worker_id: "9" },
      ],
      DUCKGRES_TABLE,
    );
    expect([...(records?.keys() ?? [])]).toEqual(["9"]);
    expect(records?.get("9")?.ts).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual([
      "cp_runtime.worker_records: a row has no worker_id (null); it is skipped.",
      "cp_runtime.worker_records: row 8 has no state (null); it is skipped.",
      'cp_runtime.worker_records: row 9 has updated_at "yesterday", not a timestamp; it is ignored.',
      "cp_runtime.worker_records: worker_id 9 appears twice; the first row is used.",
    ]);
  });
});

describe("resolveTable", () => {
  it("cp_runtime when current_schema() is public or none, <schema>_runtime otherwise, an explicit schema first", () => {
    expect(resolveTable(DUCKGRES_TABLE, "public")).toEqual({ schema: "cp_runtime", table: "worker_records" });
    expect(resolveTable(DUCKGRES_TABLE, null)).toEqual({ schema: "cp_runtime", table: "worker_records" });
    expect(resolveTable(DUCKGRES_TABLE, "duckgres")).toEqual({ schema: "duckgres_runtime", table: "worker_records" });
    expect(resolveTable(DUCKGRES_TABLE, "duckgres", "mine")).toEqual({ schema: "mine", table: "worker_records" });
    expect(resolveTable({ table: "audit.worker_records" }, "duckgres")).toEqual({ schema: "audit", table: "worker_records" });
    expect(resolveTable({ table: "worker_records" }, "duckgres")).toEqual({ schema: "duckgres", table: "worker_records" });
  });

  it("quotes identifiers", () => {
    expect(quoteIdent("worker_records")).toBe('"worker_records"');
    expect(quoteIdent('we"ird; DROP')).toBe('"we""ird; DROP"');
  });
});

describe("connection strings shown to the user", () => {
  it.each([
    ["postgres://reader:s3cr3t@db:5432/cp", "postgres://reader:***@db:5432/cp"],
    ["POSTGRESQL://reader:p/a:ss@db/cp", "POSTGRESQL://reader:***@db/cp"],
    ["postgres://:s3cr3t@db/cp", "postgres://:***@db/cp"],
    ["postgres://db/cp?user=reader&password=s3cr3t&sslmode=require", "postgres://db/cp?user=reader&password=***&sslmode=require"],
    ["postgres://reader@db/cp", "postgres://reader@db/cp"],
  ])("%s is shown as %s", (url, shown) => {
    expect(redactConnection(url)).toBe(shown);
    expect(redactConnection(url)).not.toMatch(/s3cr3t|p\/a:ss/);
  });
});
