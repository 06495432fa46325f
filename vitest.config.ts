import os from "node:os";
import { defineConfig } from "vitest/config";

// Three projects (README, Tests); `vitest run` runs them all, `--project NAME` one of them.
//  - shared: pure code (shared/, the renderer's logic, the IPC contract, the lint rules): no
//    process, socket or written file. One module graph per worker (isolate: false), all cores.
//  - node: the Node back end on real files, child processes, worker threads and servers.
//  - integration: real PostgreSQL clusters, and the fault-injection suite (real writer processes
//    against a real `fsm-inspector watch`).
// shared runs first; node and integration then run together, one worker more than there are
// cores, since their tests mostly wait on processes, files and servers (their assertions count
// events, not time windows, so a loaded machine makes them slower, not red).
// `--mode fast` runs every fast-check property 25 times instead of its own number, unless
// FSM_TEST_RUNS says otherwise (test/helpers/runs.ts).
const cores = Math.max(os.availableParallelism(), 2);
const PURE_IPC = ["test/ipc/sender.test.ts", "test/ipc/window-security.test.ts"];
const INTEGRATION = ["test/node/postgres", "test/node/faults"];
const under = (dir: string): string[] => [`${dir}/**/*.test.ts`, `${dir}/**/*.test.tsx`];

export default defineConfig(({ mode }) => ({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default"],
    setupFiles: ["test/helpers/runs.ts"],
    env: mode === "fast" && process.env["FSM_TEST_RUNS"] === undefined ? { FSM_TEST_RUNS: "25" } : {},
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: [...under("test/shared"), ...under("test/renderer"), ...under("test/tools"), ...PURE_IPC],
          isolate: false,
          maxWorkers: cores,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          include: [...under("test/node"), ...under("test/ipc")],
          exclude: [...PURE_IPC, ...INTEGRATION.map((d) => `${d}/**`)],
          maxWorkers: cores + 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION.flatMap(under),
          maxWorkers: cores + 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
}));
