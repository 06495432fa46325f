/**
 * cli.startup: how long a quick command takes from the shell — `fsm-inspector step … --json` — to
 * a bare `node -e 0` in the same run (interleaved, so load hits both alike). Budget: 2×.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { PACKAGE_ROOT } from "../electron/node/cli/paths";
import { median, ratioResult, type BenchEntry } from "./result";

const STEP = ["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "idle_5min", "--json"];

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

export const cliStartup: BenchEntry = {
  name: "cli.startup",
  async run({ log }) {
    const bin = path.join(PACKAGE_ROOT, "bin", "fsm-inspector.mjs");
    // The first run builds the bundle if the sources changed; not what is measured.
    timeOnce([bin, ...STEP]);
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 25; i++) {
      bare.push(timeOnce(["-e", "0"]));
      ours.push(timeOnce([bin, ...STEP]));
    }
    log(`  step: median ${median(ours).toFixed(1)} ms; node -e 0: ${median(bare).toFixed(1)} ms`);
    return [ratioResult("cli.startup", "fsm-inspector step --json, vs a bare `node -e 0` (median of 25, interleaved)", median(ours), median(bare), "ms", 2)];
  },
};
