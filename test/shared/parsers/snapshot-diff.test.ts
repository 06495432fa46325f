import fs from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Json } from "../../../shared/machine/definition";
import { findProfile } from "../../../shared/profiles";
import type { StateFileSource, TableSource } from "../../../shared/profiles/profile";
import { CsvReader, type CsvRow } from "../../../shared/trace/csv";
import type { NewObservation } from "../../../shared/trace/observation";
import { recordsFromCsvRows, recordsFromStateFile, SnapshotDiffer, type SnapshotRecord, type SnapshotRecords } from "../../../shared/trace/snapshot-diff";
import { parseIsoMs } from "../../../shared/trace/time";
import { fileLines, fixture, readTsv } from "./fixture-files";

const only = <K extends NewObservation["kind"]>(obs: NewObservation[], kind: K): Extract<NewObservation, { kind: K }>[] =>
  obs.filter((o): o is Extract<NewObservation, { kind: K }> => o.kind === kind);

const rec = (state: string, fields: Record<string, Json> = {}, ts?: string): SnapshotRecord => (ts === undefined ? { state, fields } : { state, fields, ts });
const snap = (entries: [string, SnapshotRecord][]): SnapshotRecords => new Map(entries);

describe("SnapshotDiffer", () => {
  it("with an absent state: new keys come from it, vanished keys go to it", () => {
    const d = new SnapshotDiffer({ initial: "absent", absent: "absent" });
    expect(d.next(snap([["a", rec("pending", {}, "2026-01-01T00:00:00Z")]]), { file: "1.json" })).toEqual([
      { kind: "transition", instance: "a", from: "absent", to: "pending", fields: {}, ts: "2026-01-01T00:00:00Z", tsFrom: "artifact", source: { file: "1.json" } },
    ]);
    expect(d.next(snap([["a", rec("active")]]), { file: "2.json" })).toEqual([
      { kind: "transition", instance: "a", from: "pending", to: "active", fields: {}, tsFrom: "observed", source: { file: "2.json" } },
    ]);
    expect(d.next(snap([["a", rec("active", { slot: 2 })]]), { file: "3.json" })).toEqual([]);
    expect(d.next(snap([]), { file: "4.json" }, "2026-01-01T00:00:09.000Z")).toEqual([
      { kind: "transition", instance: "a", from: "active", to: "absent", fields: { slot: 2 }, ts: "2026-01-01T00:00:09.000Z", tsFrom: "observed", source: { file: "4.json" } },
    ]);
    expect(d.current.size).toBe(0);
  });

  it("without one: a row born in the initial state is a state, a row first seen later is a transition from the initial state", () => {
    const d = new SnapshotDiffer({ initial: "spawning", epochField: "owner_epoch" });
    const out = d.next(
      snap([
        ["1", rec("spawning", { owner_epoch: "0" }, "2026-11-25T13:31:59.149722Z")],
        ["2", rec("hot", { owner_epoch: "3" })],
      ]),
      { file: "snapshot-1.csv" },
    );
    expect(out).toEqual([
      { kind: "state", instance: "1", state: "spawning", since: "2026-11-25T13:31:59.149722Z", fields: { owner_epoch: "0" }, ts: "2026-11-25T13:31:59.149722Z", tsFrom: "artifact", source: { file: "snapshot-1.csv" } },
      { kind: "transition", instance: "2", from: "spawning", to: "hot", fields: { owner_epoch: "3" }, tsFrom: "observed", source: { file: "snapshot-1.csv" } },
    ]);
  });

  it("an epoch change without a state change is an epoch-change event, not a transition; a vanished row is a warning", () => {
    const d = new SnapshotDiffer({ initial: "spawning", epochField: "owner_epoch" });
    d.next(snap([["1", rec("reserved", { owner_epoch: "1" })], ["2", rec("hot", { owner_epoch: "1" })]]), { file: "s1.csv" });
    const out = d.next(snap([["1", rec("reserved", { owner_epoch: "2" }, "2026-11-25T13:32:00Z")]]), { file: "s2.csv" });
    expect(out).toEqual([
      { kind: "event", instance: "1", name: "epoch-change", fields: { from: "1", to: "2" }, ts: "2026-11-25T13:32:00Z", tsFrom: "artifact", source: { file: "s2.csv" } },
      { kind: "warning", code: "source-error", key: "disappeared:2", instance: "2", message: "row 2 disappeared (it was hot): it is not in s2.csv. Its last state is kept.", tsFrom: "observed", source: { file: "s2.csv" } },
    ]);
    // A state change with an epoch change is one transition.
    expect(only(d.next(snap([["1", rec("activating", { owner_epoch: "3" })]]), { file: "s3.csv" }), "transition")).toMatchObject([{ from: "reserved", to: "activating" }]);
  });

  it("replaying any sequence of snapshots ends in the last snapshot's states, each change reported once", () => {
    const states = ["a", "b", "c"];
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.constantFrom("k1", "k2", "k3", "k4"), fc.constantFrom(...states)), { maxLength: 8 }), (seq) => {
        const d = new SnapshotDiffer({ initial: "a", absent: "gone" });
        const last = new Map<string, string>();
        for (const s of seq) {
          const out = d.next(new Map(Object.entries(s).map(([k, v]) => [k, rec(v)])), { file: "x" });
          for (const t of only(out, "transition")) {
            expect(t.from).toBe(last.get(t.instance) ?? "gone");
            expect(t.to).not.toBe(t.from);
            if (t.to === "gone") last.delete(t.instance);
            else last.set(t.instance, t.to);
          }
          expect(Object.fromEntries(last)).toEqual(s);
        }
      }),
    );
  });
});

const ecluse = findProfile("ecluse");
const ecluseSource = ecluse?.sources.find((s): s is StateFileSource => s.kind === "state-file");
const ecluseRecords = ecluseSource?.records;
if (!ecluseSource || !ecluseRecords) throw new Error("the ecluse profile has no multi-record state-file source");

describe("recordsFromStateFile", () => {
  const recs = ecluseRecords;

  it("reads sessions by slug: missing status is active, pending_op.since is the time", () => {
    const doc = JSON.parse(fs.readFileSync(fixture("ecluse", "repo", ".ecluse", "state.json"), "utf8")) as Json;
    const { records, problems } = recordsFromStateFile(doc, recs, { file: "state.json", show: ecluseSource.show });
    expect(problems).toEqual([]);
    expect([...(records ?? new Map<string, SnapshotRecord>()).entries()].map(([k, r]) => [k, r.state, r.ts])).toEqual([
      ["fix-api", "pending", "2026-11-25T13:32:32.941858270Z"],
      ["chore-i18n", "active", undefined],
      ["chore-export", "active", undefined],
      ["chore-api", "active", undefined],
      ["fix-notify", "pending", "2026-11-25T13:32:48.279285561Z"],
    ]);
    expect(records?.get("fix-api")?.fields).toEqual({ mode: "bare", slot: 1, branch: "fix/api", worktree_path: "../worktrees/fix-api", "pending_op.id": "e769c6f0-95ba-4d07-a66b-70cf0900c334" });
    expect(recordsFromStateFile(doc, recs).records?.get("chore-api")?.fields).toEqual({ mode: "bare", slot: 5, branch: "chore/api", worktree_path: "../worktrees/chore-api" });
  });

  it("refuses a document it cannot use, rather than reporting every session gone", () => {
    expect(recordsFromStateFile([1, 2], recs, { file: "state.json" })).toEqual({ records: undefined, problems: [{ message: "state.json is not a JSON object (it is [1,2]); it is ignored." }] });
    expect(recordsFromStateFile({ version: 1 }, recs, { file: "state.json" })).toEqual({ records: undefined, problems: [{ message: 'state.json has no "sessions" array (missing); it is ignored.' }] });
  });

  it("reports each bad session, with the file and where it is", () => {
    const doc: Json = {
      version: 1,
      sessions: [
        { slug: "ok", status: "pending", pending_op: { id: "x", since: "yesterday" } },
        { mode: "bare" },
        "nonsense",
        { slug: "ok" },
        { slug: "odd", status: 3 },
        { slug: "nul", status: null },
      ],
    };
    const { records, problems } = recordsFromStateFile(doc, recs, { file: "state.json" });
    expect([...(records?.keys() ?? [])]).toEqual(["ok", "odd", "nul"]);
    expect(records?.get("ok")).toMatchObject({ state: "pending" });
    expect(records?.get("ok")?.ts).toBeUndefined();
    expect(records?.get("odd")?.state).toBe("3");
    expect(records?.get("nul")?.state).toBe("active");
    expect(problems.map((p) => p.message)).toEqual([
      'state.json: sessions[0] (ok): "pending_op.since" is "yesterday", not a timestamp; it is ignored.',
      'state.json: sessions[1] has no "slug" (missing); it is skipped.',
      'state.json: sessions[2] is not an object ("nonsense"); it is skipped.',
      'state.json: sessions[3]: slug "ok" appears twice; the first one is used.',
      'state.json: sessions[4] (odd): "status" is 3, not a string; it is shown as the state 3.',
    ]);
  });
});

describe("ecluse: the 38 snapshots of state.json, diffed in order", () => {
  const dir = fixture("ecluse", "snapshots");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  const expected = readTsv(fixture("ecluse", "expected-transitions.tsv")).filter((r) => r["to"] !== "LOCK_TIMEOUT");
  const differ = new SnapshotDiffer({ initial: ecluse!.machine.initial, absent: ecluseRecords.absent });
  const obs: NewObservation[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const doc = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8")) as Json;
    const r = recordsFromStateFile(doc, ecluseRecords, { file: f, show: ecluseSource.show });
    problems.push(...r.problems.map((p) => p.message));
    if (r.records) obs.push(...differ.next(r.records, { file: f }));
  }

  it("yields exactly the 38 transitions of expected-transitions.tsv, one per snapshot", () => {
    expect(files).toHaveLength(38);
    expect(problems).toEqual([]);
    expect(expected).toHaveLength(38);
    const transitions = only(obs, "transition");
    expect(obs).toHaveLength(38);
    expect(transitions.map((t) => [t.instance, t.from, t.to])).toEqual(expected.map((r) => [r["slug"], r["from"], r["to"]]));
    expect(transitions.map((t) => t.source.file)).toEqual(files);
  });

  it("times each move to pending with its pending_op.since, and leaves the others without a time", () => {
    only(obs, "transition").forEach((t, i) => {
      const row = expected[i]!;
      if (row["to"] === "pending") expect([t.ts, t.tsFrom]).toEqual([row["ts"], "artifact"]);
      else expect([t.ts, t.tsFrom]).toEqual([undefined, "observed"]);
    });
  });

  it("ends in the states of the final state.json", () => {
    const final = recordsFromStateFile(JSON.parse(fs.readFileSync(fixture("ecluse", "repo", ".ecluse", "state.json"), "utf8")) as Json, ecluseRecords, { show: ecluseSource.show });
    expect([...differ.current.entries()]).toEqual([...(final.records ?? new Map<string, SnapshotRecord>()).entries()]);
  });
});

const duckgres = findProfile("duckgres");
const table = duckgres?.sources.find((s): s is TableSource => s.kind === "table");
if (!duckgres || !table) throw new Error("the duckgres profile has no table source");

function readCsv(file: string): { rows: CsvRow[]; reader: CsvReader } {
  const reader = new CsvReader({ file });
  const rows = fileLines(file).flatMap((l) => reader.push(l));
  rows.push(...reader.end());
  return { rows, reader };
}

function tableRecords(file: string): SnapshotRecords {
  const { rows, reader } = readCsv(file);
  expect(reader.problems).toEqual([]);
  const r = recordsFromCsvRows(rows, table!, { file, header: reader.header });
  expect(r.problems).toEqual([]);
  if (!r.records) throw new Error(`${file}: no records`);
  return r.records;
}

describe("recordsFromCsvRows", () => {
  it("keys rows by worker_id, times them by updated_at, shows the fenced columns (NULL as null)", () => {
    const records = tableRecords(fixture("duckgres", "dump.csv"));
    expect([...records.keys()]).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(records.get("1")).toEqual({
      state: "lost",
      ts: "2026-11-25T13:31:59.584356Z",
      fields: {
        owner_epoch: "3",
        owner_cp_instance_id: "081ab44d-3d7c-cp1-f80385",
        pod_name: "duckgres-worker-1",
        org_id: "umbrella",
        retire_reason: "crash",
        last_heartbeat_at: "2026-11-25 13:31:59.536863+00",
      },
    });
    expect(records.get("2")?.fields["retire_reason"]).toBe("shutdown");
  });

  it("reports missing columns, rows without a key or state, duplicate keys and bad times, with file and line", () => {
    const row = (line: number, values: Record<string, string>, nulls?: string[]): CsvRow => (nulls ? { line, values, nulls } : { line, values });
    expect(recordsFromCsvRows([row(2, { id: "1" })], table, { file: "t.csv" })).toEqual({
      records: undefined,
      problems: [{ line: 1, message: 't.csv has no column "worker_id" or "state" (its columns: id); it is ignored.' }],
    });
    const { records, problems } = recordsFromCsvRows(
      [
        row(2, { worker_id: "1", state: "idle", owner_epoch: "0", updated_at: "soon" }),
        row(3, { worker_id: "", state: "idle", owner_epoch: "0", updated_at: "" }, ["worker_id", "updated_at"]),
        row(4, { worker_id: "1", state: "hot", owner_epoch: "0", updated_at: "" }),
        row(5, { worker_id: "2", state: "", owner_epoch: "", updated_at: "" }, ["state", "owner_epoch", "updated_at"]),
        row(6, { worker_id: "3", state: "hot", owner_epoch: "", updated_at: "" }, ["owner_epoch", "updated_at"]),
      ],
      table,
      { file: "t.csv" },
    );
    expect([...(records?.entries() ?? [])]).toEqual([
      ["1", { state: "idle", fields: { owner_epoch: "0" } }],
      ["3", { state: "hot", fields: { owner_epoch: null } }],
    ]);
    expect(problems).toEqual([
      { line: 2, message: 't.csv line 2: row 1 has updated_at "soon", not a timestamp; it is ignored.' },
      { line: 3, message: "t.csv line 3: the row has no worker_id; it is skipped." },
      { line: 4, message: "t.csv line 4: worker_id 1 appears twice; the first row is used." },
      { line: 5, message: "t.csv line 5: row 2 has no state; it is skipped." },
    ]);
  });
});

describe("duckgres: snapshot-1..5.csv through CsvReader, recordsFromCsvRows and SnapshotDiffer", () => {
  const files = [1, 2, 3, 4, 5].map((k) => fixture("duckgres", "snapshots", `snapshot-${k}.csv`));
  const snaps = files.map(tableRecords);
  const tsv = readTsv(fixture("duckgres", "expected-transitions.tsv")).filter((r) => r["to"] !== "CAS_MISS");
  const differ = new SnapshotDiffer({ initial: duckgres.machine.initial, epochField: table.epoch });
  const perSnapshot = snaps.map((s, k) => differ.next(s, { file: `snapshot-${k + 1}.csv` }));

  /** A snapshot's moment: its latest updated_at (the driver writes one statement at a time). */
  const cutoff = snaps.map((s) => Math.max(...[...s.values()].map((r) => parseIsoMs(r.ts ?? "") ?? -Infinity)));
  /** The TSV rows of one worker written after snapshot k-1 and up to snapshot k (k = 0: from the start). */
  function rowsBetween(worker: string, k: number): Record<string, string>[] {
    const after = k === 0 ? -Infinity : cutoff[k - 1]!;
    return tsv.filter((r) => r["worker_id"] === worker && (parseIsoMs(r["ts"] ?? "") ?? NaN) > after && (parseIsoMs(r["ts"] ?? "") ?? NaN) <= cutoff[k]!);
  }

  it("reads each snapshot without a problem", () => {
    expect(snaps.map((s) => s.size)).toEqual([3, 3, 5, 6, 6]);
  });

  it("each transition is the composition of that worker's TSV rows between the two snapshots", () => {
    let count = 0;
    perSnapshot.forEach((obs, k) => {
      const changed = new Set<string>();
      for (const t of only(obs, "transition")) {
        count += 1;
        changed.add(t.instance);
        const rows = rowsBetween(t.instance, k);
        expect(rows.length, `worker ${t.instance} in snapshot-${k + 1}`).toBeGreaterThan(0);
        // A chain: each row starts where the previous one ended ("-" = the row's creation, in spawning).
        const first = rows[0]!;
        expect(first["from"] === "-" ? "spawning" : first["from"]).toBe(t.from);
        rows.slice(1).forEach((r, i) => expect(r["from"]).toBe(rows[i]!["to"]));
        expect(rows[rows.length - 1]!["to"]).toBe(t.to);
        expect(t.ts).toBe(snaps[k]!.get(t.instance)!.ts);
      }
      // Workers that did not change state between the snapshots have no TSV state change either.
      for (const [worker, r] of snaps[k]!) {
        if (changed.has(worker)) continue;
        const moves = rowsBetween(worker, k).filter((row) => row["from"] !== "-");
        expect(moves, `worker ${worker} in snapshot-${k + 1}`).toEqual([]);
        if (k === 0) expect(r.state).toBe("spawning");
      }
    });
    expect(count).toBe(13);
    expect(perSnapshot.map((obs) => only(obs, "transition").map((t) => `${t.instance}:${t.from}>${t.to}`))).toEqual([
      ["1:spawning>lost", "2:spawning>activating", "3:spawning>activating"],
      ["2:activating>reserved", "3:activating>retired"],
      ["2:reserved>hot", "4:spawning>hot_idle", "5:spawning>reserved"],
      ["2:hot>retired", "4:hot_idle>retired", "5:reserved>retired", "6:spawning>hot"],
      ["6:hot>retired"],
    ]);
    expect(perSnapshot.flat().every((o) => o.kind === "transition")).toBe(true);
  });

  it("an epoch change without a state change comes out as an epoch-change event", () => {
    // In the fixture every epoch change between two snapshots came with a state change...
    expect(perSnapshot.flat().filter((o) => o.kind === "event")).toEqual([]);
    // ...so refresh a lease by hand on snapshot-3 (BumpWorkerEpoch: owner_epoch + 1, state unchanged).
    const d = new SnapshotDiffer({ initial: duckgres.machine.initial, epochField: table.epoch });
    d.next(snaps[2]!, { file: "snapshot-3.csv" });
    const refreshed = new Map(snaps[2]!);
    const w5 = refreshed.get("5")!;
    refreshed.set("5", { ...w5, ts: "2026-11-25T13:32:03.000001Z", fields: { ...w5.fields, owner_epoch: "2" } });
    expect(d.next(refreshed, { file: "refresh.csv" })).toEqual([
      { kind: "event", instance: "5", name: "epoch-change", fields: { from: "1", to: "2" }, ts: "2026-11-25T13:32:03.000001Z", tsFrom: "artifact", source: { file: "refresh.csv" } },
    ]);
  });

  it("ends in the states of dump.csv", () => {
    const dump = tableRecords(fixture("duckgres", "dump.csv"));
    expect([...differ.current.entries()]).toEqual([...dump.entries()]);
    expect([...differ.current.values()].map((r) => r.state)).toEqual(["lost", "retired", "retired", "retired", "retired", "retired"]);
  });
});

describe("a row that disappears and comes back", () => {
  it("is compared with what it was, and its warning is cleared", () => {
    const d = new SnapshotDiffer({ initial: "spawning" });
    const rows = (state: string) => new Map([["7", { state, fields: {} }]]);
    d.next(rows("hot"), { file: "a" });
    const gone = d.next(new Map(), { file: "b" });
    expect(gone).toMatchObject([{ kind: "warning", key: "disappeared:7", instance: "7" }]);
    const back = d.next(rows("draining"), { file: "c" });
    expect(back).toMatchObject([
      { kind: "warning", key: "disappeared:7", cleared: true },
      { kind: "transition", instance: "7", from: "hot", to: "draining" },
    ]);
  });
});
