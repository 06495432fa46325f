// `npm run typecheck`: one tsconfig per layer, so the compiler enforces each layer's globals too.
// The layers are project references (tsconfig.json): `tsc -b` checks shared/ once, under its own
// rules, and the others against its declarations. Declarations and build info go to
// node_modules/.cache/tsc, so a second run only checks what changed; `-- --force` checks all again.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const layers = ["shared", "node", "main", "renderer", "test"];
const r = spawnSync(process.execPath, [tsc, "-b", "tsconfig.json", "--pretty", ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
process.stdout.write(`typecheck ${layers.join(", ")}: ${r.status === 0 ? "ok" : "FAILED"}\n`);
process.exit(r.status === 0 ? 0 : 1);
