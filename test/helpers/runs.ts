/**
 * How many cases a fast-check property tries: `runs(n)` is the test's own, thorough number unless
 * FSM_TEST_RUNS says otherwise. FSM_TEST_RUNS unset, empty or "thorough": every property runs its
 * own number (CI, `npm test`). A positive integer: every property runs that many, fewer for a quick
 * pass (`npm run test:fast` sets 25) or more for a long fuzzing session.
 *
 * Loaded as a setup file too (vitest.config.ts), so properties without a numRuns of their own
 * (fast-check's default, 100) follow the same variable.
 */
import fc from "fast-check";

function fromEnv(): number | undefined {
  const v = (process.env["FSM_TEST_RUNS"] ?? "").trim();
  if (v === "" || v === "thorough") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FSM_TEST_RUNS must be a positive integer or "thorough", not ${JSON.stringify(v)}`);
  return n;
}

const FIXED = fromEnv();

/** The number of runs for a property whose thorough number is `thorough`. */
export function runs(thorough: number): number {
  return FIXED ?? thorough;
}

if (FIXED !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), numRuns: FIXED });
