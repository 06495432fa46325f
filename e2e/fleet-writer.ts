/**
 * A writer process for the fleet end-to-end test (e2e/fleet-postgres.browser.spec.ts): it plays
 * duckgres' control plane over the workers already in `cp_runtime.worker_records`, moving each one
 * along the profile's declared transitions with the control plane's own fenced statements
 * (test/node/postgres/writer.ts: UpsertWorkerRecord, MarkWorkerDraining, RetireDrainingWorker,
 * MarkWorkerLostIfCurrentLease), one statement per transaction, from a few connections at once.
 *
 *   fleet-writer <postgres-url> <durationMs> <heldWorkerId> [seed]
 *
 * The held worker is reserved and activated at once and then left in `activating`, while every
 * other worker that gets there stays 0.3–0.6 s: its stay becomes far longer than the observed ones.
 * After `durationMs` nothing new starts; the workers still in `activating` (other than the held
 * one) finish their stay and become hot, so that at the end `activating` holds the held worker only.
 *
 * Prints `held <id> <updated_at>` once the held worker is in activating, and `done <json>` (moves
 * made, per transition, updates per second, lateness) at the end. Any fence miss is a bug here:
 * each worker is moved by one connection only, so the process exits 1.
 */
import pg from "pg";
import { seededRandom } from "../shared/machine/prng";
import { ControlPlaneWriter, type Outcome } from "../test/node/postgres/writer";

const [urlText, durationText, heldText, seedText] = process.argv.slice(2);
if (!urlText || !durationText || !heldText) {
  process.stderr.write("usage: fleet-writer <postgres-url> <durationMs> <heldWorkerId> [seed]\n");
  process.exit(2);
}
const url: string = urlText;
const durationMs = Number(durationText);
const held = heldText;
const random = seededRandom(Number(seedText ?? 1));
const LANES = 4;
const OWNERS = ["0a1b2c3d-4e5f-cp1-000001", "9f8e7d6c-5b4a-cp2-000002"] as const;
const ORGS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"];

interface Worker {
  id: string;
  state: string;
  epoch: number;
  owner: string;
  org: string;
  /** When its next move is due (ms since the epoch). */
  due: number;
}

const between = (lo: number, hi: number): number => lo + random() * (hi - lo);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long a worker stays in each state before its next move (ms). */
const STAY: Record<string, [number, number]> = {
  spawning: [1000, 4000],
  idle: [3000, 9000],
  reserved: [1000, 3000],
  activating: [300, 600],
  hot: [3000, 8000],
  hot_idle: [2000, 6000],
  draining: [1000, 3000],
};

/** A small binary min-heap of workers by due time. */
class Heap {
  private readonly a: Worker[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): Worker | undefined {
    return this.a[0];
  }
  push(w: Worker): void {
    const a = this.a;
    a.push(w);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((a[p] as Worker).due <= w.due) break;
      a[i] = a[p] as Worker;
      i = p;
    }
    a[i] = w;
  }
  pop(): Worker | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const cur = (k: number): number => (k === i ? last.due : (a[k] as Worker).due);
        if (l < a.length && (a[l] as Worker).due < cur(m)) m = l;
        if (r < a.length && (a[r] as Worker).due < cur(m)) m = r;
        if (m === i) break;
        a[i] = a[m] as Worker;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

const moves: Record<string, number> = {};
let total = 0;
let maxLateMs = 0;
const startedAt = Date.now();
const stopAt = startedAt + durationMs;

function matched(o: Outcome, what: string, w: Worker): void {
  if (!o.matched) throw new Error(`${what} of worker ${w.id} (${w.state}, epoch ${w.epoch}, owner ${w.owner}) was fenced off`);
}

/** One move of `w` along a declared transition of its state (chosen at random), made with the control plane's statement for it. */
async function move(c: ControlPlaneWriter, w: Worker): Promise<void> {
  const from = w.state;
  const lease = { workerId: w.id, owner: w.owner, epoch: w.epoch };
  const upsert = async (state: string, opts: { newLease?: boolean; activation?: boolean } = {}): Promise<void> => {
    if (opts.newLease) {
      w.epoch += 1;
      w.owner = pick(OWNERS);
      w.org = pick(ORGS);
    }
    matched(await c.upsertWorkerRecord({ workerId: w.id, state, epoch: w.epoch, owner: w.owner, org: w.org, activation: opts.activation ?? false }), `UpsertWorkerRecord(${state})`, w);
    w.state = state;
  };
  const lose = async (): Promise<void> => {
    matched(await c.markWorkerLostIfCurrentLease(lease), "MarkWorkerLostIfCurrentLease", w);
    w.state = "lost";
  };
  const drain = async (): Promise<void> => {
    matched(await c.markWorkerDraining(lease), "MarkWorkerDraining", w);
    w.state = "draining";
  };
  const r = random();
  switch (from) {
    case "spawning":
      if (r < 0.85) await upsert("idle"); // publish_idle
      else if (r < 0.95) await upsert("reserved", { newLease: true }); // reserve
      else await lose();
      break;
    case "idle":
      if (r < 0.96) await upsert("reserved", { newLease: true }); // reserve
      else await drain();
      break;
    case "reserved":
      if (r < 0.97) await upsert("activating", { activation: true }); // activate
      else await lose();
      break;
    case "activating":
      await upsert("hot", { activation: true }); // activated
      break;
    case "hot":
      if (r < 0.85) await upsert("hot_idle"); // go_idle
      else if (r < 0.95) await drain();
      else await lose();
      break;
    case "hot_idle":
      await upsert("reserved", { newLease: true }); // claim: a new lease, owner_epoch + 1
      break;
    case "draining":
      matched(await c.retireDrainingWorker(lease), "RetireDrainingWorker", w);
      w.state = "retired";
      break;
    default:
      throw new Error(`worker ${w.id} is in ${from}, which has no move here`);
  }
  const key = `${from}->${w.state}`;
  moves[key] = (moves[key] ?? 0) + 1;
  total++;
}

/** One connection's loop: its workers' moves in order of due time, until it has none left. */
async function lane(c: ControlPlaneWriter, heap: Heap): Promise<void> {
  for (;;) {
    const next = heap.peek();
    if (!next) return;
    const wait = next.due - Date.now();
    if (wait > 0) {
      // Never sleep past the stop: from then on only the stays in activating are finished.
      await sleep(Math.min(wait, Math.max(1, stopAt - Date.now())));
      if (Date.now() < stopAt) continue;
    }
    const w = heap.pop() as Worker;
    if (Date.now() >= stopAt && w.state !== "activating") continue;
    if (w.due <= Date.now()) maxLateMs = Math.max(maxLateMs, Date.now() - w.due);
    else await sleep(w.due - Date.now());
    await move(c, w);
    const stay = STAY[w.state];
    if (stay) {
      w.due = Date.now() + between(stay[0], stay[1]);
      heap.push(w);
    }
  }
}

async function main(): Promise<void> {
  const reader = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } });
  await reader.connect();
  const rows = (
    await reader.query<{ worker_id: string; state: string; owner_epoch: string; owner_cp_instance_id: string | null; org_id: string | null }>(
      "SELECT worker_id, state, owner_epoch, owner_cp_instance_id, org_id FROM cp_runtime.worker_records ORDER BY worker_id",
    )
  ).rows;
  await reader.end();
  const lanes = await Promise.all(Array.from({ length: LANES }, () => ControlPlaneWriter.connect(url)));
  const heaps = lanes.map(() => new Heap());
  let heldWorker: Worker | undefined;
  rows.forEach((r, i) => {
    const w: Worker = { id: r.worker_id, state: r.state, epoch: Number(r.owner_epoch), owner: r.owner_cp_instance_id ?? OWNERS[0], org: r.org_id || pick(ORGS), due: 0 };
    if (w.id === held) {
      heldWorker = w;
      return;
    }
    // First moves spread over the run, so the load is even rather than one burst.
    w.due = startedAt + between(200, durationMs);
    (heaps[i % LANES] as Heap).push(w);
  });
  if (!heldWorker) throw new Error(`worker ${held} is not in the table`);
  if (heldWorker.state !== "idle") throw new Error(`worker ${held} is ${heldWorker.state}, expected idle`);

  // The held worker: reserved, then activating (each stay long enough to be seen by a poll), then left there.
  const hc = await ControlPlaneWriter.connect(url);
  const hw = heldWorker;
  const heldDone = (async () => {
    await sleep(300);
    hw.epoch += 1; // reserve: a new lease
    matched(await hc.upsertWorkerRecord({ workerId: hw.id, state: "reserved", epoch: hw.epoch, owner: hw.owner, org: hw.org }), "UpsertWorkerRecord(reserved)", hw);
    hw.state = "reserved";
    await sleep(600);
    matched(await hc.upsertWorkerRecord({ workerId: hw.id, state: "activating", epoch: hw.epoch, owner: hw.owner, org: hw.org, activation: true }), "UpsertWorkerRecord(activating)", hw);
    hw.state = "activating";
    for (const key of ["idle->reserved", "reserved->activating"]) moves[key] = (moves[key] ?? 0) + 1;
    total += 2;
    const row = await hc.row(hw.id);
    process.stdout.write(`held ${hw.id} ${row?.updated_at ?? ""}\n`);
    await hc.close();
  })();

  await Promise.all([heldDone, ...lanes.map((c, i) => lane(c, heaps[i] as Heap))]);
  await Promise.all(lanes.map((c) => c.close()));
  const elapsed = Date.now() - startedAt;
  process.stdout.write(`done ${JSON.stringify({ total, elapsedMs: elapsed, perSecond: Math.round((total * 1000) / elapsed), maxLateMs, moves })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`fleet-writer: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
