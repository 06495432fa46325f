/**
 * The backend of fleet.* in a process of its own (so its memory is its own): serve mode as
 * `fsm-inspector serve --no-demo` runs it — createBackend, serve with the built UI — watching the
 * fleet's folder with bench/fleet-profile.json.
 *
 *   fleet-server <dataDir> <profileFile> <cacheDir> <configDir>
 *
 * Neither `serve` nor the backend's openFolder takes a profile file (openFolder's profileId must
 * be a built-in one), so the profile, loaded and checked by the CLI's own loader, is added to the
 * built-in list of this process before the backend starts; nothing else differs from serve mode.
 * The session is opened by the server itself (as serve opens its demo), so no client owns it.
 * Prints one JSON line `{url, port, token, sessionId}`. Standard input: `gc` → a forced garbage
 * collection (run with --expose-gc), answered `{"gc": true, heapUsed}`; `profile MS` → a CPU
 * profile of this process over MS milliseconds, answered `{"profile": <the V8 profile>}`.
 * SIGTERM: closes and exits.
 */
import inspector from "node:inspector";
import path from "node:path";
import readline from "node:readline";
import { createBackend } from "../electron/node/backend";
import { RENDERER_DIR, sourceDemoLauncher } from "../electron/node/cli/paths";
import { loadProfileFile } from "../electron/node/target/profile-file";
import { serve } from "../electron/node/server/server";
import { BUILTIN_PROFILES } from "../shared/profiles";
import type { Profile } from "../shared/profiles/profile";

const [dataDir, profileFile, cacheDir, configDir] = process.argv.slice(2);
if (!dataDir || !profileFile || !cacheDir || !configDir) throw new Error("usage: fleet-server <dataDir> <profileFile> <cacheDir> <configDir>");

const profile = await loadProfileFile(path.resolve(profileFile), profileFile, (w) => process.stderr.write(`${w}\n`));
if (!BUILTIN_PROFILES.some((p) => p.id === profile.id)) (BUILTIN_PROFILES as Profile[]).push(profile);

const backend = createBackend({ mode: "serve", version: "bench", demo: { launcher: sourceDemoLauncher() }, cacheDir, configDir });
const server = await serve({ backend, rendererDir: RENDERER_DIR });
const summary = await backend.handlers.openFolder({ path: dataDir, profileId: profile.id });
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, token: server.token, sessionId: summary.id })}\n`);

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (l) => {
  const [command, arg] = l.trim().split(/\s+/);
  if (command === "gc") {
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(`${JSON.stringify({ gc: true, heapUsed: process.memoryUsage().heapUsed })}\n`);
  } else if (command === "profile") {
    void cpuProfile(Number(arg)).then((p) => process.stdout.write(`${JSON.stringify({ profile: p })}\n`));
  }
});

async function cpuProfile(ms: number): Promise<unknown> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string): Promise<unknown> => new Promise((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  try {
    await post("Profiler.enable");
    await post("Profiler.start");
    await new Promise((r) => setTimeout(r, ms));
    return ((await post("Profiler.stop")) as { profile: unknown }).profile;
  } finally {
    session.disconnect();
  }
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  rl.close();
  void (async () => {
    await server.close();
    await backend.dispose();
    process.exit(0);
  })();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
