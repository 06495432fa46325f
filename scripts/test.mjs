// `npm test`: typecheck (one tsconfig per layer), lint (layer import rules), build, unit tests
// (vitest), end-to-end tests (Playwright: Chromium on serve mode, Electron when a binary exists).
// Runs every step it can, then prints one summary; exits non-zero if any step failed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findElectronBinary } from "./electron-binary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (p) => path.join(root, "node_modules", p);
const node = process.execPath;

const e2e = [node, [bin("@playwright/test/cli.js"), "test"]];
// Electron needs a display; chromium runs headless. Wrap in xvfb-run when we must and can.
if (findElectronBinary().path && !process.env.DISPLAY && spawnSync("sh", ["-c", "command -v xvfb-run"]).status === 0) {
  e2e[1] = ["-a", node, ...e2e[1]];
  e2e[0] = "xvfb-run";
}

const steps = [
  { name: "typecheck", cmd: [node, [path.join(root, "scripts/typecheck.mjs")]] },
  { name: "lint", cmd: [node, [bin("eslint/bin/eslint.js"), "."]] },
  { name: "build", cmd: [node, [path.join(root, "scripts/build.mjs")]] },
  { name: "unit tests", cmd: [node, [bin("vitest/vitest.mjs"), "run"]] },
  { name: "e2e tests", cmd: e2e, needs: "build" },
];

const results = [];
for (const step of steps) {
  if (step.needs && results.find((r) => r.name === step.needs)?.status !== "passed") {
    results.push({ name: step.name, status: "skipped", ms: 0, why: `${step.needs} failed` });
    continue;
  }
  process.stdout.write(`\n━━ ${step.name} ━━\n`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd[1], { stdio: "inherit", cwd: root });
  results.push({ name: step.name, status: r.status === 0 ? "passed" : "FAILED", ms: Date.now() - t0 });
}

process.stdout.write("\n━━ summary ━━\n");
for (const r of results) {
  process.stdout.write(`${r.status === "passed" ? "✔" : r.status === "skipped" ? "-" : "✘"} ${r.name.padEnd(12)} ${r.status.padEnd(8)} ${(r.ms / 1000).toFixed(1).padStart(6)} s${r.why ? `  (${r.why})` : ""}\n`);
}
const failed = results.filter((r) => r.status !== "passed");
process.stdout.write(failed.length ? `\n${failed.length} step(s) did not pass.\n` : "\nAll checks passed.\n");
process.exit(failed.length ? 1 : 0);
