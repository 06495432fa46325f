/**
 * The command line runs prebuilt (dist/cli/<fingerprint>/), one chunk per command, and is built
 * again when a source changes — so an edit is never run stale, and `step` loads no server code.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundleEntry, fingerprint } from "../../scripts/cli-bundle.mjs";
import { ROOT } from "../helpers/cli";

const bin = path.join(ROOT, "bin", "fsm-inspector.mjs");
const run = (...args: string[]): { status: number | null; stdout: string } => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout };
};

describe("prebuilt command line", () => {
  it("runs from the bundle of the current sources, and builds a new one when a source changes", () => {
    expect(run("--version").status).toBe(0);
    const entry = bundleEntry();
    expect(fs.existsSync(entry)).toBe(true);

    const source = path.join(ROOT, "electron/node/cli/help.ts");
    const before = fs.statSync(source);
    const printBefore = fingerprint();
    try {
      fs.utimesSync(source, before.atime, new Date(before.mtimeMs + 5000));
      const printAfter = fingerprint();
      expect(printAfter).not.toBe(printBefore);
      const r = run("step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "idle_5min", "--json");
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ next: "DROWSY", outcome: "taken" });
      expect(fs.existsSync(bundleEntry(printAfter))).toBe(true);
    } finally {
      fs.utimesSync(source, before.atime, before.mtime);
    }
  });

  it("keeps each command in its own chunk: step's never imports the server, ws or pg", () => {
    run("--version");
    const dir = path.join(path.dirname(bundleEntry()), "chunks");
    const stepChunk = fs.readdirSync(dir).find((n) => n.startsWith("step-"));
    expect(stepChunk).toBeDefined();
    // Everything the step chunk loads, transitively.
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      for (const m of text.matchAll(/from "\.\/([\w-]+\.mjs)"|import\("\.\/([\w-]+\.mjs)"\)/g)) if (m[1]) visit(m[1]);
    };
    visit(stepChunk as string);
    const loaded = [...seen].map((n) => fs.readFileSync(path.join(dir, n), "utf8")).join("\n");
    expect(loaded).not.toMatch(/WebSocketServer|node_modules\/pg\/|createGunzip/);
    expect(loaded).toContain("node_modules/xstate/");
  });
});
