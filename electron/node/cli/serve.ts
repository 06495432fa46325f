import fs from "node:fs";
import path from "node:path";
import { createBackend, type Backend } from "../backend";
import { serve, type RunningServer } from "../server/server";
import { flagInt, flagString, UsageError, type ParsedArgs } from "./args";
import { PACKAGE_ROOT, RENDERER_DIR, packageVersion, sourceDemoLauncher } from "./paths";
import { openInBrowser } from "./open-browser";

/** Build the UI once if this checkout has not built it yet. */
async function ensureRenderer(): Promise<void> {
  if (fs.existsSync(path.join(RENDERER_DIR, "index.html"))) return;
  process.stderr.write("Building the UI once (dist/renderer)…\n");
  const vite = await import("vite");
  await vite.build({ configFile: path.join(PACKAGE_ROOT, "vite.config.ts"), logLevel: "warn" });
}

function parseInterval(text: string | undefined): { minMs: number; maxMs: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`--demo-interval must look like 1000:2000 (milliseconds), got "${text}"`);
  const minMs = Number(m[1]);
  const maxMs = Number(m[2] ?? m[1]);
  if (minMs < 50 || maxMs < minMs) throw new UsageError(`--demo-interval: need 50 ≤ MIN ≤ MAX, got "${text}"`);
  return { minMs, maxMs };
}

/** The backend and server of serve mode, running. */
export interface Serving {
  backend: Backend;
  server: RunningServer;
}

/** Starts the server for `backend` on `port` (0: a free one); the backend is disposed if it cannot listen. */
export async function startServer(backend: Backend, port: number): Promise<Serving> {
  await ensureRenderer();
  try {
    return { backend, server: await serve({ backend, rendererDir: RENDERER_DIR, port }) };
  } catch (err) {
    await backend.dispose();
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") throw new UsageError(`port ${port} is already in use; choose another with --port, or leave it out for a free one`);
    throw err;
  }
}

/** Runs until Ctrl+C (or SIGTERM), then closes the server and every session. */
export function untilStopped({ backend, server }: Serving): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        await server.close();
        await backend.dispose();
        resolve();
      })();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

export async function runServe(args: ParsedArgs): Promise<number> {
  const port = flagInt(args, "port", 0) ?? 0;
  const interval = parseInterval(flagString(args, "demo-interval"));
  const demoDir = flagString(args, "demo-dir");
  const demo: Parameters<typeof createBackend>[0]["demo"] = { launcher: sourceDemoLauncher(), ...interval };
  if (demoDir) {
    fs.mkdirSync(demoDir, { recursive: true });
    demo.dir = path.resolve(demoDir);
  }
  const serving = await startServer(createBackend({ mode: "serve", version: packageVersion(), demo }), port);
  const { backend, server } = serving;
  if (!args.flags.has("no-demo")) await backend.handlers.openDemo(null);

  process.stdout.write(`FSM Inspector is serving on ${server.url}\n`);
  const folder = backend.demoFolder();
  if (folder) process.stdout.write(`Demo daemon writing to ${folder}\n`);
  process.stdout.write("Open the URL above in a browser. Press Ctrl+C to stop.\n");
  if (args.flags.has("open")) openInBrowser(server.url);
  await untilStopped(serving);
  return 0;
}
