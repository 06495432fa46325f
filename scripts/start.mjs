// `npm start`: build, then open the desktop app. Electron's binary is fetched here the first time
// (npm install does not run Electron's download: see .npmrc); where it cannot be, say why and what
// to run instead.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findElectronBinary } from "./electron-binary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs Electron's own installer (the download npm install skipped); true when it succeeded. */
function downloadElectron() {
  const installer = path.join(root, "node_modules", "electron", "install.js");
  if (!fs.existsSync(installer) || process.env.ELECTRON_OVERRIDE_DIST_PATH || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return false;
  const version = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "electron", "package.json"), "utf8")).version;
  process.stderr.write(`Downloading Electron ${version} (once; about 100 MB)…\n`);
  const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), stdio: ["ignore", "inherit", "pipe"], timeout: 10 * 60_000 });
  if (r.status === 0) return true;
  const why = (r.stderr?.toString() ?? "").split("\n").find((l) => /Error|ENOTFOUND|ECONN|EAI_AGAIN|timed out/i.test(l)) ?? (r.error ? r.error.message : `exit code ${r.status}`);
  process.stderr.write(`The download failed: ${why.trim()}\n`);
  return false;
}

let electron = findElectronBinary();
if (!electron.path && downloadElectron()) electron = findElectronBinary();
if (!electron.path) {
  process.stderr.write(
    [
      `FSM Inspector: cannot open the desktop app — ${electron.problem}.`,
      "  • On a machine that can reach Electron's download host, run npm start again (it downloads Electron once).",
      "  • Or point ELECTRON_OVERRIDE_DIST_PATH at a folder that holds an Electron build.",
      "  • Or run the same app in your browser: npm run serve",
      "",
    ].join("\n"),
  );
  process.exit(1);
}

const built = spawnSync(process.execPath, [path.join(root, "scripts/build.mjs")], { stdio: "inherit", cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);

const child = spawn(electron.path, [path.join(root, "dist/electron/main.cjs"), ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
