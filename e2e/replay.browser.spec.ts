/**
 * Replaying a recorded log, as a user does it in a browser: a 100,000-line iai-mcp log with
 * anomalies at known lines, opened from the start screen with Open log…; the progress bar while it
 * is indexed, then the scrubber, the keys, the filters and the lists. At every stop the diagram's
 * lit state and the instance panel's state must equal the state the test reads from the file
 * itself at the line shown.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS } from "./checks";
import { readFacts, writeIaiLog, type LogFacts, type LogPlan } from "./iai-log";

// A zone with a half-hour offset and no daylight saving: local and UTC times differ visibly.
test.use({ timezoneId: "Asia/Kolkata" });
const KOLKATA_MS = 5.5 * 3600_000;

const PLAN: LogPlan = {
  lines: 100_000,
  undeclared: [12_001, 47_002, 81_001],
  fromMismatch: [30_001, 66_002],
  badLines: [55_001, 90_002],
  unknownState: 72_001,
  silence: { line: 40_000, ms: 3 * 3600_000 },
};
/** Every line the timeline must mark: the ones written wrong, and the transition out of the unknown state. */
const ANOMALIES = [...PLAN.undeclared, ...PLAN.fromMismatch, ...PLAN.badLines, 72_001, 72_002].sort((a, b) => a - b);

let app: ServedApp;
printOnFailure(test, () => app);
let dir: string;
let file: string;
let facts: LogFacts;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-replay-"));
  file = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
  writeIaiLog(file, PLAN);
  facts = readFacts(file);
  app = await startServe(["--no-demo"]);
});

test.afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** "2026-06-10 05:30:01.000" for an instant, shifted by a fixed offset. */
function stamp(ms: number, offsetMs: number): string {
  return new Date(ms + offsetMs).toISOString().replace("T", " ").replace("Z", "");
}

async function shownLine(page: Page): Promise<number> {
  return Number(await page.getByTestId("replay-position").getAttribute("data-line"));
}

/** The cursor is at `line`, and the diagram and the instance panel show the state the file says after it. */
async function expectAtLine(page: Page, line: number): Promise<void> {
  await expectLine(page, facts, line);
  await expect(page.locator('.state-node[data-current="true"]')).toHaveCount(1);
  await expect(page.getByTestId("observation-detail")).toHaveAttribute("data-line", String(line));
}

/**
 * The diagram is whole: every declared transition of iai-mcp drawn, and the initial-state marker.
 * Shown scrolled (too large to read at once above the replay panel), it is fitted first (`f`).
 */
async function expectDiagramDrawn(page: Page): Promise<void> {
  const figure = page.getByRole("figure", { name: /Diagram of/ });
  if ((await figure.getAttribute("data-fit")) === "scroll") {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("f");
    await expect(figure).toHaveAttribute("data-fit", "whole");
  }
  await expect.poll(() => page.locator(".react-flow__edge").count(), { message: "edges drawn" }).toBeGreaterThanOrEqual(7);
  await expect(page.locator(".initial-node")).toBeVisible();
}

const nextOf = (lines: readonly number[], after: number): number => lines.find((l) => l > after) ?? NaN;
const prevOf = (lines: readonly number[], before: number): number => [...lines].reverse().find((l) => l < before) ?? NaN;

test("a 100,000-line log: indexed with progress, then scrubbed, stepped and jumped, showing the state the file says", async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(app.url);
  await expect(page.getByTestId("start-screen")).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "start-screen.png") });

  // Every state the progress UI goes through, as the page drew it.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __indexing: string[] }).__indexing = seen;
    const note = (): void => {
      const el = document.querySelector('[data-testid="indexing"]');
      if (!el) return;
      const v = `${el.getAttribute("data-state")}|${el.getAttribute("data-percent")}|${el.textContent ?? ""}`;
      if (seen[seen.length - 1] !== v) seen.push(v);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  await page.getByTestId("start-screen").getByRole("button", { name: /Open log…/ }).click();
  const dialog = page.getByRole("dialog", { name: "Open a log to replay" });
  await dialog.getByLabel("Log file, folder of logs, or recording").fill(file);
  await dialog.screenshot({ path: path.join(ARTIFACTS, "open-log-dialog.png") });
  await dialog.getByRole("button", { name: "Replay", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("tab", { name: /Replay: lifecycle-events-2026-06-10\.jsonl/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("replayed-target")).toContainText(file);

  const indexing = page.getByTestId("indexing");
  await expect(indexing).toHaveAttribute("data-state", "done", { timeout: 90_000 });
  await expect(indexing).toHaveAttribute("data-percent", "100");
  await expect(indexing).toHaveAttribute("data-lines", String(PLAN.lines));
  await expect(indexing).toContainText("Indexed 100%");
  await expect(indexing).toContainText("2 bad lines");
  const seen = await page.evaluate(() => (window as unknown as { __indexing: string[] }).__indexing);
  const running = seen.filter((s) => s.startsWith("indexing|"));
  expect(running.length, `the progress bar was drawn while indexing: ${seen.join(" / ")}`).toBeGreaterThan(0);
  expect(Number(running[0]?.split("|")[1])).toBeLessThan(100);
  expect(running[0]).toMatch(/Indexing \d+% · [\d.]+ (KB|MB) of 12 MB · [\d,]+ lines\/s · .*Cancel/);
  expect(seen[seen.length - 1]).toMatch(/^done\|100\|/);

  // Opened, it follows the end of the log: the state after the last line.
  await expectAtLine(page, PLAN.lines);
  await expect(page.getByTestId("replay-position")).toHaveAttribute("data-total", String(PLAN.lines));
  // Every anomaly is marked, by kind, and the shortened silence is said.
  const legend = page.getByTestId("timeline-legend");
  await expect(legend.locator('[data-kind="undeclared"]')).toContainText("undeclared transition 3");
  await expect(legend.locator('[data-kind="from-mismatch"]')).toContainText("from mismatch 2");
  await expect(legend.locator('[data-kind="unknown-state"]')).toContainText("unknown state 2");
  await expect(legend.locator('[data-kind="bad-line"]')).toContainText("bad line 2");
  await expect(legend).toContainText("1 silence shortened to 1 min");
  // Times in the user's zone (Asia/Kolkata here), and it says so.
  await expect(page.getByTestId("zone")).toContainText("UTC+05:30");
  await expect(page.getByTestId("first-time")).toHaveText(stamp(facts.timeMs[0] ?? NaN, KOLKATA_MS).slice(0, 19));

  // Scrub to the middle.
  const scrubber = page.getByTestId("scrubber");
  const box = await scrubber.boundingBox();
  if (!box) throw new Error("the scrubber is not on screen");
  // A drag: pressed at a fifth of the way, let go at the middle.
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.75);
  await page.mouse.down();
  for (const f of [0.3, 0.4, 0.45, 0.5]) await page.mouse.move(box.x + box.width * f, box.y + box.height * 0.75, { steps: 3 });
  await page.mouse.up();
  await expect.poll(() => shownLine(page)).not.toBe(PLAN.lines);
  const middle = await shownLine(page);
  expect(middle).toBeGreaterThan(PLAN.lines * 0.3);
  expect(middle).toBeLessThan(PLAN.lines * 0.7);
  await expectAtLine(page, middle);
  const middleMs = facts.timeMs[middle - 1] ?? NaN;
  await expect(page.getByTestId("cursor-time")).toHaveText(stamp(middleMs, KOLKATA_MS));
  await expectDiagramDrawn(page);
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-screen.png") });

  // u: the same instant in UTC, and back.
  await page.keyboard.press("u");
  await expect(page.getByTestId("zone")).toHaveText("Times: UTC");
  await expect(page.getByTestId("cursor-time")).toHaveText(stamp(middleMs, 0));
  await page.keyboard.press("u");
  await expect(page.getByTestId("zone")).toContainText("local time (Asia/");

  // → one transition forward, ← one back.
  const forward = nextOf(facts.transitionLines, middle);
  await page.keyboard.press("ArrowRight");
  await expectAtLine(page, forward);
  const back = prevOf(facts.transitionLines, forward);
  await page.keyboard.press("ArrowLeft");
  await expectAtLine(page, back);
  // Three quick presses are three steps.
  const third = nextOf(facts.transitionLines, nextOf(facts.transitionLines, nextOf(facts.transitionLines, back)));
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await expectAtLine(page, third);

  // n: the next anomaly; p: the one before.
  const anomaly = nextOf(ANOMALIES, third);
  await page.keyboard.press("n");
  await expectAtLine(page, anomaly);
  await expect(page.getByTestId("observation-detail")).toContainText(PLAN.badLines.includes(anomaly) ? "not valid JSON" : /undeclared|from mismatch|unknown state/);
  const before = prevOf(ANOMALIES, anomaly);
  await page.keyboard.press("p");
  await expectAtLine(page, before);
  await expectDiagramDrawn(page);
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-anomaly.png") });

  // A click on a transition in the list moves there.
  const row = page.getByTestId("transition").nth(3);
  const seq = Number(await row.getAttribute("data-seq"));
  await row.click();
  await expectAtLine(page, seq);
  await expect(page.locator('[data-testid="transition"][aria-current="true"]')).toHaveAttribute("data-seq", String(seq));
  // A click on another line shows its fields, read back from the file.
  const line = page.getByTestId("event-line").nth(1);
  const lineSeq = Number(await line.getAttribute("data-seq"));
  await line.click();
  await expectAtLine(page, lineSeq);
  await expect(page.getByTestId("observation-detail")).toContainText("step_num");

  // A state filter: → goes to the next transition into or out of that state; the list shows only those.
  await page.getByLabel("Filter by state").selectOption("HIBERNATION");
  const involving = facts.transitionLines.filter((l) => {
    const m = facts.moves.get(l);
    return m?.from === "HIBERNATION" || m?.to === "HIBERNATION";
  });
  const filtered = nextOf(involving, lineSeq);
  await page.locator("body").press("ArrowRight");
  await expectAtLine(page, filtered);
  await expect(page.getByTestId("transition").first()).toContainText("HIBERNATION");
  for (const text of await page.getByTestId("transition").allTextContents()) expect(text).toContain("HIBERNATION");
  await page.getByRole("button", { name: "Clear filters" }).click();

  // Play moves the cursor forward on its own; pause stops it.
  const startAt = await shownLine(page);
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Pause");
  await expect.poll(() => shownLine(page), { timeout: 20_000 }).toBeGreaterThan(startAt + 5);
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Play");
  const stopped = await shownLine(page);
  await expectAtLine(page, stopped);
  await page.waitForTimeout(300);
  expect(await shownLine(page)).toBe(stopped);

  // The other theme, for the screenshot.
  await page.keyboard.press("t");
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-screen-other-theme.png") });

  // Closed, the start screen lists it among the recent targets; a click replays it again.
  await page.getByRole("button", { name: /^Close Replay: lifecycle-events/ }).click();
  await expect(page.getByTestId("start-screen")).toBeVisible();
  const recent = page.getByTestId("recent").filter({ hasText: file });
  await expect(recent).toHaveAttribute("data-kind", "log");
  await page.screenshot({ path: path.join(ARTIFACTS, "start-screen-recent.png") });
  await recent.click();
  await expect(page.getByRole("tab", { name: /Replay: lifecycle-events-2026-06-10\.jsonl/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("indexing")).toHaveAttribute("data-state", "done", { timeout: 90_000 });
  await expectAtLine(page, PLAN.lines);

  expect(errors, "no errors in the page (CSP violations included)").toEqual([]);
});

test("a drop onto a browser page says to use Open log…", async ({ page }) => {
  await page.goto(app.url);
  await expect(page.locator(".connection")).toContainText("live");
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["{}"], "lifecycle-events-2026-06-10.jsonl"));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  const toast = page.locator('.error-toast[data-code="drop-unsupported"]');
  await expect(toast).toContainText("Dropping a file works in the desktop app");
  await expect(toast).toContainText("Open log…");
});

test("Cancel stops indexing; what was read stays visitable", async ({ page }) => {
  test.setTimeout(180_000);
  // Big enough to take a few seconds to index.
  const big = path.join(dir, "lifecycle-events-2026-06-12.jsonl");
  writeIaiLog(big, { lines: 600_000, undeclared: [], fromMismatch: [], badLines: [] });
  const bigFacts = readFacts(big);
  await page.goto(app.url);
  await expect(page.locator(".connection")).toContainText("live");
  await page.keyboard.press("l");
  const dialog = page.getByRole("dialog", { name: "Open a log to replay" });
  await dialog.getByLabel("Log file, folder of logs, or recording").fill(big);
  await dialog.getByRole("button", { name: "Replay", exact: true }).click();
  const indexing = page.getByTestId("indexing");
  await expect(indexing).toHaveAttribute("data-state", "indexing");
  await indexing.getByRole("button", { name: "Cancel" }).click();
  await expect(indexing).toHaveAttribute("data-state", "cancelled", { timeout: 30_000 });
  await expect(indexing).toContainText("Indexing cancelled at");
  const total = Number(await page.getByTestId("replay-position").getAttribute("data-total"));
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThan(600_000);
  // The part read can be visited: the cursor is at its end, and the middle of it shows what the file says there.
  await expectLine(page, bigFacts, total);
  const box = await page.getByTestId("scrubber").boundingBox();
  if (!box) throw new Error("the scrubber is not on screen");
  await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.75);
  await expect.poll(() => shownLine(page)).toBeLessThan(total);
  await expectLine(page, bigFacts, await shownLine(page));
});

/** The cursor is at `line` of a log read by `readFacts`, and the screen shows the state after it. */
async function expectLine(page: Page, f: LogFacts, line: number): Promise<void> {
  await expect(page.getByTestId("replay-position")).toHaveAttribute("data-line", String(line));
  const state = f.stateAfter[line - 1] ?? "";
  await expect(page.locator('.state-node[data-current="true"]'), `lit state at line ${line}`).toHaveAttribute("data-state", state);
  await expect(page.getByTestId("current-state").first(), `instance panel at line ${line}`).toHaveText(state);
}

test("the instance list is one column inside its panel, whatever the instances' names (jumpstarter's 12 leases)", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.url);
  const file = path.resolve(import.meta.dirname, "../test/fixtures/jumpstarter/exporter.log");
  const menu = page.getByRole("button", { name: /Open log…/ }).first();
  await menu.click();
  const dialog = page.getByRole("dialog", { name: "Open a log to replay" });
  await dialog.getByLabel("Log file, folder of logs, or recording").fill(file);
  await dialog.getByRole("button", { name: "Replay", exact: true }).click();
  await expect(page.getByTestId("indexing")).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  const panel = page.locator(".instance-panel");
  await expect(panel.locator(".instance-row")).toHaveCount(12);
  const box = await panel.boundingBox();
  const rows = await panel.locator(".instance-row").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }));
  const listStyle = await panel.locator(".instance-list").evaluate((el) => getComputedStyle(el).listStyleType);
  expect(listStyle).toBe("none");
  expect(new Set(rows.map((r) => Math.round(r.x))).size, "one column").toBe(1);
  for (const r of rows) {
    expect(r.x).toBeGreaterThanOrEqual((box?.x ?? 0) - 0.5);
    expect(r.x + r.width).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 0.5);
  }
  await panel.screenshot({ path: path.join(ARTIFACTS, "instances-jumpstarter.png") });
});
