// Where is the Electron binary? Honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** @returns {{ path?: string, problem?: string }} */
export function findElectronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let candidate;
  try {
    candidate = require("electron");
  } catch {
    if (override) candidate = path.join(override, process.platform === "win32" ? "electron.exe" : process.platform === "darwin" ? "Electron.app/Contents/MacOS/Electron" : "electron");
    else return { problem: "the electron package has no downloaded binary (node_modules/electron/dist is missing)" };
  }
  if (typeof candidate !== "string" || !fs.existsSync(candidate)) {
    return { problem: override ? `ELECTRON_OVERRIDE_DIST_PATH=${override} has no Electron binary (${candidate})` : `no Electron binary at ${candidate}` };
  }
  return { path: candidate };
}
