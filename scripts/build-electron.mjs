// Bundles Electron main, the sandboxed preload and the demo daemon into dist/electron/*.cjs.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // Native or optional modules stay in node_modules.
  external: ["electron", "koffi", "bufferutil", "utf-8-validate", "pg-native", "@resvg/resvg-js", "subset-font"],
  // ESM sources use import.meta.url; give the CommonJS bundle the file's own URL.
  define: { "import.meta.url": "__importMetaUrl" },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, "electron/main/main.ts")], outfile: path.join(root, "dist/electron/main.cjs") }),
  build({ ...common, entryPoints: [path.join(root, "electron/preload/preload.ts")], outfile: path.join(root, "dist/electron/preload.cjs") }),
  build({ ...common, entryPoints: [path.join(root, "electron/node/demo/daemon-main.ts")], outfile: path.join(root, "dist/electron/demo-daemon.cjs") }),
  build({ ...common, entryPoints: [path.join(root, "electron/node/replay/worker-main.ts")], outfile: path.join(root, "dist/electron/replay-worker.cjs") }),
  build({ ...common, entryPoints: [path.join(root, "electron/node/replay/reader-main.ts")], outfile: path.join(root, "dist/electron/replay-reader.cjs") }),
]);
