/**
 * Benchmark writer process for fleet.*: a generated duckgres-like fleet writing its worker
 * transitions to a JSON-lines log (bench/fleet-profile.json reads it).
 *
 *   fleet-writer <dir> <workers> <perSecond> <seconds> [seed]
 *
 * First writes the fleet's history — each worker's declared steps from spawning to where it
 * starts (idle, reserved, activating, hot, hot_idle; a few draining, retired or lost) — prints
 * `ready`, and waits for `go` on standard input. Then appends `perSecond` transitions a second in
 * total, for `seconds`, each line written as it happens (a tick every few milliseconds appends the
 * lines due by then, so the rate holds whatever the timer's precision). Workers move along the
 * duckgres lifecycle (reserved → activating → hot → hot_idle → reserved …); a few drain and retire
 * or are lost. The first worker (the one the page lights up) moves once a second. Last, prints one
 * JSON line, the writer's own account of its fleet that the benchmark compares with:
 * `{"done": true, "lines", "transitions", "perState", "lit": {"id", "state"}}`.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { seededRandom } from "../shared/machine/prng";

const [dir, workersText, rateText, secondsText, seedText] = process.argv.slice(2);
if (!dir || !workersText || !rateText || !secondsText) throw new Error("usage: fleet-writer <dir> <workers> <perSecond> <seconds> [seed]");
const workers = Number(workersText);
const perSecond = Number(rateText);
const seconds = Number(secondsText);

const random = seededRandom(Number(seedText ?? 20_240_611));

/** The usual next step from each state of the duckgres worker machine (bench/fleet-profile.json). */
const NEXT: Record<string, [event: string, to: string]> = {
  spawning: ["publish_idle", "idle"],
  idle: ["reserve", "reserved"],
  reserved: ["activate", "activating"],
  activating: ["activated", "hot"],
  hot: ["go_idle", "hot_idle"],
  hot_idle: ["claim", "reserved"],
  draining: ["retire", "retired"],
};
const FINAL = new Set(["retired", "lost"]);
/** Per streamed transition: the chance a worker is drained instead, or lost. */
const DRAIN = 0.002;
const LOSE = 0.0005;

const file = path.join(dir, "fleet-0001.jsonl");
const ids: string[] = [];
const state: string[] = [];
const epoch: number[] = [];
const live: number[] = [];
/** Where each worker is in `live` (-1 once final): a final worker leaves it in O(1). */
const livePos: number[] = [];
let lines = 0;
let transitions = 0;

function line(i: number, event: string, to: string): string {
  const from = state[i] as string;
  if (event === "reserve" || event === "claim") epoch[i] = (epoch[i] ?? 0) + 1;
  state[i] = to;
  lines++;
  return `${JSON.stringify({ ts: new Date().toISOString(), kind: "transition", worker_id: ids[i], from, to, event, owner_epoch: epoch[i] })}\n`;
}

function leaveIfFinal(i: number): void {
  if (!FINAL.has(state[i] as string)) return;
  const at = livePos[i] as number;
  const lastWorker = live[live.length - 1] as number;
  live[at] = lastWorker;
  livePos[lastWorker] = at;
  live.pop();
  livePos[i] = -1;
}

/** Where the history leaves the workers (share of the fleet), and the declared steps that take them there from spawning. */
const START: [share: number, steps: [event: string, to: string][]][] = [
  [0.38, [["publish_idle", "idle"]]],
  [0.2, [["reserve", "reserved"]]],
  [0.05, [["reserve", "reserved"], ["activate", "activating"]]],
  [0.2, [["reserve", "reserved"], ["activate", "activating"], ["activated", "hot"]]],
  [0.14, [["reserve", "reserved"], ["activate", "activating"], ["activated", "hot"], ["go_idle", "hot_idle"]]],
  [0.01, [["publish_idle", "idle"], ["drain", "draining"]]],
  [0.015, [["publish_idle", "idle"], ["retire", "retired"]]],
  [0.005, [["publish_idle", "idle"], ["mark_lost", "lost"]]],
];

// The history: every worker born and on its way (the first one hot); in all under the 4 MiB the
// app reads of a log's past when it starts watching.
const history: string[] = [];
for (let i = 0; i < workers; i++) {
  ids.push(`w-${String(i).padStart(5, "0")}`);
  state.push("spawning");
  epoch.push(0);
  livePos.push(live.length);
  live.push(i);
  let r = i === 0 ? 0.7 : random();
  const steps = START.find(([share]) => (r -= share) < 0)?.[1] ?? [["publish_idle", "idle"]];
  for (const [event, to] of steps) history.push(line(i, event, to));
  leaveIfFinal(i);
}
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(file, history.join(""));
history.length = 0;
process.stdout.write("ready\n");

const rl = readline.createInterface({ input: process.stdin });
await new Promise<void>((resolve) => rl.on("line", (l) => l.trim() === "go" && resolve()));
rl.close();

/** One streamed transition: the lit worker once a second, else a live worker at random. */
function step(): string {
  const i = transitions % perSecond === 0 ? 0 : (live[Math.floor(random() * live.length)] as number);
  transitions++;
  const s = state[i] as string;
  const r = random();
  // The lit worker never leaves: the page keeps something to light up.
  const [event, to] = i !== 0 && s !== "draining" && r < LOSE ? ["mark_lost", "lost"] : i !== 0 && s !== "draining" && r < LOSE + DRAIN ? ["drain", "draining"] : (NEXT[s] as [string, string]);
  const text = line(i, event, to);
  leaveIfFinal(i);
  return text;
}

const fd = fs.openSync(file, "a");
const total = Math.round(perSecond * seconds);
const t0 = performance.now();
await new Promise<void>((resolve) => {
  const tick = (): void => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * perSecond));
    let text = "";
    while (transitions < due) text += step();
    if (text) fs.writeSync(fd, text);
    if (transitions >= total) {
      clearInterval(timer);
      resolve();
    }
  };
  const timer = setInterval(tick, 4);
});
fs.closeSync(fd);

const perState: Record<string, number> = {};
for (const s of state) perState[s] = (perState[s] ?? 0) + 1;
process.stdout.write(`${JSON.stringify({ done: true, lines, transitions, perState, lit: { id: ids[0], state: state[0] } })}\n`);
