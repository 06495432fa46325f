// The prebuilt command line (dist/cli/<fingerprint>/): bundled by esbuild from electron/node/cli,
// one chunk per command so each loads only what it needs. Built by `npm install` (prepare) or
// on first run; a bundle whose sources changed since is stale and built again.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The bundling options themselves count too: a change to them (a new external) rebuilds.
const SOURCES = ["shared", "electron/node", "package.json", "scripts/cli-bundle.mjs"];
const EXTS = new Set([".ts", ".json", ".mjs"]);

/** A cheap fingerprint of the sources: every file's path, size and modification time (FNV-1a, 2 × 32 bits). */
export function fingerprint() {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const mix = (text) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c, 0x85ebca6b) >>> 0;
    }
  };
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (EXTS.has(path.extname(e.name))) {
        const st = fs.statSync(p, { throwIfNoEntry: false });
        if (st) mix(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const s of SOURCES) {
    const p = path.join(ROOT, s);
    if (s.endsWith(".json") || s.endsWith(".mjs")) {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      if (st) mix(`${p}\0${st.size}\0${st.mtimeMs}\n`);
    } else walk(p);
  }
  return `${a.toString(16).padStart(8, "0")}${b.toString(16).padStart(8, "0")}`;
}

export function bundleEntry(print = fingerprint()) {
  return path.join(ROOT, "dist", "cli", print, "main.mjs");
}

/**
 * Bundles entry points for Node as the app ships them: ESM, one chunk per lazily imported module,
 * native and optional modules left in node_modules. Also used by the benchmarks.
 */
export async function bundleEsm(entryPoints, outdir) {
  const { build } = await import("esbuild");
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
    // Native or optional modules, and the UI build tool, stay in node_modules.
    external: ["electron", "koffi", "bufferutil", "utf-8-validate", "pg-native", "vite", "tsx", "esbuild", "@resvg/resvg-js", "subset-font"],
    // CommonJS dependencies bundled into ESM still call require() for Node's own modules.
    banner: { js: 'import { createRequire as __fsmCreateRequire } from "node:module"; const require = __fsmCreateRequire(import.meta.url);' },
  });
}

/** Builds the bundle for the current sources (atomically: a temp folder renamed into place). */
export async function buildCli() {
  const print = fingerprint();
  const entry = bundleEntry(print);
  if (fs.existsSync(entry)) return entry;
  const outRoot = path.join(ROOT, "dist", "cli");
  const tmp = path.join(outRoot, `${print}.tmp-${process.pid}`);
  await bundleEsm({ main: path.join(ROOT, "electron/node/cli/entry.ts"), "replay-worker": path.join(ROOT, "electron/node/replay/worker-main.ts"), "replay-reader": path.join(ROOT, "electron/node/replay/reader-main.ts") }, tmp);
  try {
    fs.renameSync(tmp, path.dirname(entry));
  } catch {
    // Built meanwhile by another process: use that one.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // Older bundles are of older sources: remove them (best effort; one may still be running).
  for (const name of fs.readdirSync(outRoot)) {
    if (name !== print && !name.includes(".tmp-")) fs.rmSync(path.join(outRoot, name), { recursive: true, force: true });
  }
  return entry;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const entry = await buildCli();
  process.stdout.write(`built ${path.relative(ROOT, entry)}\n`);
}
