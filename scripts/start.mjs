// `npm start`: build, then open the desktop app — or say clearly why it cannot.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findElectronBinary } from "./electron-binary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const electron = findElectronBinary();
if (!electron.path) {
  process.stderr.write(
    [
      `FSM Inspector: cannot open the desktop app — ${electron.problem}.`,
      "  • On a machine with network access, reinstall Electron: npm install electron",
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
