/**
 * Save recording… and Open log…, as a user does them in a browser: the live demo saved as a
 * recording (downloaded: serve mode has no save dialog), reopened as a replay, shows what the live
 * screen showed when it was saved — the same instances, states and counts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS } from "./checks";

let app: ServedApp;
printOnFailure(test, () => app);
let dir: string;

test.beforeAll(async () => {
  // A slow demo: a save and the two looks at the screen around it fit between two transitions.
  app = await startServe(["--demo-interval", "2500:3500"]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-recording-"));
});

test.afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Screen {
  instances: string[];
  transitions: string;
  edges: string[];
  warnings: number;
}

/** What the screen shows of the session: each instance with its state and count, the transition total, each drawn edge's count. */
async function readScreen(page: Page): Promise<Screen> {
  const rows = page.locator(".instance-row");
  const instances: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const id = (await row.locator(".instance-id").textContent())?.trim() ?? "";
    const state = (await row.getByTestId("current-state").textContent())?.trim() ?? "";
    const count = /(\d+) transitions/.exec((await row.locator(".instance-meta").textContent()) ?? "")?.[1] ?? "?";
    instances.push(`${id}=${state}×${count}`);
  }
  const transitions = (await page.locator("#transitions-h .count").textContent())?.trim() ?? "";
  const edges: string[] = [];
  for (const g of await page.locator("[data-edge]").all()) {
    const count = (await g.getAttribute("data-count")) ?? "0";
    if (count !== "0") edges.push(`${await g.getAttribute("data-edge")}=${count}`);
  }
  const warnings = await page.locator(".warnings .warning").count();
  return { instances, transitions, edges: edges.sort(), warnings };
}

test("the live demo saved as a recording reopens showing the same instances, states and counts", async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(app.url);
  await expect(page.getByRole("tab", { name: "Demo: simulated iai-mcp daemon" })).toHaveAttribute("aria-selected", "true");
  await expect.poll(async () => Number(await page.locator("#transitions-h .count").textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

  // Save, and keep the screen as it was: unchanged from just before the save to just after it.
  let live: Screen | undefined;
  let file = "";
  for (let attempt = 0; attempt < 6 && !live; attempt++) {
    const before = await readScreen(page);
    await page.keyboard.press("s");
    const dialog = page.getByRole("dialog", { name: "Save recording" });
    await dialog.getByLabel(/File paths/).check();
    if (attempt === 0) await dialog.screenshot({ path: path.join(ARTIFACTS, "save-recording-dialog.png") });
    const downloading = page.waitForEvent("download");
    await dialog.getByRole("button", { name: "Download" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("Demo-simulated-iai-mcp-daemon.fsmrec");
    file = path.join(dir, `attempt-${attempt}-${download.suggestedFilename()}`);
    await download.saveAs(file);
    await expect(dialog.getByTestId("recording-saved")).toContainText("Downloaded Demo-simulated-iai-mcp-daemon.fsmrec");
    await dialog.getByRole("button", { name: "Done" }).click();
    const after = await readScreen(page);
    if (JSON.stringify(before) === JSON.stringify(after)) live = before;
  }
  if (!live) throw new Error("the demo moved during every save");
  expect(fs.statSync(file).size).toBeGreaterThan(0);
  expect(live.instances.length).toBeGreaterThan(0);

  // Reopen it with Open log….
  await page.getByRole("button", { name: "Open log…" }).click();
  const open = page.getByRole("dialog", { name: "Open a log to replay" });
  await open.getByLabel("Log file, folder of logs, or recording").fill(file);
  await open.getByRole("button", { name: "Replay", exact: true }).click();
  await expect(open).toBeHidden();
  await expect(page.getByRole("tab", { name: /^Recording: Demo: simulated iai-mcp daemon/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("indexing")).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  const total = await page.getByTestId("replay-position").getAttribute("data-total");
  await expect(page.getByTestId("replay-position")).toHaveAttribute("data-position", total ?? "");
  await expect.poll(() => readScreen(page), { timeout: 10_000 }).toEqual(live);
  // Paths were left out: every file the replay names is a bare file name.
  await expect(page.getByTestId("observation-detail")).not.toContainText(app.demoDir);
  await page.screenshot({ path: path.join(ARTIFACTS, "recording-reopened.png") });
  expect(errors).toEqual([]);
});
