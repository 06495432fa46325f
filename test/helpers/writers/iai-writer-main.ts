/**
 * A test writer process: dispatches iai-mcp events as fast as it can (or paced), writing the
 * real formats through the demo daemon's writer code: atomic state-file replaces, log appends
 * under flock, each dispatch under .lifecycle.lock.
 *   iai-writer-main <dir> <dispatches> [pauseMs] [seed]
 * Prints "done <transitions>" when finished.
 */
import { IaiDemoDaemon } from "../../../electron/node/demo/iai-daemon";
import { seededRandom } from "../../../shared/machine/prng";

const [dir, countText, pauseText, seedText] = process.argv.slice(2);
if (!dir || !countText) {
  process.stderr.write("usage: iai-writer-main <dir> <dispatches> [pauseMs] [seed]\n");
  process.exit(2);
}
const random = seededRandom(Number(seedText ?? 1));
const daemon = new IaiDemoDaemon(dir, random);
daemon.init();
const pause = Number(pauseText ?? 0);
let transitions = 0;
for (let i = 0; i < Number(countText); i++) {
  if (daemon.tick().taken) transitions++;
  if (pause > 0) await new Promise((r) => setTimeout(r, pause));
}
process.stdout.write(`done ${transitions}\n`);
