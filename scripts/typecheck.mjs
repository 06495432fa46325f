// `npm run typecheck`: one tsconfig per layer, so the compiler enforces each layer's globals too.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
let failed = false;
for (const layer of ["shared", "node", "main", "renderer", "test"]) {
  const r = spawnSync(process.execPath, [tsc, "-p", `tsconfig.${layer}.json`, "--pretty"], { stdio: "inherit", cwd: root });
  process.stdout.write(`typecheck ${layer.padEnd(8)} ${r.status === 0 ? "ok" : "FAILED"}\n`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
