/**
 * The app opens as the user left it: the theme, UTC, an overlay, the layout direction and a
 * collapsed statechart container survive a reload and are there in another tab — kept by the
 * backend in its config folder, so the desktop app and a browser share them.
 */
import fs from "node:fs";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";

let app: ServedApp;
printOnFailure(test, () => app);
test.beforeAll(async () => {
  app = await startServe(["--no-demo"]);
});
test.afterAll(async () => {
  await app?.stop();
});

async function openLease(page: Page): Promise<void> {
  const menu = page.getByRole("combobox", { name: "Show a built-in machine" });
  const start = page.getByTestId("start-screen");
  await expect(menu.or(start)).toBeVisible();
  if (await start.isVisible()) await start.locator('.start-machines button[data-example="example:lease"]').click();
  else await menu.selectOption("example:lease");
  await expect(page.locator(".diagram")).toHaveAttribute("data-layout", "elk", { timeout: 20_000 });
}

/** What the page shows of the preferences. */
async function shown(page: Page): Promise<Record<string, unknown>> {
  return {
    theme: await page.locator("html").getAttribute("data-theme"),
    utc: await page.getByTestId("zone").getAttribute("data-utc"),
    dwell: await page.getByRole("button", { name: "Dwell" }).getAttribute("aria-pressed"),
    direction: (await page.getByRole("button", { name: /Auto layout|Left to right|Top to bottom/ }).textContent())?.trim(),
    collapsed: await page.locator('.state-node.is-collapsed[data-state="active"]').count(),
  };
}

test("theme, UTC, an overlay, the direction and a collapsed container are as the user left them, after a reload and in another tab", async ({ page, browser }) => {
  await page.goto(app.url);
  await openLease(page);
  const before = await shown(page);
  expect(before).toMatchObject({ utc: "false", dwell: "false", direction: "Auto layout", collapsed: 0 });
  await page.getByRole("button", { name: /Switch to (light|dark) theme/ }).click();
  await page.getByTestId("zone").click();
  await page.getByRole("button", { name: "Dwell" }).click();
  await page.getByRole("button", { name: "Auto layout" }).click();
  await page.locator('.container-node[data-state="active"] .container-title .state-name').dblclick();
  const after = await shown(page);
  expect(after).toEqual({ theme: before.theme === "dark" ? "light" : "dark", utc: "true", dwell: "true", direction: "→ Left to right", collapsed: 1 });

  // Written to the config folder a moment after the last change.
  const file = path.join(app.configDir, "preferences.json");
  await expect.poll(() => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { collapsed?: unknown }).collapsed : undefined)).toEqual({ lease: ["active"] });

  await page.reload();
  await openLease(page);
  await expect.poll(() => shown(page)).toEqual(after);

  const other = await browser.newPage();
  await other.goto(app.url);
  await openLease(other);
  await expect.poll(() => shown(other)).toEqual(after);
  await other.close();
});
