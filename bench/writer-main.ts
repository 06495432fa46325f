/**
 * Benchmark writer process: N iai-mcp transitions (WAKE ⇄ DROWSY), one every `pauseMs`, each a
 * real dispatch (lock, atomic state replace, log append under flock). After each one it prints
 * the log line's ts and the wall-clock time (ms, sub-ms precision) the write completed.
 */
import { IaiDemoDaemon } from "../electron/node/demo/iai-daemon";

const [dir, countText, pauseText] = process.argv.slice(2);
if (!dir || !countText) throw new Error("usage: writer-main <dir> <count> [pauseMs]");
const daemon = new IaiDemoDaemon(dir);
daemon.init();
const now = (): number => performance.timeOrigin + performance.now();
const pause = Number(pauseText ?? 20);
await new Promise((r) => setTimeout(r, 500)); // let the watchers settle on the fresh folder
for (let i = 0; i < Number(countText); i++) {
  const r = daemon.dispatch(daemon.state === "WAKE" ? "idle_5min" : "heartbeat_refresh");
  if (!r.taken) throw new Error(`dispatch ${i} did not transition`);
  process.stdout.write(`${now()}\n`);
  await new Promise((res) => setTimeout(res, pause));
}
