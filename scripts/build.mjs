// `npm run build`: the renderer (Vite) and the Electron bundles (esbuild).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const steps = [
  [path.join(root, "node_modules/vite/bin/vite.js"), ["build", "--logLevel", "warn"]],
  [path.join(root, "scripts/build-electron.mjs"), []],
];
for (const [script, args] of steps) {
  const r = spawnSync(process.execPath, [script, ...args], { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
