/**
 * A test writer process: dispatches iai-mcp events as fast as it can (or paced), writing the
 * real formats through the demo daemon's writer code: atomic state-file replaces, log appends
 * under flock, each dispatch under .lifecycle.lock.
 *   iai-writer-main <dir> <dispatches> [pauseMs] [seed]
 * Prints "done <transitions>" when finished.
 */
import { IaiDemoDaemon } from "../../../electron/node/demo/iai-daemon";

const [dir, countText, pauseText, seedText] = process.argv.slice(2);
if (!dir || !countText) {
  process.stderr.write("usage: iai-writer-main <dir> <dispatches> [pauseMs] [seed]\n");
  process.exit(2);
}
let a = Number(seedText ?? 1) >>> 0;
const random = (): number => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const daemon = new IaiDemoDaemon(dir, random);
daemon.init();
const pause = Number(pauseText ?? 0);
let transitions = 0;
for (let i = 0; i < Number(countText); i++) {
  if (daemon.tick().taken) transitions++;
  if (pause > 0) await new Promise((r) => setTimeout(r, pause));
}
process.stdout.write(`done ${transitions}\n`);
