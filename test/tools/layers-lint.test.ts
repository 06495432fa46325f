/**
 * The import rules of DESIGN.md are enforced by lint: each layer may only import what its folder
 * allows. The rule is run by ESLint itself on real paths of this repo.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import { FOLDERS } from "../../tools/eslint-plugin-layers.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const eslint = new ESLint({ cwd: ROOT });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "layers/imports").map((m) => m.message);
}

describe("layer import rules", () => {
  it.each([
    ["shared/machine/x.ts", 'import fs from "node:fs";\nvoid fs;', /no Node built-ins/],
    ["shared/machine/x.ts", 'import { createRoot } from "react-dom/client";\nvoid createRoot;', /only import pure libraries/],
    ["shared/machine/x.ts", 'import { serve } from "../../electron/node/server/server";\nvoid serve;', /cannot import from node/],
    ["electron/node/x.ts", 'import { app } from "electron";\nvoid app;', /never imports electron/],
    ["electron/node/x.ts", 'import { App } from "../../renderer/src/app/App";\nvoid App;', /cannot import from renderer/],
    ["renderer/src/x.ts", 'import fs from "fs";\nvoid fs;', /no Node built-ins/],
    ["renderer/src/x.ts", 'import { ipcRenderer } from "electron";\nvoid ipcRenderer;', /never imports electron/],
    ["renderer/src/x.ts", 'import { createBackend } from "../../electron/node/backend";\nvoid createBackend;', /cannot import from node/],
    ["renderer/src/x.ts", 'import { WebSocketServer } from "ws";\nvoid WebSocketServer;', /Node-only library/],
    ["electron/preload/x.ts", 'import fs from "node:fs";\nvoid fs;', /only imports electron and shared/],
    ["electron/main/x.ts", 'import { App } from "../../renderer/src/app/App";\nvoid App;', /cannot import from renderer/],
    // Folders inside a layer import downwards only.
    ["shared/machine/x.ts", 'import { parseIsoMs } from "../trace/time";\nvoid parseIsoMs;', /shared\/machine\/ may not import shared\/trace\//],
    ["electron/node/check/x.ts", 'import { TraceSession } from "../session/trace-session";\nvoid TraceSession;', /electron\/node\/check\/ may not import electron\/node\/session\//],
    ["electron/node/replay/x.ts", 'import { createBackend } from "../backend";\nvoid createBackend;', /may not import the files of electron\/node\//],
    ["renderer/src/store/x.ts", 'import { App } from "../app/App";\nvoid App;', /renderer\/src\/store\/ may not import renderer\/src\/app\//],
    ["renderer/src/newfolder/x.ts", 'import { useStore } from "../store/store";\nvoid useStore;', /is not in the folder rules/],
  ])("%s: %s is refused", async (file, code, why) => {
    const messages = await lint(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(why);
  });

  it.each([
    ["shared/machine/x.ts", 'import { createMachine } from "xstate";\nimport type { Json } from "./definition";\nvoid createMachine;\nexport type J = Json;'],
    ["electron/node/x.ts", 'import fs from "node:fs";\nimport { step } from "../../shared/machine/step";\nvoid fs; void step;'],
    ["electron/main/x.ts", 'import { app } from "electron";\nimport { createBackend } from "../node/backend";\nvoid app; void createBackend;'],
    ["renderer/src/x.ts", 'import { ReactFlow } from "@xyflow/react";\nimport { step } from "../../shared/machine/step";\nvoid ReactFlow; void step;'],
    ["test/x.test.ts", 'import fs from "node:fs";\nimport { createBackend } from "../electron/node/backend";\nvoid fs; void createBackend;'],
    ["electron/node/session/x.ts", 'import { readTarget } from "../check/read-target";\nvoid readTarget;'],
    ["renderer/src/features/x.ts", 'import { useStore } from "../store/store";\nvoid useStore;'],
  ])("%s: allowed imports pass", async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });

  it.each(Object.entries(FOLDERS))("%s: the folder table has no cycle, and names every folder there is", (layer, table) => {
    const may: Record<string, string[]> = table.may;
    // Depth-first: a folder met again while still being visited closes a cycle.
    const state = new Map<string, "visiting" | "done">();
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === "done") return;
      expect(state.get(f), `${layer}: ${[...trail, f].join(" -> ")}`).not.toBe("visiting");
      state.set(f, "visiting");
      for (const to of may[f] ?? []) {
        expect(Object.keys(may), `${layer}: ${f} may import ${to}, which is not in the table`).toContain(to);
        visit(to, [...trail, f]);
      }
      state.set(f, "done");
    };
    for (const f of Object.keys(may)) visit(f, []);
    const onDisk = fs.readdirSync(path.join(ROOT, table.base), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const dir of onDisk) expect(Object.keys(may), `${table.base}${dir}/`).toContain(dir);
  });
});
