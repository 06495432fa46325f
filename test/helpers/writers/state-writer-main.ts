/**
 * Replaces a state file atomically (temp file + rename, a new inode each time) at a fixed rate for
 * a fixed time, as a daemon dispatching as fast as it can would: write number `seq` is
 * iai-lines.ts's iaiStateText(seq) or ecluseStateText(seq). Paced by the clock: after each timer
 * tick it writes as many as are due, so the average rate holds on a loaded machine.
 *   node --import tsx state-writer-main.ts '{"format":"iai","file":"…","rate":1000,"durationMs":10000}'
 * Prints "started" once the first write is on disk, "done <last seq> <writes>" at the end.
 */
import fs from "node:fs";
import path from "node:path";
import { ecluseStateText, iaiStateText } from "./iai-lines";
import type { StateWriterSpec } from "./file-ops";

const spec = JSON.parse(process.argv[2] ?? "{}") as StateWriterSpec;
const text = spec.format === "ecluse" ? ecluseStateText : iaiStateText;
const dir = path.dirname(spec.file);
fs.mkdirSync(dir, { recursive: true });

let seq = (spec.from ?? 1) - 1;
let writes = 0;
function replace(): void {
  seq++;
  const tmp = path.join(dir, `.${path.basename(spec.file)}.${process.pid}.${seq}.tmp`);
  const fd = fs.openSync(tmp, "w", 0o644);
  try {
    fs.writeSync(fd, text(seq));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, spec.file);
  writes++;
}

replace();
process.stdout.write("started\n");
const t0 = Date.now();
for (;;) {
  const elapsed = Date.now() - t0;
  const due = Math.min(Math.floor((elapsed * spec.rate) / 1000), Math.floor((spec.durationMs * spec.rate) / 1000));
  while (writes < due + 1) replace();
  if (elapsed >= spec.durationMs) break;
  await new Promise((r) => setTimeout(r, 1));
}
process.stdout.write(`done ${seq} ${writes}\n`);
