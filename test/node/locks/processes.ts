/**
 * Real processes that hold real locks, for the lock-probe tests: util-linux `flock` and a Python
 * `fcntl.lockf` holder, each in its own process group so cleanup kills the holder and the `sleep`
 * that inherited its lock.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { afterEach } from "vitest";
import { parseProcLocks, procLocksDevice, type ProcLockEntry } from "../../../shared/trace/proc-locks";
import { waitFor } from "../../helpers/tmp";

const started: ChildProcess[] = [];

/** Kill a holder and everything it started (its process group). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

afterEach(() => {
  for (const c of started.splice(0)) killGroup(c);
});

function track(child: ChildProcess): ChildProcess {
  started.push(child);
  child.on("error", () => undefined);
  return child;
}

/** `flock -x|-s <file> sleep 60`, in its own process group. */
export function flockHolder(file: string, mode: "-x" | "-s"): ChildProcess {
  return track(spawn("flock", [mode, file, "sleep", "60"], { detached: true, stdio: "ignore" }));
}

/** A POSIX (fcntl) exclusive lock held by Python; resolves once Python says it holds it. */
export function posixHolder(file: string): Promise<ChildProcess> {
  const script = "import fcntl,time,sys; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)";
  return spawnUntilLocked(["python3", "-c", script, file], file);
}

/**
 * An open-file-description (OFD) lock, `fcntl(F_OFD_SETLK)`, held by Python: /proc/locks names no
 * process for it (pid -1). The struct flock layout is the one of 64-bit Linux.
 */
export async function ofdHolder(file: string, mode: "exclusive" | "shared"): Promise<ChildProcess> {
  const type = mode === "exclusive" ? "fcntl.F_WRLCK" : "fcntl.F_RDLCK";
  const script = `import fcntl,struct,time,sys; f=open(sys.argv[1],'r+'); fcntl.fcntl(f, 37, struct.pack('hhqqi', ${type}, 0, 0, 0, 0)); print('locked', flush=True); time.sleep(60)`;
  return spawnUntilLocked(["python3", "-c", script, file], file);
}

function spawnUntilLocked(argv: string[], file: string): Promise<ChildProcess> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error("no command");
  const child = track(spawn(cmd, args, { detached: true, stdio: ["ignore", "pipe", "inherit"] }));
  return new Promise<ChildProcess>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("locked")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`${cmd} lock holder exited with ${code} before locking ${file}`)));
  });
}

/** A process that sleeps with `file` open on its stdin (holding no lock). */
export function openHolder(file: string): ChildProcess {
  const fd = fs.openSync(file, "r");
  try {
    return track(spawn("sleep", ["60"], { detached: true, stdio: [fd, "ignore", "ignore"] }));
  } finally {
    fs.closeSync(fd);
  }
}

/** Exit of a child that was started to exit on its own. */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.on("exit", () => resolve());
  });
}

/** What /proc/locks itself says about `file` right now (read by the test, not by the probe). */
export function procLocksFor(file: string): ProcLockEntry[] {
  const st = fs.statSync(file, { bigint: true });
  const dev = procLocksDevice(st.dev);
  return parseProcLocks(fs.readFileSync("/proc/locks", "utf8")).filter((e) => e.inode === st.ino.toString() && `${e.major}:${e.minor}` === dev);
}

/** Wait until /proc/locks shows `n` held (or blocked, with `blocked`) locks on `file`. */
export function waitForProcLocks(file: string, n: number, blocked = false): Promise<ProcLockEntry[]> {
  return waitFor(() => {
    const entries = procLocksFor(file).filter((e) => e.blocked === blocked);
    return entries.length === n ? entries : undefined;
  }, `${n} ${blocked ? "blocked" : "held"} lock(s) on ${file} in /proc/locks`);
}

/** The pids of `pid` and all its descendants (from /proc/PID/task/TID/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    if (p === undefined) continue;
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}
