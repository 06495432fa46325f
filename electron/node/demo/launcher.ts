/**
 * Starts the demo daemon as a child process writing into a fresh temp folder, and stops it.
 * How to run the child depends on how we run: from TypeScript sources through tsx (CLI, serve
 * mode, tests), or from the bundle inside Electron (ELECTRON_RUN_AS_NODE). The caller says which.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ChildLauncher {
  /** The script to run (a .ts file under tsx, or a bundled .cjs). */
  script: string;
  /** Extra node options, e.g. ["--import", "<tsx loader URL>"]. */
  execArgv: string[];
  /** The executable (process.execPath: node, or Electron as node). */
  execPath: string;
  env?: Record<string, string>;
}

export interface DemoOptions {
  launcher: ChildLauncher;
  /** Folder to write into; a fresh temp folder when absent. */
  dir?: string;
  minMs?: number;
  maxMs?: number;
}

export interface RunningDemo {
  /** The data folder (like ~/.iai-mcp). */
  dir: string;
  pid: number;
  stop(): Promise<void>;
}

/** Start the demo; resolves once the child has written its first state file. */
export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  let root: string | undefined;
  let dir = opts.dir;
  if (!dir) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-inspector-demo-"));
    dir = path.join(root, ".iai-mcp");
    fs.mkdirSync(dir);
  }
  const args = ["--dir", dir, "--min-ms", String(opts.minMs ?? 1000), "--max-ms", String(opts.maxMs ?? 2000)];
  if (root) args.push("--cleanup", root);
  const child: ChildProcess = fork(opts.launcher.script, args, {
    execPath: opts.launcher.execPath,
    execArgv: opts.launcher.execArgv,
    env: { ...process.env, ...opts.launcher.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the demo daemon exited (code ${code}) before it started`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.once("message", () => {
      child.off("exit", onExit);
      resolve();
    });
  });
  const dataDir = dir;
  let stopping: Promise<void> | undefined;
  return {
    dir: dataDir,
    pid: child.pid ?? -1,
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
        await Promise.race([exited, timeout]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        if (root) fs.rmSync(root, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
