/**
 * A scriptable writer process for fault-injection tests: it reads one JSON command per line on
 * stdin, does it to real files the way programs and log rotators do, and answers
 * `ok <id> <json>` (or `err <id> <message>`) on stdout when it is done. The test decides what
 * happens when (rotate now, write half a line, then be SIGKILLed ...); the bytes written are
 * computed by ./iai-lines.ts, so the test knows them too.
 *   node --import tsx file-ops-writer-main.ts
 * Commands (see FileOp in ./file-ops.ts).
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { seededRandom } from "../../../shared/machine/prng";
import { logLine } from "./iai-lines";
import type { FileOp } from "./file-ops";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One write(2) of the whole buffer, O_APPEND (a fresh descriptor each time, as the iai daemon does). */
function appendBytes(file: string, bytes: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "a", 0o644);
  try {
    const buf = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
  } finally {
    fs.closeSync(fd);
  }
}

async function run(op: FileOp): Promise<unknown> {
  switch (op.op) {
    case "append": {
      const opts = { seed: op.seed ?? 1, pad: op.pad ?? "none", eventsEvery: op.eventsEvery ?? 0 } as const;
      const random = seededRandom(op.seed ?? 1);
      const mode = op.mode ?? "line";
      let bytes = 0;
      let burst = "";
      /** Writes of more than 64 KiB at once, and lines written in several pieces. */
      let bigWrites = 0;
      let splitLines = 0;
      const write = (text: Buffer | string): void => {
        if (Buffer.byteLength(text) > 64 * 1024) bigWrites++;
        appendBytes(op.file, text);
      };
      for (let n = op.from; n < op.from + op.count; n++) {
        const text = `${logLine(n, opts)}\n`;
        bytes += Buffer.byteLength(text);
        const how = mode === "mixed" ? (["line", "burst", "pieces"] as const)[Math.floor(random() * 3)] : mode;
        if (how === "burst") {
          burst += text;
          // A burst is flushed in one write once it is over 64 KiB (or at the end).
          if (Buffer.byteLength(burst) > 64 * 1024 + 1 || n === op.from + op.count - 1) {
            write(burst);
            burst = "";
          }
          continue;
        }
        if (burst) {
          write(burst);
          burst = "";
        }
        if (how === "pieces") {
          splitLines++;
          // The line in 2–4 writes, split at random byte offsets (inside UTF-8 characters too).
          const buf = Buffer.from(text);
          const cuts = [0, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * buf.length)).sort((a, b) => a - b), buf.length];
          for (let i = 0; i + 1 < cuts.length; i++) {
            const part = buf.subarray(cuts[i], cuts[i + 1]);
            if (part.length) write(part);
            if (op.pieceMs) await sleep(op.pieceMs);
          }
        } else write(text);
        if (op.pauseMs) await sleep(op.pauseMs);
      }
      if (burst) write(burst);
      return { bytes, size: fs.statSync(op.file).size, bigWrites, splitLines };
    }
    case "partial": {
      const text = Buffer.from(`${logLine(op.n, { seed: op.seed ?? 1, pad: op.pad ?? "none" })}\n`);
      appendBytes(op.file, text.subarray(0, op.bytes));
      return { written: op.bytes, of: text.length };
    }
    case "complete": {
      const text = Buffer.from(`${logLine(op.n, { seed: op.seed ?? 1, pad: op.pad ?? "none" })}\n`);
      appendBytes(op.file, text.subarray(op.bytes));
      return { written: text.length - op.bytes };
    }
    case "copytruncate":
      fs.copyFileSync(op.file, op.to);
      fs.truncateSync(op.file, 0);
      return { ino: fs.statSync(op.file).ino };
    case "truncate":
      fs.truncateSync(op.file, 0);
      return { ino: fs.statSync(op.file).ino };
    case "unlink":
      fs.unlinkSync(op.file);
      return {};
    case "rename":
      fs.renameSync(op.file, op.to);
      return {};
    case "exit":
      process.exit(0);
  }
}

const rl = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
rl.on("line", (text) => {
  if (!text.trim()) return;
  queue = queue.then(async () => {
    let op: FileOp;
    try {
      op = JSON.parse(text) as FileOp;
    } catch {
      process.stdout.write(`err ? not JSON: ${text}\n`);
      return;
    }
    try {
      const result = await run(op);
      process.stdout.write(`ok ${op.id} ${JSON.stringify(result)}\n`);
    } catch (err) {
      process.stdout.write(`err ${op.id} ${(err as Error).message.replace(/\n/g, " ")}\n`);
    }
  });
});
rl.on("close", () => void queue.then(() => process.exit(0)));
process.stdout.write("ready\n");
