/**
 * The sandbox, as a user plays with it in a browser: the iai-mcp and jumpstarter sequences of
 * SYSTEMS.md stepped by hand with payloads, undo, redo and a branch; and a fork from the live
 * demo, after which the live view goes on unchanged (a live view is read-only).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { writeIaiLog } from "./iai-log";
import { spawnSync } from "node:child_process";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Export the run (a download in a browser) and `check` it: the profile, and every transition declared. */
async function exportAndCheck(page: Page, profile: string): Promise<{ declared: number; file: string }> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: /^Export run/ }).click();
  const dl = await download;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-export-"));
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/fsm-inspector.mjs"), "check", file, "--json"], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as { profile: string; conforms: boolean; instances: { counts: Record<string, number> }[] };
  expect(report.profile).toBe(profile);
  expect(report.conforms).toBe(true);
  const sum = (k: string): number => report.instances.reduce((n, i) => n + (i.counts[k] ?? 0), 0);
  expect(sum("undeclared") + sum("fromMismatch") + sum("unknownState")).toBe(0);
  return { declared: sum("declared"), file };
}
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS, expectStateMatchesDisk } from "./checks";

let app: ServedApp;
printOnFailure(test, () => app);

test.beforeAll(async () => {
  app = await startServe(["--demo-interval", "600:1000"]);
});

test.afterAll(async () => {
  await app?.stop();
});

async function openSandbox(page: Page, profileTitle: RegExp): Promise<void> {
  await page.goto(app.url);
  await expect(page.getByRole("tab", { name: "Demo: simulated iai-mcp daemon" })).toBeVisible();
  const menu = page.getByRole("combobox", { name: "Start a sandbox of a built-in machine" });
  const value = await menu.locator("option", { hasText: profileTitle }).first().getAttribute("value");
  await menu.selectOption(value ?? "");
  await expect(page.getByTestId("sandbox")).toBeVisible();
}

async function send(page: Page, event: string, payload?: object): Promise<void> {
  const item = page.locator(`.palette-item[data-event="${event}"]`);
  if (payload) {
    const toggle = item.getByRole("button", { name: "payload" });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await item.locator("textarea").fill(JSON.stringify(payload));
  }
  await item.getByRole("button", { name: `Send ${event}` }).click();
}

const state = (page: Page) => page.getByTestId("sandbox-state");
const remembered = (page: Page, key: string) => page.getByTestId("sandbox-context").locator(`[data-key="${key}"] dd`);

test("iai-mcp: blocked with the reason, then SLEEP, HIBERNATION, WAKE; undo twice and branch", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openSandbox(page, /iai-mcp/);
  await expect(state(page)).toHaveText("WAKE");
  await expect(page.locator(".sandbox-banner")).toContainText("Sandbox");
  await expect(page.locator(".session-tab.is-sandbox.is-active")).toBeVisible();
  // The events that change something come first, each saying what it would do.
  await expect(page.locator('.palette-item[data-event="idle_5min"]')).toHaveAttribute("data-effect", "moves");

  await send(page, "idle_5min");
  await expect(state(page)).toHaveText("DROWSY");
  await expect(page.locator('.palette-item[data-event="idle_30min"]')).toHaveAttribute("data-effect", "blocked");
  await send(page, "idle_30min", { sleep_eligible: false });
  await expect(state(page)).toHaveText("DROWSY");
  await expect(page.getByTestId("sandbox-explanation")).toHaveText('idle_30min in DROWSY would go to SLEEP, but guard sleep_eligible does not hold for payload {"sleep_eligible":false}.');
  await send(page, "idle_30min", { sleep_eligible: true });
  await expect(state(page)).toHaveText("SLEEP");
  await send(page, "sleep_cycle_done", { still_idle: true });
  await expect(state(page)).toHaveText("HIBERNATION");
  await send(page, "wake_signal");
  await expect(state(page)).toHaveText("WAKE");
  await expect(page.getByTestId("sandbox-steps")).toHaveAttribute("data-steps", "5");
  // The diagram lights the sandbox's state.
  await expect(page.locator('.react-flow__node[data-id="WAKE"] .state-node')).toHaveClass(/is-current/);

  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  await expect(state(page)).toHaveText("SLEEP");
  await expect(page.getByTestId("sandbox-steps")).toHaveAttribute("data-steps", "3");
  await page.keyboard.press("Control+Shift+z");
  await expect(state(page)).toHaveText("HIBERNATION");
  await page.keyboard.press("Control+z");
  // A branch: from SLEEP, request_arrived instead; the old branch stays, viewable.
  await send(page, "request_arrived");
  await expect(state(page)).toHaveText("WAKE");
  await expect(page.getByTestId("branch")).toHaveCount(1);
  await page.screenshot({ path: path.join(ARTIFACTS, "sandbox-iai.png") });
  await page.getByTestId("branch").click();
  await expect(state(page)).toHaveText("WAKE");
  await expect(page.getByTestId("sandbox-steps")).toHaveAttribute("data-steps", "5");
  // How do I reach HIBERNATION from here?
  await page.getByRole("combobox", { name: "State to reach" }).selectOption("HIBERNATION");
  await expect(page.getByTestId("reach-path").locator("li")).toHaveCount(3);
  await page.getByRole("button", { name: "Play all" }).click();
  await expect(state(page)).toHaveText("HIBERNATION");
  // The run on screen, exported in the daemon's own log format and checked: 7 transitions (the blocked step wrote none).
  const exported = await exportAndCheck(page, "iai-mcp");
  expect(path.basename(exported.file)).toMatch(/^lifecycle-events-\d{4}-\d\d-\d\d\.jsonl$/);
  expect(exported.declared).toBe(7);
  expect(errors).toEqual([]);
});

test("jumpstarter: request_end remembered during BEFORE_LEASE, not in CREATED; hook failures under each onFailure policy", async ({ page }) => {
  await openSandbox(page, /jumpstarter/);
  await expect(state(page)).toHaveText("CREATED");
  // request_end in CREATED only signals the end; start then goes to STARTING with end requested still false.
  await send(page, "request_end");
  await expect(state(page)).toHaveText("CREATED");
  await expect(remembered(page, "endSignalled")).toHaveText("true");
  await send(page, "start");
  await expect(state(page)).toHaveText("STARTING");
  await expect(remembered(page, "endRequested")).toHaveText("false");

  // Each policy, from STARTING: the lease passes BEFORE_LEASE and goes READY in all three.
  for (const [policy, status, stop] of [["warn", "LEASE_READY", "false"], ["endLease", "BEFORE_LEASE_HOOK_FAILED", "false"], ["exit", "OFFLINE", "true"]] as const) {
    await send(page, "before_hook_failed", { onFailure: policy });
    await expect(state(page)).toHaveText("READY");
    await expect(remembered(page, "status")).toHaveText(JSON.stringify(status));
    await expect(remembered(page, "stopAfterLease")).toHaveText(stop);
    if (policy === "exit") {
      await expect(page.getByTestId("sandbox-explanation")).toContainText('"BEFORE_LEASE_HOOK_FAILED"');
      // At the end of the lease the after-lease hook is skipped: ENDING → RELEASING → DONE.
      await send(page, "request_end");
      await send(page, "after_hook_done");
      await expect(state(page)).toHaveText("DONE");
      await expect(page.getByTestId("sandbox-explanation")).toHaveText(/ENDING → RELEASING → DONE/);
      await expect(page.getByTestId("sandbox-explanation")).not.toContainText("AFTER_LEASE");
    } else await page.keyboard.press("Control+z");
  }
  // request_end during BEFORE_LEASE is remembered: the hook's end goes to ENDING, not READY.
  await page.getByRole("button", { name: /^0 start in/ }).click();
  await send(page, "start");
  await send(page, "before_hook_started");
  await expect(state(page)).toHaveText("BEFORE_LEASE");
  await expect(remembered(page, "status")).toHaveText('"BEFORE_LEASE_HOOK"');
  await send(page, "request_end");
  await expect(state(page)).toHaveText("BEFORE_LEASE");
  await expect(remembered(page, "endRequested")).toHaveText("true");
  await send(page, "before_hook_done");
  await expect(state(page)).toHaveText("ENDING");
  await expect(page.getByTestId("sandbox-explanation")).toContainText("guard endRequested (remembered) holds");
  // The earlier line (request_end in CREATED, the hook failures) is another branch now.
  await expect(page.getByTestId("branch").first()).toBeVisible();
  // Exported as the exporter's log: CREATED → STARTING → BEFORE_LEASE → ENDING, all declared.
  const exported = await exportAndCheck(page, "jumpstarter");
  expect(path.basename(exported.file)).toBe("exporter.log");
  expect(exported.declared).toBe(3);
  await page.screenshot({ path: path.join(ARTIFACTS, "sandbox-jumpstarter.png") });
});

test("a fork of the live demo's instance: the sandbox starts at its state, the live view goes on unchanged", async ({ page }) => {
  await page.goto(app.url);
  await expectStateMatchesDisk(page, app.demoDir);
  const liveState = (await page.getByTestId("current-state").first().textContent())?.trim() ?? "";
  await page.getByTestId("fork-sandbox").click();
  await expect(page.getByTestId("sandbox")).toBeVisible();
  const forked = (await state(page).textContent())?.trim() ?? "";
  expect(["WAKE", "DROWSY", "SLEEP", "HIBERNATION"]).toContain(forked);
  expect([liveState, "WAKE", "DROWSY", "SLEEP", "HIBERNATION"]).toContain(forked);
  // Step the sandbox somewhere the daemon is not sent.
  await send(page, "request_arrived");
  await expect(state(page)).toHaveText("WAKE");
  // The daemon goes on meanwhile: the sandbox compares its path with what the live instance did since.
  await expect(page.getByTestId("sandbox-diff")).toContainText(/(Follows|Diverges from) the live instance/, { timeout: 20_000 });
  // Back to the live tab: it still follows the files on disk, new transitions included.
  await page.getByRole("tab", { name: "Demo: simulated iai-mcp daemon" }).click();
  await expectStateMatchesDisk(page, app.demoDir);
  await expect(page.getByRole("tab", { name: /Sandbox/ })).toBeVisible();
});

/** The event (and payload) that moves the iai-mcp daemon along each transition of its cycle. */
const CYCLE_EVENT: Record<string, [string, object?]> = {
  "WAKE->DROWSY": ["idle_5min"],
  "DROWSY->SLEEP": ["idle_30min", { sleep_eligible: true }],
  "SLEEP->HIBERNATION": ["sleep_cycle_done", { still_idle: true }],
  "HIBERNATION->WAKE": ["wake_signal"],
};

test("a fork at a replay position: the recorded history comes along, and the diff says where the sandbox leaves the recording", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-sandbox-"));
  try {
    const file = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeIaiLog(file, { lines: 40, undeclared: [], fromMismatch: [], badLines: [] });
    await page.goto(app.url);
    await page.getByRole("button", { name: "Open log…" }).click();
    const dialog = page.getByRole("dialog", { name: "Open a log to replay" });
    await dialog.getByLabel("Log file, folder of logs, or recording").fill(file);
    await dialog.getByRole("button", { name: "Replay", exact: true }).click();
    await expect(page.getByTestId("indexing")).toHaveAttribute("data-state", "done", { timeout: 30_000 });
    // Six transitions back, each one seen to land before the next key.
    const position = page.getByTestId("replay-position");
    await expect(position).toHaveAttribute("data-position", "40");
    for (let i = 0; i < 6; i++) {
      const before = Number(await position.getAttribute("data-position"));
      await page.keyboard.press("ArrowLeft");
      await expect.poll(async () => Number(await position.getAttribute("data-position"))).toBeLessThan(before);
    }
    const at = (await page.getByTestId("current-state").first().textContent())?.trim() ?? "";
    // The button on the replay's timeline (the diagram's toolbar has one too).
    await page.getByRole("toolbar", { name: "Playback" }).getByRole("button", { name: "Fork to sandbox here" }).click();
    await expect(state(page)).toHaveText(at);
    const diff = page.getByTestId("sandbox-diff");
    await expect(diff).toContainText("Follows the recording so far");
    // Do what the recording did next: still following it.
    const next = /it went on: (\w+) → (\w+)/.exec((await diff.textContent()) ?? "");
    expect(next?.[1]).toBe(at);
    const [event, payload] = CYCLE_EVENT[`${next?.[1]}->${next?.[2]}`] ?? ["?"];
    await send(page, event, payload);
    await expect(state(page)).toHaveText(next?.[2] ?? "?");
    await expect(diff).toContainText("Follows the recording so far");
    // Then something else: the diff says where the paths part.
    await send(page, "request_arrived");
    await expect(diff).toContainText("Diverges from the recording at transition 2");
    // The replay itself did not move.
    await page.getByRole("tab", { name: /Replay: lifecycle-events-2026-06-10\.jsonl/ }).click();
    await expect(page.getByTestId("current-state").first()).toHaveText(at);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Sandbox files: each step written as the daemon writes it, in the sandbox's own folder, watched like a real program's", async ({ page }) => {
  await openSandbox(page, /iai-mcp/);
  // Turned on once the backend made the folder.
  await page.getByLabel(/Sandbox files/).click();
  await expect(page.getByLabel(/Sandbox files/)).toBeChecked();
  const folder = (await page.getByTestId("sandbox-folder").textContent()) ?? "";
  expect(path.basename(folder)).toMatch(/^fsm-inspector-sandbox-iai-mcp-/);
  expect(folder.startsWith(app.demoDir)).toBe(false);
  await send(page, "idle_5min");
  await send(page, "idle_30min", { sleep_eligible: true });
  await expect.poll(() => (JSON.parse(fs.readFileSync(path.join(folder, "lifecycle_state.json"), "utf8")) as { current_state: string }).current_state).toBe("SLEEP");
  await page.getByRole("button", { name: "Watch this folder" }).click();
  await expect(page.getByTestId("sandbox")).toBeHidden();
  await expect(page.getByTestId("current-state").first()).toHaveText("SLEEP");
  // Back in the sandbox, one more step: the watching session sees it arrive.
  await page.locator(".session-tab.is-sandbox .session-tab-main").click();
  await send(page, "sleep_cycle_done", { still_idle: true });
  await page.getByRole("tab", { name: new RegExp(path.basename(folder)) }).click();
  await expect(page.getByTestId("current-state").first()).toHaveText("HIBERNATION");
  await page.screenshot({ path: path.join(ARTIFACTS, "sandbox-files-watched.png") });
  fs.rmSync(folder, { recursive: true, force: true });
});
