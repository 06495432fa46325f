/**
 * A fleet watched in a real PostgreSQL table, end to end in a browser (serve mode): a throwaway
 * PostgreSQL cluster holds duckgres' `cp_runtime.worker_records` (the GORM DDL of
 * test/fixtures/duckgres/schema.sql) with 2,000 workers in spawning and idle; the page opens it
 * through "Open database…" as a user does (duckgres profile, polled every 200 ms); a separate writer
 * process (e2e/fleet-writer.ts) moves the workers along the machine's declared transitions with the
 * control plane's fenced statements, ~400 updates per second for 8 s, then stops. Then:
 *   - once the UI has caught up, every state node's instance badge equals
 *     `SELECT state, count(*) ... GROUP BY state` (a state without rows has no badge), and the
 *     instance list counts 2,000;
 *   - the worker the writer held in `activating` is shown stuck: a chip on its row, a line under
 *     Warnings, and `activating`'s node counts it as stuck.
 *
 * Why the stuck limit is the observed p99 and not a state's own `meta.maxDwellMs`: the contract's
 * `openDatabase {connection, profileId}` resolves `profileId` with requireProfile(), i.e. built-in
 * profiles only, and the dialog always sends "duckgres" — a profile file of one's own cannot be
 * used for a database, and the built-in duckgres machine sets no limit. So the limit is the default
 * one (shared/trace/stuck.ts): 3 × the 99th percentile of the stays observed in a state, once there
 * are 20. Every worker that the writer activates stays 0.3–0.6 s in `activating` (longer than a
 * poll, so each stay is seen; hundreds of them), giving a limit of about 2 s; the held worker enters
 * `activating` at the start and never leaves, so it is past that limit while the others still move,
 * and ever further past it afterwards. The writer leaves nobody else in `activating`, so that
 * node's stuck count is exactly 1. (Workers resting elsewhere when the writer stops may become stuck
 * by their own states' limits after a while: that is true of a frozen fleet, and is not asserted.)
 *
 * Everything is awaited as a condition (expect.poll / auto-retrying assertions), never as
 * "within N ms". Skipped, with the reason printed, only when the PostgreSQL server binaries are missing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS } from "./checks";
import { fixture, loadSchema, startPostgres, withClient, type PostgresServer } from "../test/helpers/postgres";

const ROOT = path.resolve(import.meta.dirname, "..");
const WORKERS = 2000;
/** The worker the writer holds in activating (one of the idle ones: ids 1001–2000). */
const HELD = "1777";
const HELD_STATE = "activating";
const WRITE_MS = 8000;
const POLL_MS = 200;
const STATES = ["spawning", "idle", "reserved", "activating", "hot", "hot_idle", "draining", "retired", "lost"];

let server: PostgresServer | undefined;
let skipped: string | undefined;
let app: ServedApp | undefined;
let writer: ChildProcess | undefined;

test.beforeAll(async () => {
  const started = await startPostgres();
  if ("skipped" in started) {
    skipped = started.skipped;
    console.log(`fleet-postgres skipped: ${skipped}`);
    return;
  }
  server = started;
});

test.afterAll(async () => {
  if (writer?.exitCode === null) writer.kill("SIGKILL");
  await app?.stop();
  await server?.stop();
});

/** duckgres' schema as its control plane creates it, and the fleet: 1,000 spawning, 1,000 idle. */
async function createFleet(url: string): Promise<void> {
  await loadSchema(url, fixture("duckgres", "schema.sql"));
  await withClient(url, async (c) => {
    await c.query("BEGIN");
    await c.query(
      `INSERT INTO cp_runtime.worker_records (worker_id, pod_name, image, profile_cpu, profile_memory, ttl_minutes, state, org_id,
         owner_cp_instance_id, owner_epoch, activation_started_at, last_heartbeat_at, retire_reason, s3_credentials_expires_at,
         hot_idle_since, created_at, updated_at)
       SELECT id, 'duckgres-worker-' || id, 'duckgres-worker:v0.58.2', '', '', 0,
         CASE WHEN id <= $1 / 2 THEN 'spawning' ELSE 'idle' END,
         CASE WHEN id <= $1 / 2 THEN 'acme' ELSE '' END,
         '0a1b2c3d-4e5f-cp1-000001', 0, NULL, now(), '', NULL, NULL, now(), now()
       FROM generate_series(1, $1::int) AS id`,
      [WORKERS],
    );
    // ensureWorkerIDSequence: seeded at MAX(worker_id) + 1.
    await c.query(`SELECT setval('cp_runtime.worker_records_id_seq', $1::bigint, false)`, [WORKERS + 1]);
    await c.query("COMMIT");
  });
}

async function sqlCounts(url: string): Promise<Record<string, number>> {
  const rows = await withClient(url, (c) => c.query<{ state: string; n: string }>("SELECT state, count(*) AS n FROM cp_runtime.worker_records GROUP BY state ORDER BY state"));
  return Object.fromEntries(rows.rows.map((r) => [r.state, Number(r.n)]));
}

/** Every state node's instance badge, by state (a node without a badge is left out: 0). */
function uiCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const node of document.querySelectorAll(".state-node[data-state]")) {
      const badge = node.querySelector('[data-testid="node-badge"]');
      if (badge) out[node.getAttribute("data-state") ?? "?"] = Number(badge.getAttribute("data-count"));
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

interface WriterResult {
  heldSince: string;
  stats: { total: number; elapsedMs: number; perSecond: number; maxLateMs: number; moves: Record<string, number> };
}

/** Run the writer process to its end; its "held" and "done" lines. */
function runWriter(url: string): Promise<WriterResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "e2e/fleet-writer.ts"), url, String(WRITE_MS), HELD, "7"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    writer = child;
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const held = /^held (\S+) (.+)$/m.exec(out);
      const done = /^done (\{.*\})$/m.exec(out);
      if (code !== 0 || !held || !done) reject(new Error(`the writer exited ${code}:\n${out}\n${err}`));
      else resolve({ heldSince: held[2] ?? "", stats: JSON.parse(done[1] ?? "{}") as WriterResult["stats"] });
    });
  });
}

test("2,000 workers changing in PostgreSQL: per-state counts equal the table's, a held worker shows stuck", async ({ page }) => {
  test.skip(skipped !== undefined, skipped);
  test.setTimeout(90_000);
  const t0 = Date.now();
  const pg = server as PostgresServer;
  await createFleet(pg.url);
  expect(await sqlCounts(pg.url)).toEqual({ idle: WORKERS / 2, spawning: WORKERS / 2 });

  app = await startServe(["--no-demo"]);
  await page.goto(app.url);

  // Open the database as a user does.
  await page.getByRole("button", { name: /^Open database…/ }).first().click();
  const dialog = page.getByRole("dialog", { name: "Watch a duckgres control plane" });
  await dialog.getByLabel("Connection string").fill(pg.url);
  await dialog.getByLabel("Poll every (ms)").fill(String(POLL_MS));
  await dialog.getByRole("button", { name: "Watch" }).click();
  await expect(dialog).toBeHidden();

  // The first snapshot: all 2,000 workers, in the two states they were created in.
  const count = page.getByTestId("instance-count");
  await expect(count).toHaveAttribute("data-total", String(WORKERS), { timeout: 20_000 });
  for (const s of STATES) await expect(page.locator(`.state-node[data-state="${s}"]`)).toHaveCount(1);
  await expect.poll(() => uiCounts(page), { timeout: 15_000 }).toEqual({ idle: WORKERS / 2, spawning: WORKERS / 2 });

  // The fleet moves under a separate writer process, until it stops by itself.
  const tWriter = Date.now();
  const { heldSince, stats } = await runWriter(pg.url);
  console.log(`writer: ${stats.total} updates in ${stats.elapsedMs} ms (${stats.perSecond}/s, latest move ${Math.round(stats.maxLateMs)} ms late), held ${HELD} in ${HELD_STATE} since ${heldSince}`);
  console.log(`writer moves: ${JSON.stringify(stats.moves)}`);
  expect(stats.moves["activating->hot"] ?? 0, "stays in activating observed for its p99").toBeGreaterThanOrEqual(100);

  // The table is still now: the UI catches up with it, state by state.
  const expected = await sqlCounts(pg.url);
  console.log(`table: ${JSON.stringify(expected)}`);
  expect(expected[HELD_STATE]).toBe(1);
  expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(WORKERS);
  const tCatchUp = Date.now();
  await expect.poll(() => uiCounts(page), { timeout: 30_000, intervals: [100, 250, 500] }).toEqual(expected);
  console.log(`UI equal to the table ${Date.now() - tCatchUp} ms after the writer stopped`);
  await expect(count).toHaveAttribute("data-total", String(WORKERS));
  // For the report: steps that fell between two polls are one transition, judged a gap when declared
  // steps lead there (a sampled source) and drawn on no edge; only an unreachable one is a ghost edge.
  const ghosts = await page.locator(".edge-label.is-ghost").allTextContents();
  console.log(`ghost (undeclared) edges: ${ghosts.length ? ghosts.map((t) => t.replace(/\s+/g, " ").trim()).join("; ") : "none"}`);

  // The held worker is stuck: on its state's node ...
  const heldNode = page.locator(`.state-node[data-state="${HELD_STATE}"]`);
  await expect(heldNode.getByTestId("node-badge")).toHaveAttribute("data-count", "1");
  await expect(heldNode.getByTestId("node-stuck")).toHaveAttribute("data-count", "1", { timeout: 20_000 });
  // ... under Warnings, by name ...
  const warning = page.locator("section.warnings li.code-stuck .warning-msg", { hasText: new RegExp(`^${HELD} has been in ${HELD_STATE} for `) });
  await expect(warning).toHaveCount(1);
  console.log(`warning: ${await warning.textContent()}`);
  // ... and on its row in the instance list, found with the search box.
  await page.getByLabel("Filter instances").fill(HELD);
  const row = page.locator(".instance-row", { has: page.locator(`[data-testid="current-state"][data-instance="${HELD}"]`) });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("current-state")).toHaveText(HELD_STATE);
  await expect(row.getByTestId("stuck")).toBeVisible();
  await expect(row).toHaveAttribute("aria-label", `Instance ${HELD}: ${HELD_STATE}, stuck`);

  // The whole machine in view for the screenshot.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const figure = page.getByRole("figure", { name: /Diagram of/ });
  const fit = await figure.getAttribute("data-fit");
  console.log(`diagram fit before the screenshot: ${fit}`);
  if (fit === "scroll") {
    await page.keyboard.press("f");
    await expect(figure).toHaveAttribute("data-fit", "whole");
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, "fleet-postgres.png") });
  // Still equal at the end (nothing moved since).
  expect(await uiCounts(page)).toEqual(await sqlCounts(pg.url));
  console.log(`fleet-postgres: setup ${tWriter - t0} ms, writer ${tCatchUp - tWriter} ms, total ${Date.now() - t0} ms`);
});
