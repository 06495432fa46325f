/**
 * `fsm-inspector watch --json` and `check --json` as a user runs them: real processes, optionally
 * as another OS user (runuser, as root — for permission tests, since root is denied nothing).
 * The watch process's stdout is parsed line by line as it arrives; tests wait for counts.
 * Every process started here is stopped (by its pid) after the test if it is still running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach } from "vitest";
import { waitFor } from "./tmp";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const BIN = path.join(ROOT, "bin", "fsm-inspector.mjs");

/** One line of `watch --json` (README, `watch`). */
export interface WatchJsonLine {
  kind: "state" | "transition" | "lock" | "signal" | "warning" | "event";
  instance: string | null;
  ts: string | null;
  seq: number;
  file: string | null;
  line: number | null;
  state?: string;
  since?: string | null;
  from?: string;
  to?: string;
  event?: string | null;
  verdict?: string | null;
  name?: string;
  code?: string;
  message?: string;
  cleared?: boolean;
  fields?: Record<string, unknown>;
}

export interface CheckJson {
  profile: string;
  target: string;
  files: { file: string; kind: string; lines: number; bytes: number }[];
  instances: {
    id: string;
    finalState: string | null;
    transitions: { index: number; file: string; line: number | null; ts: string | null; from: string; to: string; event: string | null; verdict: string }[];
    counts: Record<string, number>;
    dwell: Record<string, { count: number; p50Ms: number; p95Ms: number; maxMs: number }>;
    edges: Record<string, number>;
    events: { file: string; line: number | null; ts: string | null; name: string }[];
  }[];
  gaps: { file: string; line: number | null; message: string; instance: string | null }[];
  errors: { file: string; line: number | null; message: string }[];
  notes: string[];
  conforms: boolean;
}

/** Processes to stop after each test, by pid: the spawned process and (under runuser) its node child. */
const live = new Map<ChildProcess, number[]>();
afterEach(() => {
  for (const [child, pids] of live) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    for (const pid of [...pids].reverse()) {
      try {
        process.kill(pid, "SIGCONT");
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  live.clear();
});

function command(args: string[], user: string | undefined): [string, string[]] {
  return user ? ["runuser", ["-u", user, "--", process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
}

/** The node process of a command started through runuser (its child), or the process itself. */
function nodePid(pid: number): number {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    if (kids.length === 1 && kids[0] !== undefined) return kids[0];
  } catch {
    // gone, or no children file
  }
  return pid;
}

export interface WatchProcess {
  /** The fsm-inspector node process (not runuser's). */
  readonly pid: number;
  readonly lines: WatchJsonLine[];
  /** stdout lines that were not JSON (must stay empty). */
  readonly garbage: string[];
  stderr(): string;
  transitions(): WatchJsonLine[];
  warnings(code?: string): WatchJsonLine[];
  /** Poll the parsed lines until `probe` returns something (not undefined/false). */
  until<T>(probe: (lines: WatchJsonLine[]) => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  /** SIGSTOP / SIGCONT: freeze the watcher while files change under it. */
  pause(): void;
  resume(): void;
  /** Ctrl+C, and wait for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Descriptors the watcher holds now (/proc/PID/fd), with their targets. */
  fds(): string[];
}

export async function startWatch(args: string[], opts: { user?: string } = {}): Promise<WatchProcess> {
  const [cmd, argv] = command(["watch", ...args], opts.user);
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  live.set(child, [child.pid as number]);
  const lines: WatchJsonLine[] = [];
  const garbage: string[] = [];
  let buf = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        lines.push(JSON.parse(text) as WatchJsonLine);
      } catch {
        garbage.push(text);
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const pid = opts.user ? await waitFor(() => (nodePid(child.pid as number) !== child.pid ? nodePid(child.pid as number) : undefined), "the watch process under runuser", 10_000) : (child.pid as number);
  if (pid !== child.pid) live.set(child, [child.pid as number, pid]);
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const self: WatchProcess = {
    pid,
    lines,
    garbage,
    stderr: () => err,
    transitions: () => lines.filter((l) => l.kind === "transition"),
    warnings: (code) => lines.filter((l) => l.kind === "warning" && !l.cleared && (code === undefined || l.code === code)),
    until(probe, what, timeoutMs = 30_000) {
      return waitFor(
        () => {
          const v = probe(lines);
          if (v !== undefined && v !== false) return v;
          if (!alive()) throw new Error(`watch exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}:\n${err}`);
          return undefined;
        },
        `${what} (watch printed ${lines.length} lines; stderr: ${err.slice(0, 2000)})`,
        timeoutMs,
        25,
      );
    },
    pause: () => process.kill(pid, "SIGSTOP"),
    resume: () => process.kill(pid, "SIGCONT"),
    async stop() {
      if (alive()) {
        process.kill(pid, "SIGCONT");
        process.kill(pid, "SIGINT");
      }
      const timer = setTimeout(() => alive() && process.kill(pid, "SIGKILL"), 15_000);
      const r = await exit;
      clearTimeout(timer);
      return { ...r, stderr: err };
    },
    fds() {
      const dir = `/proc/${pid}/fd`;
      const out: string[] = [];
      for (const fd of fs.readdirSync(dir)) {
        try {
          out.push(fs.readlinkSync(path.join(dir, fd)));
        } catch {
          // closed while we looked
        }
      }
      return out;
    },
  };
  return self;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command to completion (optionally as another user), with a timeout. */
export function runCli(args: string[], opts: { user?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const [cmd, argv] = command(args, opts.user);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    live.set(child, [child.pid as number]);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      // Under runuser, kill its node child first (it would outlive runuser).
      const pid = child.pid as number;
      for (const p of [nodePid(pid), pid]) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // gone
        }
      }
      reject(new Error(`fsm-inspector ${args.join(" ")} timed out\n${stderr}`));
    }, opts.timeoutMs ?? 90_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `check --json` on a file or folder; fails with the output when it is not one JSON document. */
export async function checkJson(target: string, extra: string[] = [], opts: { user?: string } = {}): Promise<{ run: CliRun; report: CheckJson }> {
  const run = await runCli(["check", target, "--json", ...extra], opts);
  try {
    return { run, report: JSON.parse(run.stdout) as CheckJson };
  } catch {
    throw new Error(`check --json did not print a JSON document (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\n${run.stderr}`);
  }
}
