/**
 * Drives the writer processes of the fault-injection suite: file-ops-writer-main.ts (commands on
 * stdin, answered when done) and state-writer-main.ts (atomic replaces at a fixed rate). Every
 * process started here is killed (by its pid) after the test if it is still running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach } from "vitest";
import type { PadProfile } from "./iai-lines";

export const WRITERS_DIR = import.meta.dirname;
const REPO = path.resolve(WRITERS_DIR, "..", "..", "..");

export type FileOp = { id: number } & (
  | {
      op: "append";
      file: string;
      /** Lines [from, from + count) of iai-lines.ts. */
      from: number;
      count: number;
      seed?: number;
      pad?: PadProfile;
      eventsEvery?: number;
      /** line: one write per line; burst: lines gathered into writes over 64 KiB; pieces: each line in 2–4 writes; mixed: any of them, seeded. */
      mode?: "line" | "burst" | "pieces" | "mixed";
      /** Pause after each line (line and pieces modes). */
      pauseMs?: number;
      /** Pause between the pieces of a line. */
      pieceMs?: number;
    }
  /** The first `bytes` bytes of line n (no newline): what a writer killed mid-write leaves. */
  | { op: "partial"; file: string; n: number; bytes: number; seed?: number; pad?: PadProfile }
  /** The rest of line n from byte `bytes`, newline included. */
  | { op: "complete"; file: string; n: number; bytes: number; seed?: number; pad?: PadProfile }
  /** logrotate's copytruncate: copy to `to`, then empty the file in place (same inode). */
  | { op: "copytruncate"; file: string; to: string }
  | { op: "truncate"; file: string }
  | { op: "unlink"; file: string }
  | { op: "rename"; file: string; to: string }
  | { op: "exit" }
);

type OpWithoutId = FileOp extends infer T ? (T extends FileOp ? Omit<T, "id"> : never) : never;

const live = new Set<ChildProcess>();

afterEach(() => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  live.clear();
});

/** Start `node --import tsx <script> ...args` from the repository (a real process). */
export function spawnTs(script: string, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

export interface FileOpsWriter {
  pid: number;
  /** Do one command; resolves with the writer's answer once it is done. */
  do(op: OpWithoutId, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** Close stdin and wait for a normal exit. */
  end(): Promise<void>;
}

export async function startFileOpsWriter(): Promise<FileOpsWriter> {
  const child = spawnTs(path.join(WRITERS_DIR, "file-ops-writer-main.ts"));
  let out = "";
  let err = "";
  const waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    let nl: number;
    while ((nl = out.indexOf("\n")) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line === "ready") {
        ready();
        continue;
      }
      const m = /^(ok|err) (\S+) ?(.*)$/.exec(line);
      const w = m ? waiting.get(Number(m[2])) : undefined;
      if (!m || !w) continue;
      waiting.delete(Number(m[2]));
      if (m[1] === "ok") w.resolve(JSON.parse(m[3] || "{}") as Record<string, unknown>);
      else w.reject(new Error(`writer: ${m[3]}`));
    }
  });
  child.once("exit", (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`writer exited (${code ?? signal}) ${err}`));
    waiting.clear();
  });
  const started = Date.now();
  await Promise.race([
    isReady,
    exited(child).then(() => {
      throw new Error(`writer exited before it was ready: ${err}`);
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`writer not ready after ${Date.now() - started} ms: ${err}`)), 30_000).unref()),
  ]);
  let nextId = 1;
  return {
    pid: child.pid as number,
    do(op, timeoutMs = 60_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`writer: ${op.op} not done after ${timeoutMs} ms`)), timeoutMs);
        waiting.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.stdin?.write(`${JSON.stringify({ ...op, id })}\n`);
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, "SIGKILL");
      await exited(child);
    },
    async end() {
      child.stdin?.end();
      await exited(child);
    },
  };
}

export interface StateWriterSpec {
  /** iai: lifecycle_state.json of a single daemon; ecluse: .ecluse/state.json with keyed sessions. */
  format: "iai" | "ecluse";
  file: string;
  /** Replaces per second (paced by the clock, not a busy loop). */
  rate: number;
  durationMs: number;
  /** Start numbering at (default 1). */
  from?: number;
}

/** Runs state-writer-main.ts to completion; resolves with the last write's number. */
export async function runStateWriter(spec: StateWriterSpec, onStart?: () => void): Promise<{ last: number; writes: number }> {
  const child = spawnTs(path.join(WRITERS_DIR, "state-writer-main.ts"), [JSON.stringify(spec)]);
  let out = "";
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    if (onStart && out.includes("started\n")) {
      const f = onStart;
      onStart = undefined;
      f();
    }
  });
  const { code, signal } = await exited(child);
  const m = /done (\d+) (\d+)/.exec(out);
  if (code !== 0 || !m) throw new Error(`state writer exited ${code ?? signal}: ${out}${err}`);
  return { last: Number(m[1]), writes: Number(m[2]) };
}
