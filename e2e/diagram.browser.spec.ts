/**
 * The diagram, as a user sees it: each built-in machine drawn legibly (screenshots kept), the
 * current state lit and moving on a live transition, an undeclared transition in a log drawn as a
 * ghost edge, overlays toggled by button and key, the shortcut help.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS, stateOnDisk } from "./checks";

const ROOT = path.resolve(import.meta.dirname, "..");
let app: ServedApp;
printOnFailure(test, () => app);
const made: string[] = [];

test.beforeAll(async () => {
  app = await startServe(["--demo-interval", "700:1100"]);
});

test.afterAll(async () => {
  await app?.stop();
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function line(ts: string, from: string, to: string, trigger: string): string {
  return JSON.stringify({ ts, event: "state_transition", from, to, trigger });
}

async function openFolder(page: Page, folder: string, profile?: string): Promise<void> {
  await page.getByRole("button", { name: "Open folder…" }).click();
  const dialog = page.getByRole("dialog", { name: "Open a folder to watch" });
  await dialog.getByLabel("Folder (or one log file)").fill(folder);
  if (profile) await dialog.getByLabel("Profile").selectOption(profile);
  await dialog.getByRole("button", { name: "Watch this folder" }).click();
  await expect(dialog).toBeHidden();
}

for (const [id, states] of [
  ["iai-mcp", ["WAKE", "DROWSY", "SLEEP", "HIBERNATION"]],
  ["jumpstarter", ["CREATED", "STARTING", "BEFORE_LEASE", "READY", "ENDING", "AFTER_LEASE", "RELEASING", "DONE", "FAILED"]],
  ["ecluse", ["absent", "pending", "active"]],
  ["duckgres", ["spawning", "idle", "reserved", "activating", "hot", "hot_idle", "draining", "retired", "lost"]],
] as const) {
  test(`draws the ${id} machine with every state findable by name`, async ({ page }) => {
    await page.goto(app.url);
    await page.getByLabel("Show a built-in machine").selectOption(id);
    const figure = page.getByRole("figure", { name: /Diagram of/ });
    await expect(figure).toHaveAttribute("data-layout", "elk");
    // Too large to read at once: shown readable and scrolled; `f` fits all of it (smaller).
    if ((await figure.getAttribute("data-fit")) === "scroll") {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press("f");
      await expect(figure).toHaveAttribute("data-fit", "whole");
    }
    for (const s of states) await expect(page.getByLabel(new RegExp(`^State ${s}( |,|$)`))).toBeVisible();
    // Root-level transitions are drawn once, from "any state"; fan-ins once, from a group.
    if (id === "iai-mcp" || id === "jumpstarter") await expect(page.getByLabel("Any state (root-level transitions)")).toHaveCount(1);
    if (id === "duckgres") await expect(page.getByLabel(/^Any of spawning, idle, reserved, activating, hot, hot_idle/)).toHaveCount(2);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, `machine-${id}.png`) });
  });
}

test("a machine is drawn at once with a quick layout, then elk's; opened again, elk's layout comes first", async ({ page }) => {
  // Every layout engine the diagram shows, in order (the figure's data-layout attribute).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __layouts: string[] }).__layouts = seen;
    new MutationObserver(() => {
      const v = document.querySelector("[role=figure][data-layout]")?.getAttribute("data-layout");
      if (v && v !== seen[seen.length - 1]) seen.push(v);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-layout"], childList: true });
  });
  const open = async (): Promise<string[]> => {
    await page.goto(app.url);
    await page.getByLabel("Show a built-in machine").selectOption("duckgres");
    await expect(page.getByRole("figure", { name: "Diagram of duckgres" })).toHaveAttribute("data-layout", "elk");
    return page.evaluate(() => (window as unknown as { __layouts: string[] }).__layouts.filter((v) => v !== "pending"));
  };
  const first = await open();
  expect(first[first.length - 1]).toBe("elk");
  // A reload forgets this page's layouts: the backend's cache answers, so no quick layout is drawn.
  const again = await open();
  expect(again.length).toBeGreaterThan(0);
  expect(new Set(again)).toEqual(new Set(["elk"]));
});

test("the current state is lit, and the highlight moves with each live transition", async ({ page }) => {
  await page.goto(app.url);
  const lit = page.locator('.state-node[data-current="true"]');
  await expect(lit).toHaveCount(1);
  const demoDir = (await page.getByTestId("watched-folder").locator("code").textContent())?.trim() ?? "";
  await expect.poll(async () => ((await lit.getAttribute("data-state")) === stateOnDisk(demoDir) ? "same" : "differ"), { timeout: 10_000 }).toBe("same");
  const first = await lit.getAttribute("data-state");
  await expect.poll(async () => lit.getAttribute("data-state"), { timeout: 15_000 }).not.toBe(first);
  await expect(page.locator(".transition-edge.is-active")).toHaveCount(1);
  await expect(page.getByTestId("node-timer")).toBeVisible();
});

test("an undeclared transition in a log is a dashed ghost edge; overlays toggle", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-ghost-"));
  made.push(dir);
  fs.mkdirSync(path.join(dir, "logs"));
  fs.writeFileSync(
    path.join(dir, "logs", "lifecycle-events-2026-06-01.jsonl"),
    [
      line("2026-06-01T10:00:00+00:00", "WAKE", "DROWSY", "idle_5min"),
      line("2026-06-01T10:05:00+00:00", "DROWSY", "WAKE", "heartbeat_refresh"),
      line("2026-06-01T10:06:00+00:00", "WAKE", "DROWSY", "idle_5min"),
      line("2026-06-01T10:20:00+00:00", "DROWSY", "HIBERNATION", "idle_30min"),
    ].join("\n") + "\n",
  );
  await page.goto(app.url);
  await openFolder(page, dir, "iai-mcp");
  const ghost = page.locator('[data-edge="ghost:DROWSY->HIBERNATION"]');
  await expect(ghost).toBeVisible();
  await expect(page.locator(".edge-label.is-ghost")).toContainText("undeclared");
  await expect(page.locator(".edge-label.is-ghost").getByTestId("edge-count")).toHaveText("×1");
  await expect(page.getByTestId("transition").first()).toContainText("undeclared");
  await page.screenshot({ path: path.join(ARTIFACTS, "ghost-edge.png") });

  // Overlays: the button and its key.
  await page.getByRole("button", { name: "Undeclared" }).click();
  await expect(ghost).toHaveCount(0);
  await page.keyboard.press("3");
  await expect(ghost).toBeVisible();
  await expect(page.locator('[data-edge="WAKE->DROWSY"] >> xpath=..').first()).toBeAttached();
  await expect(page.getByTestId("edge-count").first()).toBeVisible();
  await page.getByRole("button", { name: "Counts" }).click();
  await expect(page.locator(".edge-label:not(.is-ghost)").getByTestId("edge-count")).toHaveCount(0);
  await expect(page.getByTestId("node-dwell")).toHaveCount(0);
  await page.keyboard.press("2");
  await expect(page.getByLabel(/^State DROWSY/).getByTestId("node-dwell")).toContainText("p50");
  await page.keyboard.press("4");
  await expect(page.locator('.state-node.is-unseen[data-state="SLEEP"]')).toHaveCount(1);
});

test("transitions arriving faster than the animation never leave the view behind", async ({ page }) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-burst-"));
  made.push(home);
  const dir = path.join(home, ".iai-mcp");
  fs.mkdirSync(dir);
  const write = (count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/helpers/writers/iai-writer-main.ts"), dir, String(count), "15", "3"], { cwd: ROOT, stdio: "ignore" });
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
    });
  await write(1);
  await page.goto(app.url);
  await openFolder(page, home);
  await write(40); // 40 dispatches 15 ms apart: far faster than a 700 ms animation
  const lit = page.locator('.state-node[data-current="true"]');
  await expect(lit).toHaveAttribute("data-state", stateOnDisk(dir), { timeout: 1500 });
});

test("? opens the keyboard shortcuts; Escape closes them", async ({ page }) => {
  await page.goto(app.url);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Overlay: undeclared transitions as dashed ghost edges");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
});
