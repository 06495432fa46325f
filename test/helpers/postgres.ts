/**
 * A throwaway PostgreSQL server for integration tests: a fresh cluster (initdb) in a temp folder,
 * listening only on 127.0.0.1 on a free port, trust authentication, fsync off. As root it runs as
 * an unprivileged OS user (`postgres` when it exists, else `nobody`), since postgres refuses root.
 * Skips (with a reason to print) only when the server binaries are not installed.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (superuser, trust auth). */
  url: string;
  host: string;
  port: number;
  /** The cluster's data folder (pg_hba.conf, postgresql.conf, postmaster.pid). */
  dataDir: string;
  /** The server's log (every statement when started with `logStatements`). */
  logFile: string;
  /** The PostgreSQL version's bin folder used. */
  binDir: string;
  /** The postmaster's pid while it runs (from postmaster.pid), else undefined. */
  pid(): number | undefined;
  /** Stop the server but keep the cluster, to `resume()` it later on the same port. */
  halt(mode?: "fast" | "immediate"): Promise<void>;
  /** Start the halted server again (same data folder, same port). */
  resume(): Promise<void>;
  /** Run a shell-free command as the cluster's OS user (psql, pg_ctl ...), from the bin folder. */
  run(tool: string, args: string[]): Promise<RunResult>;
  /** Stop the server (immediate) and remove its folder. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Log every statement with the application name and pid (`log_statement = all`). */
  logStatements?: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where the server binaries are: the newest /usr/lib/postgresql/N/bin, then PATH. */
export function findPostgresBinDir(): string | undefined {
  const has = (dir: string): boolean => ["initdb", "pg_ctl", "postgres"].every((t) => isExecutable(path.join(dir, t)));
  const base = "/usr/lib/postgresql";
  let versions: string[] = [];
  try {
    versions = fs.readdirSync(base).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    // not a Debian-style layout
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(base, v, "bin");
    if (has(dir)) return dir;
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && has(dir)) return dir;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** The unprivileged OS user that owns and runs the cluster when we are root. */
function clusterUser(): { name: string; uid: number; gid: number } {
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error("running as root, but neither the postgres nor the nobody OS user exists to run PostgreSQL (it refuses root)");
}

function runCommand(argv: string[], opts: { cwd: string; user?: string | undefined; timeoutMs?: number }): Promise<RunResult> {
  const [cmd, ...args] = opts.user ? ["runuser", "-u", opts.user, "--", ...argv] : argv;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function readPid(dataDir: string): number | undefined {
  try {
    const first = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Servers still running when the test process exits are killed (SIGQUIT = immediate shutdown). */
const running = new Map<string, () => void>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const kill of running.values()) kill();
  });
}

/**
 * Start a fresh server. `{ skipped }` only when PostgreSQL is not installed; any other failure
 * (initdb, start) throws with the server's own output.
 */
export async function startPostgres(opts: StartOptions = {}): Promise<PostgresServer | { skipped: string }> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    return {
      skipped:
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) are not under /usr/lib/postgresql/*/bin nor on PATH; " +
        "install the postgresql package (apt-get install postgresql) to run these tests",
    };
  }
  const user = isRoot ? clusterUser() : undefined;
  // As root, /tmp (world-traversable) rather than a TMPDIR the cluster user might not reach.
  const root = fs.mkdtempSync(path.join(isRoot ? "/tmp" : os.tmpdir(), "fsm-pg-"));
  const dataDir = path.join(root, "data");
  const socketDir = path.join(root, "sock");
  const logFile = path.join(root, "server.log");
  fs.mkdirSync(socketDir);
  if (user) {
    for (const p of [root, socketDir]) fs.chownSync(p, user.uid, user.gid);
  }
  fs.chmodSync(root, 0o700);
  const as = user?.name;
  const tool = (t: string): string => path.join(binDir, t);
  const run = (t: string, args: string[]): Promise<RunResult> => runCommand([tool(t), ...args], { cwd: root, user: as });
  const removeDir = (): void => fs.rmSync(root, { recursive: true, force: true });

  try {
    const init = await run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.stderr}${init.stdout}`);
  } catch (err) {
    removeDir();
    throw err;
  }
  // Loopback and the private socket only, trust.
  fs.writeFileSync(path.join(dataDir, "pg_hba.conf"), "# throwaway test cluster\nlocal all all trust\nhost  all all 127.0.0.1/32 trust\n");
  if (user) fs.chownSync(path.join(dataDir, "pg_hba.conf"), user.uid, user.gid);

  let port = 0;
  const writeConf = (): void => {
    const conf = [
      "",
      "# fsm-inspector test cluster",
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${socketDir}'`,
      "fsync = off",
      "synchronous_commit = off",
      "full_page_writes = off",
      "max_connections = 40",
      "shared_buffers = 16MB",
      ...(opts.logStatements ? ["log_statement = 'all'", "log_line_prefix = '%m [%p] app=[%a] '"] : []),
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dataDir, "postgresql.auto.conf"), `# Do not edit this file manually!\n${conf}`);
    if (user) fs.chownSync(path.join(dataDir, "postgresql.auto.conf"), user.uid, user.gid);
  };

  const start = async (): Promise<void> => {
    const r = await run("pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "start"]);
    if (r.code !== 0) {
      let log = "";
      try {
        log = fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
      } catch {
        // no log yet
      }
      throw new Error(`pg_ctl start failed (exit ${r.code}) on port ${port}:\n${r.stderr}${r.stdout}\n${log}`);
    }
    const pid = readPid(dataDir);
    if (pid !== undefined) {
      installExitHook();
      running.set(root, () => {
        try {
          process.kill(pid, "SIGQUIT");
        } catch {
          // already gone
        }
        removeDir();
      });
    }
    await waitUntilAccepting(`postgres://postgres@127.0.0.1:${port}/postgres`);
  };

  // A free port can be taken between our probe and the server's bind: try a few.
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    port = await freePort();
    writeConf();
    try {
      await start();
      lastErr = undefined;
      break;
    } catch (err) {
      lastErr = err;
    }
  }
  if (lastErr !== undefined) {
    removeDir();
    throw lastErr;
  }

  const stopServer = async (mode: "fast" | "immediate"): Promise<void> => {
    if (readPid(dataDir) === undefined) return;
    const pid = readPid(dataDir);
    const r = await run("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
    if (r.code !== 0 && pid !== undefined && processAlive(pid)) throw new Error(`pg_ctl stop failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    // pg_ctl returns when postmaster.pid is gone; wait for the process itself too.
    if (pid !== undefined) {
      const end = Date.now() + 10_000;
      while (processAlive(pid) && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    }
  };

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: "127.0.0.1",
    port,
    dataDir,
    logFile,
    binDir,
    pid: () => readPid(dataDir),
    halt: (mode = "fast") => stopServer(mode),
    resume: start,
    run,
    stop: async () => {
      try {
        await stopServer("immediate");
      } finally {
        running.delete(root);
        removeDir();
      }
    },
  };
}

async function waitUntilAccepting(url: string): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > end) throw new Error(`PostgreSQL at ${url} does not accept connections: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Run a SQL file (several statements) against the server, e.g. test/fixtures/duckgres/schema.sql. */
export async function loadSchema(url: string, file: string, replaceSchema?: string): Promise<void> {
  let sql = fs.readFileSync(file, "utf8");
  if (replaceSchema !== undefined) sql = sql.replaceAll('"cp_runtime"', `"${replaceSchema.replaceAll('"', '""')}"`).replaceAll("cp_runtime", replaceSchema);
  await withClient(url, (c) => c.query(sql).then(() => undefined));
}

/** A short-lived client (text values as the server prints them), ended afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The path of a file in the repo's test fixtures. */
export function fixture(...parts: string[]): string {
  return path.join(import.meta.dirname, "..", "fixtures", ...parts);
}
