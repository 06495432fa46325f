/**
 * Entry of the demo daemon child process:
 *   daemon-main --dir <data folder> [--min-ms 1000] [--max-ms 2000] [--cleanup <folder>]
 * Writes one dispatch every min..max ms until SIGTERM/SIGINT or until its parent goes away
 * (the IPC channel closes), then removes its pid file and, with --cleanup, the whole temp folder.
 */
import fs from "node:fs";
import { IaiDemoDaemon } from "./iai-daemon";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dir = arg("--dir");
if (!dir) {
  process.stderr.write("demo daemon: --dir <folder> is required\n");
  process.exit(2);
}
const minMs = Number(arg("--min-ms") ?? 1000);
const maxMs = Math.max(minMs, Number(arg("--max-ms") ?? 2000));
const cleanup = arg("--cleanup");

const daemon = new IaiDemoDaemon(dir);
daemon.init();
daemon.writePidFile(process.pid);

let timer: NodeJS.Timeout | undefined;
let stopped = false;

function stop(code: number): void {
  if (stopped) return;
  stopped = true;
  if (timer) clearTimeout(timer);
  try {
    daemon.removePidFile();
    if (cleanup) fs.rmSync(cleanup, { recursive: true, force: true });
  } finally {
    process.exit(code);
  }
}

function schedule(): void {
  const wait = minMs + Math.random() * (maxMs - minMs);
  timer = setTimeout(() => {
    try {
      daemon.tick();
    } catch (err) {
      // A busy lock is the real daemon's "state locked": skip this dispatch.
      if (!(err instanceof Error && err.name === "LockBusyError")) {
        process.stderr.write(`demo daemon: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    if (!stopped) schedule();
  }, wait);
}

process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
process.on("disconnect", () => stop(0));
if (process.send) process.send({ ready: true, dir, pid: process.pid });
schedule();
