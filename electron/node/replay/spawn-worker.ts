/**
 * Starts a replay worker thread. From a build (the command line's bundle in dist/cli, the desktop
 * app's in dist/electron) the worker is the bundled replay-worker file beside it; from the
 * TypeScript sources (tests, a first run) it is worker-main.ts, loaded through tsx.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const BUNDLED = ["replay-worker.mjs", "replay-worker.cjs"];

/** A young generation as large as the main thread's: indexing makes many short-lived objects. */
const WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 32 } };

/** tsx's ESM loader API, as a file URL (the worker resolves nothing on its own). */
function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve("tsx/package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const rel = pkg.exports["./esm/api"]?.import.default ?? "./dist/esm/api/index.mjs";
  return pathToFileURL(path.join(path.dirname(pkgFile), rel)).href;
}

export function spawnReplayWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    const target = new URL("./worker-main.ts", import.meta.url).href;
    const tsx = tsxLoaderUrl();
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`;
    return new Worker(boot, { eval: true, ...WORKER_OPTIONS });
  }
  // A bundle: the worker file sits beside it (or one folder up, from a chunk).
  for (const dir of [path.dirname(here), path.dirname(path.dirname(here))]) {
    for (const name of BUNDLED) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return new Worker(file, WORKER_OPTIONS);
    }
  }
  throw new Error(`the replay worker is missing beside ${here}; rebuild with npm run build`);
}
