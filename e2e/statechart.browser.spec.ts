/**
 * The example statecharts in a real browser: each opens from the start screen, draws its compound
 * states as containers with their children inside (a parallel state's regions side by side), the
 * history state as a circle; a container collapses to one state with a +N badge and expands back,
 * by mouse and by keyboard. Screenshots go to e2e/artifacts/ to be looked at.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS } from "./checks";

let app: ServedApp;
test.beforeAll(async () => {
  app = await startServe(["--no-demo"]);
});
test.afterAll(async () => {
  await app?.stop();
});
printOnFailure(test, () => app);

async function openExample(page: Page, id: string, machineId: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.url);
  const menu = page.getByRole("combobox", { name: "Show a built-in machine" });
  const start = page.getByTestId("start-screen");
  await expect(menu.or(start)).toBeVisible();
  if (await start.isVisible()) await start.locator(`.start-machines button[data-example="${id}"]`).click();
  else await menu.selectOption(id);
  await expect(page.getByRole("figure", { name: new RegExp(`^Diagram of ${machineId}$`) })).toBeVisible();
  await expect(page.locator(".diagram")).toHaveAttribute("data-layout", "elk", { timeout: 20_000 });
}

/** Is the child's box inside the container's box on screen? */
async function inside(page: Page, child: string, container: string): Promise<boolean> {
  const c = await page.locator(`.react-flow__node [data-state="${child}"]`).first().boundingBox();
  const p = await page.locator(`.container-node[data-state="${container}"]`).boundingBox();
  if (!c || !p) return false;
  return c.x >= p.x - 1 && c.y >= p.y - 1 && c.x + c.width <= p.x + p.width + 1 && c.y + c.height <= p.y + p.height + 1;
}

test("the nested example: containers hold their children, a history circle, an initial dot inside", async ({ page }) => {
  await openExample(page, "example:lease", "lease");
  // A machine on its own: the side says nothing is watched and what to do with it.
  await expect(page.getByRole("region", { name: "The machine alone" })).toContainText("Fork to sandbox");
  await expect(page.getByRole("region", { name: "Transitions" })).toHaveCount(0);
  const active = page.locator('.container-node[data-state="active"]');
  await expect(active).toBeVisible();
  await expect(active.locator(".container-title")).toContainText("active");
  for (const child of ["active.ready", "active.busy"]) expect(await inside(page, child, "active"), `${child} inside active`).toBe(true);
  await expect(page.locator(".history-node")).toHaveText("H");
  await expect(page.locator(".react-flow__node-history")).toHaveAttribute("aria-label", /History \(shallow\) of active/);
  // An initial dot in the container as well as the machine's own.
  await expect(page.locator(".react-flow__node-initial")).toHaveCount(2);
  await expect(page.locator(".edge-label-line", { hasText: "after 1 min" })).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, "statechart-lease.png") });
});

test("the parallel example: regions side by side with dashed borders, inside the parallel state", async ({ page }) => {
  await openExample(page, "example:worker", "worker");
  const working = page.locator('.container-node[data-state="working"]');
  await expect(working).toHaveAttribute("data-container", "parallel");
  const regions = page.locator(".container-node.is-region");
  await expect(regions).toHaveCount(2);
  expect(await regions.first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("dashed");
  for (const r of ["working.connection", "working.job"]) expect(await inside(page, r, "working"), `${r} inside working`).toBe(true);
  for (const leaf of ["working.connection.offline", "working.job.failed"]) expect(await inside(page, leaf, leaf.split(".").slice(0, 2).join(".")), `${leaf} inside its region`).toBe(true);
  // The regions do not overlap: side by side (or one over the other, across the flow).
  const a = await regions.nth(0).boundingBox();
  const b = await regions.nth(1).boundingBox();
  expect(a && b && (a.x + a.width <= b.x + 1 || b.x + b.width <= a.x + 1 || a.y + a.height <= b.y + 1 || b.y + b.height <= a.y + 1)).toBe(true);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, "statechart-worker.png") });
});

test("a container collapses to one state with a +N badge, its edges kept, and expands back (mouse and keyboard)", async ({ page }) => {
  await openExample(page, "example:lease", "lease");
  const busy = page.locator('.react-flow__node [data-state="active.busy"]');
  await expect(busy).toBeVisible();
  await page.getByRole("button", { name: "Collapse active" }).click({ timeout: 5000 });
  await expect(busy).toHaveCount(0);
  const collapsed = page.locator('.state-node.is-collapsed[data-state="active"]');
  await expect(collapsed).toBeVisible();
  await expect(collapsed.getByTestId("collapsed-count")).toHaveText("+2");
  // paused → active.hist (resume) now ends at the collapsed state.
  await expect(page.locator('[data-edge="paused->active"]')).toHaveCount(1);
  await expect(page.locator(".diagram")).toHaveAttribute("data-layout", "elk", { timeout: 20_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, "statechart-lease-collapsed.png"), timeout: 5000 });
  // Expand with the keyboard: the chevron is a button.
  const expand = page.getByRole("button", { name: "Expand active" });
  await expand.focus({ timeout: 5000 });
  await page.keyboard.press("Enter");
  await expect(busy).toBeVisible();
  await expect(page.locator(".state-node.is-collapsed")).toHaveCount(0);
  // Double-clicking the title collapses it too.
  await page.locator('.container-node[data-state="active"] .container-title .state-name').dblclick({ timeout: 5000 });
  await expect(busy).toHaveCount(0);
  await page.locator('.state-node.is-collapsed[data-state="active"]').dblclick({ timeout: 5000 });
  await expect(busy).toBeVisible();
});

test("a sandbox of the nested example: history kept between steps, the delayed transition fires when time is moved by hand", async ({ page }) => {
  await openExample(page, "example:lease", "lease");
  await page.getByRole("button", { name: "Fork to sandbox" }).click();
  const state = page.getByTestId("sandbox-state");
  await expect(state).toHaveAttribute("data-state", "idle");
  // Nothing waits yet: the Time panel says so.
  await expect(page.getByRole("heading", { name: "Time" })).toBeVisible();
  await expect(page.getByText("No delayed transition is waiting here.")).toBeVisible();
  await page.getByRole("button", { name: "Send grant" }).click();
  await expect(state).toHaveAttribute("data-state", "active.ready");
  await expect(page.locator(".timer-list li")).toHaveText("active: after 1 min, due in 1 min");
  await page.getByRole("button", { name: "Send start" }).click();
  await page.getByRole("button", { name: "Send pause" }).click();
  await expect(state).toHaveAttribute("data-state", "paused");
  // Leaving `active` cancelled its delay; the palette knows where history returns.
  await expect(page.locator(".timer-list")).toHaveCount(0);
  await expect(page.locator('.palette-item[data-event="resume"] .palette-effect')).toHaveText("→ active.busy");
  await page.getByRole("button", { name: "Send resume" }).click();
  await expect(state).toHaveAttribute("data-state", "active.busy");
  // A second by the button, then A moves straight to the delay's end (and nothing else: T is the theme's key).
  await page.getByRole("button", { name: "+1 s" }).click();
  await expect(page.getByTestId("sandbox-clock")).toHaveText("1 s");
  await expect(state).toHaveAttribute("data-state", "active.busy");
  const theme = await page.locator("html").getAttribute("data-theme");
  await page.locator("body").press("a");
  await expect(state).toHaveAttribute("data-state", "expired");
  await expect(page.getByTestId("sandbox-explanation")).toHaveText("59 s passed: after 1 min moves active.busy to expired.");
  await expect(page.getByTestId("sandbox-clock")).toHaveText("1 min");
  expect(await page.locator("html").getAttribute("data-theme")).toBe(theme);
  // The diagram lights the state the sandbox is in.
  await expect(page.locator('.react-flow__node [data-state="expired"]').first()).toHaveAttribute("data-current", "true");
  await page.screenshot({ path: path.join(ARTIFACTS, "statechart-sandbox.png") });
  // Undo goes back to before the delay fired.
  await page.keyboard.press("Control+z");
  await expect(state).toHaveAttribute("data-state", "active.busy");
});

test("Open machine…: an SCXML file of the user's own is drawn nested; a broken one is refused with its line", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-machine-"));
  const good = path.join(dir, "amp.scxml");
  fs.writeFileSync(
    good,
    [
      '<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="amp" initial="off">',
      '  <state id="off"><transition event="on" target="treble.hi bass.lo"/></state>',
      '  <parallel id="amp">',
      '    <state id="treble" initial="treble.flat"><state id="treble.flat"/><state id="treble.hi"/></state>',
      '    <state id="bass" initial="bass.flat"><state id="bass.flat"/><state id="bass.lo"/></state>',
      '    <transition event="off" target="off"/>',
      "  </parallel>",
      "</scxml>",
    ].join("\n"),
  );
  const bad = path.join(dir, "bad.scxml");
  fs.writeFileSync(bad, ['<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="bad">', '  <state id="a"><transition event="go" target="nowhere"/></state>', "</scxml>"].join("\n"));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.url);
  // The start screen's button when no session is open (earlier tests' sessions may still be), else the key.
  const start = page.getByTestId("start-screen");
  await expect(start.or(page.getByRole("combobox", { name: "Show a built-in machine" }))).toBeVisible();
  if (await start.isVisible()) await start.getByRole("button", { name: /Open machine…/ }).click();
  else await page.locator("body").press("m");
  const dialog = page.getByRole("dialog", { name: "Open a machine" });
  await dialog.getByLabel("Machine or profile file").fill(bad);
  await dialog.getByRole("button", { name: "Open" }).click();
  await expect(dialog.getByRole("alert")).toContainText("bad.scxml:2:");
  await expect(dialog.getByRole("alert")).toContainText('a transition to "nowhere", which is not a state');
  await dialog.getByLabel("Machine or profile file").fill(good);
  await dialog.getByRole("button", { name: "Open" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("figure", { name: /^Diagram of amp$/ })).toBeVisible();
  await expect(page.locator(".diagram")).toHaveAttribute("data-layout", "elk", { timeout: 20_000 });
  // Ids with dots are names, shown as written; the parallel state holds its two regions.
  await expect(page.locator('.container-node.is-parallel[data-state="amp"]')).toBeVisible();
  await expect(page.locator('.react-flow__node [data-state="amp.treble.treble\\\\.hi"]').first()).toContainText("treble.hi");
  await page.screenshot({ path: path.join(ARTIFACTS, "statechart-scxml-file.png") });
  // What checking a file found but did not refuse is shown under Warnings, with its line.
  const warned = path.join(dir, "warned.json");
  fs.writeFileSync(warned, JSON.stringify({ id: "warned", initial: "a", states: { a: { states: { x: {}, y: {} } } } }, null, 2));
  await page.locator("body").press("m");
  await page.getByRole("dialog", { name: "Open a machine" }).getByLabel("Machine or profile file").fill(warned);
  await page.getByRole("dialog", { name: "Open a machine" }).getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("figure", { name: /^Diagram of warned$/ })).toBeVisible();
  await expect(page.getByText(/warned\.json:\d+:\d+: warning: compound state "a" has no "initial"; it starts in its first child "x"/)).toBeVisible();
  // The Machines menu opens the same dialog.
  await page.locator("body").press("m");
  await expect(page.getByRole("dialog", { name: "Open a machine" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("combobox", { name: "Show a built-in machine" }).selectOption({ label: "Open a machine file… (m)" });
  await expect(page.getByRole("dialog", { name: "Open a machine" })).toBeVisible();
});
