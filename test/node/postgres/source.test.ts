/**
 * The live table source against a real PostgreSQL: the first poll gives each row's current state,
 * later polls give the transitions the control plane's fenced writes make, epoch-only bumps are
 * events, fence misses are nothing, several writes between two polls are one transition.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startPostgres, withClient } from "../../helpers/postgres";
import { waitFor } from "../../helpers/tmp";
import { transitions, freshDatabase, utc, watchTable, type Watch } from "./common";
import { ControlPlaneWriter, type Outcome, type WorkerRow } from "./writer";

const server = await startPostgres();
const skipped = "skipped" in server ? server.skipped : undefined;
if (skipped !== undefined) console.log(`PostgreSQL table-source tests skipped: ${skipped}`);

afterAll(async () => {
  if (!("skipped" in server)) await server.stop();
});

const CP1 = "0a1b2c3d-4e5f-cp1-000001";
const CP2 = "9f8e7d6c-5b4a-cp2-000002";

function row(o: Outcome): WorkerRow {
  if (!o.matched) throw new Error("the write was fenced off");
  return o.row;
}

describe.skipIf(skipped !== undefined)("PostgresTableSource on cp_runtime.worker_records", () => {
  const pg = () => {
    if ("skipped" in server) throw new Error(server.skipped);
    return server;
  };

  it("first reports each row's current state since its updated_at, then the transitions, epoch changes and collapsed steps of the fenced writes", async () => {
    const url = await freshDatabase(pg());
    const writer = await ControlPlaneWriter.connect(url);
    let w: Watch | undefined;
    try {
      // Two workers exist before we look: one reserved (epoch 1), one still spawning.
      const a0 = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
      const a = row(await writer.upsertWorkerRecord({ workerId: a0.worker_id, state: "reserved", epoch: 1, owner: CP1, org: "acme" }));
      const b = await writer.createSpawningWorkerSlot({ owner: CP1, org: "globex" });

      w = watchTable(url);
      await w.source.start();
      const first = w.take();
      expect(first).toEqual([
        expect.objectContaining({ kind: "state", instance: a.worker_id, state: "reserved", since: utc(a.updated_at), ts: utc(a.updated_at), tsFrom: "artifact", source: { table: "cp_runtime.worker_records" } }),
        expect.objectContaining({ kind: "state", instance: b.worker_id, state: "spawning", since: utc(b.updated_at), ts: utc(b.updated_at), tsFrom: "artifact" }),
      ]);
      const firstA = first[0];
      expect(firstA?.kind === "state" ? firstA.fields : undefined).toMatchObject({ owner_epoch: "1", owner_cp_instance_id: CP1, pod_name: `duckgres-worker-${a.worker_id}`, org_id: "acme", retire_reason: "" });

      // A poll with no change says nothing.
      await w.source.refresh();
      expect(w.take()).toEqual([]);

      // A new worker appears in spawning (its initial state): a state, not a transition.
      const c0 = await writer.createSpawningWorkerSlot({ owner: CP1, org: "initech" });
      await w.source.refresh();
      expect(w.take()).toEqual([expect.objectContaining({ kind: "state", instance: c0.worker_id, state: "spawning", since: utc(c0.updated_at) })]);

      // spawning → reserved → activating → hot → hot_idle → reserved (claim) → draining → retired,
      // a poll after each step.
      const id = c0.worker_id;
      const steps: (() => Promise<Outcome>)[] = [
        () => writer.upsertWorkerRecord({ workerId: id, state: "reserved", epoch: 1, owner: CP1, org: "initech" }),
        () => writer.upsertWorkerRecord({ workerId: id, state: "activating", epoch: 1, owner: CP1, org: "initech", activation: true }),
        () => writer.upsertWorkerRecord({ workerId: id, state: "hot", epoch: 1, owner: CP1, org: "initech", activation: true }),
        () => writer.upsertWorkerRecord({ workerId: id, state: "hot_idle", epoch: 1, owner: CP1, org: "initech" }),
        () => writer.claimHotIdleWorker({ owner: CP2, org: "initech" }),
        () => writer.markWorkerDraining({ workerId: id, owner: CP2, epoch: 2 }),
        () => writer.retireDrainingWorker({ workerId: id, owner: CP2, epoch: 2, reason: "shutdown" }),
      ];
      const expected: { instance: string; from: string; to: string; ts: string }[] = [];
      const observed: ReturnType<typeof transitions> = [];
      const fieldsSeen: unknown[] = [];
      let prev = "spawning";
      for (const step of steps) {
        const r = row(await step());
        expect(r.worker_id).toBe(id);
        expected.push({ instance: id, from: prev, to: r.state, ts: utc(r.updated_at) });
        prev = r.state;
        await w.source.refresh();
        const got = w.take();
        expect(got.every((o) => o.kind === "transition")).toBe(true);
        observed.push(...transitions(got));
        fieldsSeen.push(...got.map((o) => (o.kind === "transition" ? o.fields : undefined)));
      }
      expect(observed).toEqual(expected);
      expect(expected.map((t) => t.to)).toEqual(["reserved", "activating", "hot", "hot_idle", "reserved", "draining", "retired"]);
      // The claim took a new lease: owner and epoch changed with the transition.
      expect(fieldsSeen[4]).toMatchObject({ owner_epoch: "2", owner_cp_instance_id: CP2 });
      expect(fieldsSeen[6]).toMatchObject({ retire_reason: "shutdown" });

      // A lease refresh: the epoch changes, the state does not → an epoch-change event only.
      const bumped = row(await writer.bumpWorkerEpoch({ workerId: a.worker_id, owner: CP1, epoch: 1 }));
      expect(bumped.owner_epoch).toBe("2");
      await w.source.refresh();
      expect(w.take()).toEqual([
        expect.objectContaining({ kind: "event", instance: a.worker_id, name: "epoch-change", fields: { from: "1", to: "2" }, ts: utc(bumped.updated_at), tsFrom: "artifact" }),
      ]);

      // Fence misses change nothing, so the source says nothing: a stale upsert (epoch 1 < 2), a
      // stale drain, a claim with nothing hot_idle, and a forward move of a retired row.
      const before = await writer.row(a.worker_id);
      expect(await writer.upsertWorkerRecord({ workerId: a.worker_id, state: "activating", epoch: 1, owner: CP1, org: "acme" })).toEqual({ matched: false });
      expect(await writer.markWorkerDraining({ workerId: a.worker_id, owner: CP1, epoch: 1 })).toEqual({ matched: false });
      expect(await writer.markWorkerDraining({ workerId: a.worker_id, owner: CP2, epoch: 2 })).toEqual({ matched: false });
      expect(await writer.claimHotIdleWorker({ owner: CP2, org: "acme" })).toEqual({ matched: false });
      expect(await writer.upsertWorkerRecord({ workerId: id, state: "reserved", epoch: 9, owner: CP1, org: "initech" })).toEqual({ matched: false });
      expect(await writer.row(a.worker_id)).toEqual(before);
      await w.source.refresh();
      expect(w.take()).toEqual([]);

      // Several steps between two polls: one transition from the state we had to the last one.
      row(await writer.upsertWorkerRecord({ workerId: a.worker_id, state: "activating", epoch: 2, owner: CP1, org: "acme", activation: true }));
      row(await writer.upsertWorkerRecord({ workerId: a.worker_id, state: "hot", epoch: 2, owner: CP1, org: "acme", activation: true }));
      const last = row(await writer.upsertWorkerRecord({ workerId: a.worker_id, state: "hot_idle", epoch: 2, owner: CP1, org: "acme" }));
      await w.source.refresh();
      expect(transitions(w.take())).toEqual([{ instance: a.worker_id, from: "reserved", to: "hot_idle", ts: utc(last.updated_at) }]);

      // The second worker is lost under its lease; a lost worker cannot be drained afterwards.
      const br = row(await writer.upsertWorkerRecord({ workerId: b.worker_id, state: "reserved", epoch: 1, owner: CP1, org: "globex" }));
      await w.source.refresh();
      expect(transitions(w.take())).toEqual([{ instance: b.worker_id, from: "spawning", to: "reserved", ts: utc(br.updated_at) }]);
      const lost = row(await writer.markWorkerLostIfCurrentLease({ workerId: b.worker_id, owner: CP1, epoch: 1, reason: "crash" }));
      expect(await writer.markWorkerDraining({ workerId: b.worker_id, owner: CP1, epoch: 1 })).toEqual({ matched: false });
      await w.source.refresh();
      expect(transitions(w.take())).toEqual([{ instance: b.worker_id, from: "reserved", to: "lost", ts: utc(lost.updated_at) }]);

      // No warning all along.
      expect(w.seen.filter((o) => o.kind === "warning")).toEqual([]);
    } finally {
      await w?.source.close();
      await writer.close();
    }
  });

  it("reports a row that disappears, and keeps its last state", async () => {
    const url = await freshDatabase(pg());
    const writer = await ControlPlaneWriter.connect(url);
    const w = watchTable(url);
    try {
      const a = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
      await w.source.start();
      expect(w.take()).toHaveLength(1);
      await withClient(url, (c) => c.query("DELETE FROM cp_runtime.worker_records WHERE worker_id = $1", [a.worker_id]));
      await w.source.refresh();
      expect(w.take()).toEqual([
        expect.objectContaining({ kind: "warning", code: "source-error", instance: a.worker_id, message: expect.stringMatching(/row \d+ disappeared \(it was spawning\)/) }),
      ]);
    } finally {
      await w.source.close();
      await writer.close();
    }
  });

  it("polls on its own every intervalMs; measures poll time and write-to-observation latency", async () => {
    const url = await freshDatabase(pg());
    const writer = await ControlPlaneWriter.connect(url);
    // 2000 rows, so a poll reads a realistic table.
    await withClient(url, (c) =>
      c.query(`INSERT INTO cp_runtime.worker_records (worker_id, pod_name, image, state, org_id, owner_cp_instance_id, owner_epoch, created_at, updated_at)
               SELECT i, 'pod-' || i, 'img', 'retired', 'acme', 'cp', 3, now(), now() FROM generate_series(100000, 101999) i`),
    );
    const w = watchTable(url, { intervalMs: 1000 });
    try {
      const t0 = Date.now();
      await w.source.start();
      const firstPollMs = Date.now() - t0;
      expect(w.take()).toHaveLength(2000);
      const timings: number[] = [];
      for (let i = 0; i < 10; i++) {
        const s = Date.now();
        await w.source.refresh();
        timings.push(Date.now() - s);
      }
      const x = await writer.createSpawningWorkerSlot({ owner: CP1, org: "acme" });
      await waitFor(() => w.seen.find((o) => o.kind === "state" && o.instance === x.worker_id), "the new worker");
      let epoch = 0;
      const latencies: number[] = [];
      const path = ["reserved", "activating", "hot", "hot_idle"];
      for (const state of path) {
        // A write at a random moment of the poll cycle.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1000)));
        if (state === "reserved") epoch = 1;
        const n = w.seen.length;
        const wrote = Date.now();
        row(await writer.upsertWorkerRecord({ workerId: x.worker_id, state, epoch, owner: CP1, org: "acme", activation: state !== "reserved" }));
        const i = await waitFor(() => {
          const k = w.seen.findIndex((o, j) => j >= n && o.kind === "transition" && o.to === state);
          return k >= 0 ? k : undefined;
        }, `the transition to ${state}`);
        latencies.push((w.at[i] ?? 0) - wrote);
      }
      expect(transitions(w.seen).map((t) => t.to)).toEqual(path);
      const sorted = [...latencies].sort((p, q) => p - q);
      console.log(
        `postgres poll: first poll (connect + 2000 rows) ${firstPollMs} ms; poll of 2000 rows ${Math.min(...timings)}–${Math.max(...timings)} ms; ` +
          `write→observation at intervalMs 1000: ${sorted.join(", ")} ms`,
      );
      // At most one interval plus one poll (generous, for loaded CI machines).
      for (const l of latencies) expect(l).toBeLessThan(1000 + 1500);
    } finally {
      await w.source.close();
      await writer.close();
    }
  });
});
