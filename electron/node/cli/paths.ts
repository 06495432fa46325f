import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { ChildLauncher } from "../demo/launcher";

/** The repository (or installed package) root, from this file's place in it. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const RENDERER_DIR = path.join(PACKAGE_ROOT, "dist", "renderer");

export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require(path.join(PACKAGE_ROOT, "package.json")) as { version: string }).version;
}

/** Run the demo daemon from its TypeScript source with the tsx loader. */
export function sourceDemoLauncher(): ChildLauncher {
  return {
    script: path.join(PACKAGE_ROOT, "electron", "node", "demo", "daemon-main.ts"),
    execArgv: ["--import", import.meta.resolve("tsx")],
    execPath: process.execPath,
  };
}
