/**
 * The import rules of DESIGN.md are enforced by lint: each layer may only import what its folder
 * allows. The rule is run by ESLint itself on real paths of this repo.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";

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
  ])("%s: allowed imports pass", async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});
