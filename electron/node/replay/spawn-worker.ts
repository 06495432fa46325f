/**
 * Starts one of the backend's worker threads (the replay indexer). From a build
 * (the command line's bundle in dist/cli, the desktop app's in dist/electron) the worker is the
 * bundled `<name>.mjs`/`.cjs` file beside it; from the TypeScript sources (tests, a first run) it
 * is its .ts entry, loaded through tsx.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** Each worker: its bundled name, and its TypeScript entry (relative to this file). */
const WORKERS = {
  "replay-worker": "./worker-main.ts",
  "replay-reader": "./reader-main.ts",
} as const;

export type WorkerName = keyof typeof WORKERS;

/**
 * The indexer: a young generation as large as the main thread's (indexing makes many short-lived
 * objects). A reader: half that — two of them run beside the indexer, and a larger one buys little
 * time for much memory (measured: 16 MB each, 345 MB peak for the 1M-line benchmark; 32 MB, 385 MB).
 */
const OPTIONS: Record<WorkerName, { resourceLimits: { maxYoungGenerationSizeMb: number } }> = {
  "replay-worker": { resourceLimits: { maxYoungGenerationSizeMb: 32 } },
  "replay-reader": { resourceLimits: { maxYoungGenerationSizeMb: 16 } },
};

/** tsx's ESM loader API, as a file URL (the worker resolves nothing on its own). */
function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve("tsx/package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const rel = pkg.exports["./esm/api"]?.import.default ?? "./dist/esm/api/index.mjs";
  return pathToFileURL(path.join(path.dirname(pkgFile), rel)).href;
}

export function spawnWorker(name: WorkerName): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    const target = new URL(WORKERS[name], import.meta.url).href;
    const tsx = tsxLoaderUrl();
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`;
    return new Worker(boot, { eval: true, ...OPTIONS[name] });
  }
  // A bundle: the worker file sits beside it (or one folder up, from a chunk).
  for (const dir of [path.dirname(here), path.dirname(path.dirname(here))]) {
    for (const ext of [".mjs", ".cjs"]) {
      const file = path.join(dir, `${name}${ext}`);
      if (fs.existsSync(file)) return new Worker(file, OPTIONS[name]);
    }
  }
  throw new Error(`the ${name} is missing beside ${here}; rebuild with npm run build`);
}
