import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { ChildLauncher } from "../demo/launcher";

/** The repository (or installed package) root: the nearest folder up holding our package.json (from the sources or a bundle in dist/). */
export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "fsm-inspector") return dir;
    } catch {
      // not here
    }
    if (path.dirname(dir) === dir) return path.resolve(from, "../../..");
  }
}
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
