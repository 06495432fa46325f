/**
 * Run by bench/replay.ts in a process of its own: a replay session indexes the file given, then
 * answers 1,000 seeks to random positions. Prints one JSON line: indexing ms, the process's peak
 * resident memory (its own, nothing from the benchmark around it) when indexing is done and again
 * after the seeks, and each seek's ms.
 */
import { ReplaySession } from "../electron/node/replay/replay-session";
import { resolveTarget } from "../electron/node/target/target";
import type { IndexProgress } from "../shared/ipc/replay";
import { seededRandom } from "../shared/machine/prng";

const file = process.argv[2];
const seekCount = Number(process.argv[3] ?? 1000);
if (!file) throw new Error("usage: replay-child <file> [seeks]");
const target = await resolveTarget(file);
const session = new ReplaySession({ id: "bench", title: "bench", profile: target.profile, target: file, source: { kind: "target", target }, clock: Date.now });
const done = new Promise<IndexProgress>((resolve) => session.onProgress((p) => p.state !== "indexing" && resolve(p)));
const t0 = performance.now();
await session.start();
const end = await done;
const indexMs = performance.now() - t0;
// The peak while indexing (the budget's), before the seeks below add their own.
const indexRssBytes = process.resourceUsage().maxRSS * 1024;
if (end.state !== "done") throw new Error(`indexing ended ${end.state}: ${end.error?.message ?? ""}`);
const rand = seededRandom(7);
const seeks: number[] = [];
const trips: number[] = [];
for (let i = 0; i < seekCount + 50; i++) {
  const p = Math.floor(rand() * end.observations);
  const s0 = performance.now();
  const frame = await session.seek({ position: p });
  const ms = performance.now() - s0;
  if (frame.position !== p) throw new Error(`seek to ${p} answered ${frame.position}`);
  if (i >= 50) seeks.push(ms);
  const s1 = performance.now();
  await session.page(p, 0, false);
  trips.push(performance.now() - s1);
}
await session.close();
process.stdout.write(`${JSON.stringify({ indexMs, lines: end.lines, peakRssBytes: indexRssBytes, afterSeeksRssBytes: process.resourceUsage().maxRSS * 1024, seeks, trips })}\n`);
