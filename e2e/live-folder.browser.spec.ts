/**
 * Live watching, as a user does it in a browser: open a data folder through the dialog; a writer
 * process changes state and the UI follows; a process holding the flock shows in the lock panel
 * with its pid, and shows released when it is killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS } from "./checks";

const ROOT = path.resolve(import.meta.dirname, "..");
let app: ServedApp;
printOnFailure(test, () => app);
let home: string;
let dataDir: string;

/** Run the TypeScript test writer: N dispatches into the folder, paced. */
function writer(count: number, pauseMs: number, seed: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/helpers/writers/iai-writer-main.ts"), dataDir, String(count), String(pauseMs), String(seed)], { cwd: ROOT, stdio: "ignore" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
  });
}

function stateOnDisk(): string {
  return (JSON.parse(fs.readFileSync(path.join(dataDir, "lifecycle_state.json"), "utf8")) as { current_state: string }).current_state;
}

async function openFolder(page: Page, folder: string): Promise<void> {
  await page.getByRole("button", { name: "Open folder…" }).click();
  const dialog = page.getByRole("dialog", { name: "Open a folder to watch" });
  await dialog.getByLabel("Folder (or one log file)").fill(folder);
  await dialog.getByRole("button", { name: "Watch this folder" }).click();
  await expect(dialog).toBeHidden();
}

test.beforeAll(async () => {
  app = await startServe(["--demo-interval", "1000:2000"]);
  home = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-home-"));
  dataDir = path.join(home, ".iai-mcp");
  fs.mkdirSync(dataDir);
  await writer(3, 0, 11);
});

test.afterAll(async () => {
  await app?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

test("opening a home folder detects iai-mcp and follows a writer process", async ({ page }) => {
  await page.goto(app.url);
  await openFolder(page, home);
  await expect(page.getByRole("tab", { name: /iai-mcp daemon sleep lifecycle: fsm-e2e-home-\w+\/\.iai-mcp/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("watched-folder")).toContainText(dataDir);
  const shown = page.getByTestId("current-state").first();
  await expect(shown).toHaveText(stateOnDisk());
  await writer(6, 150, 12);
  await expect(shown).toHaveText(stateOnDisk());
  const lastLine = fs.readFileSync(path.join(dataDir, "logs", fs.readdirSync(path.join(dataDir, "logs")).sort().pop() ?? ""), "utf8").trim().split("\n").reverse().find((l) => l.includes("state_transition"));
  const last = JSON.parse(lastLine ?? "{}") as { ts: string; from: string; to: string };
  await expect(page.locator(`[data-testid="transition"][data-ts="${last.ts}"]`)).toContainText(`${last.from} → ${last.to}`);
});

test("the lock panel shows who holds .lifecycle.lock, and when it is released", async ({ page }) => {
  await page.goto(app.url);
  await openFolder(page, dataDir); // already watched by the first test: its session is shown again
  await expect(page.getByRole("tab", { name: /iai-mcp daemon sleep lifecycle/ })).toHaveCount(1);
  const lockFile = path.join(dataDir, ".lifecycle.lock");
  const lock = page.locator(`[data-testid="lock"][data-path="${lockFile}"]`);
  await expect(lock).toHaveAttribute("data-held", "false");
  let holder: ChildProcess | undefined;
  try {
    holder = spawn("flock", ["-x", lockFile, "sleep", "600"], { stdio: "ignore", detached: true });
    // Who holds it, by the kernel's own account.
    const ino = fs.statSync(lockFile).ino;
    let pid: number | undefined;
    await expect
      .poll(() => {
        const line = fs.readFileSync("/proc/locks", "utf8").split("\n").find((l) => l.includes(`:${ino} `));
        pid = line ? Number(line.trim().split(/\s+/)[4]) : undefined;
        return pid;
      })
      .toBeGreaterThan(0);
    await expect(lock).toHaveAttribute("data-held", "true");
    const holderRow = lock.getByTestId("lock-holder");
    await expect(holderRow).toHaveAttribute("data-pid", String(pid));
    await expect(holderRow).toContainText(`pid ${pid}`);
    await expect(holderRow).toContainText(/FLOCK · exclusive · held for/);
    await page.screenshot({ path: path.join(ARTIFACTS, "lock-held.png") });
  } finally {
    if (holder?.pid) process.kill(-holder.pid, "SIGKILL");
  }
  await expect(lock).toHaveAttribute("data-held", "false");
  await expect(lock).toContainText("free");
});

test("a folder that is not a program's data folder gets a clear message in the dialog", async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole("button", { name: "Open folder…" }).click();
  const dialog = page.getByRole("dialog", { name: "Open a folder to watch" });
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-empty-"));
  fs.writeFileSync(path.join(empty, "notes.log"), "nothing to see here\n");
  await dialog.getByLabel("Folder (or one log file)").fill(empty);
  await dialog.getByRole("button", { name: "Watch this folder" }).click();
  await expect(dialog.getByRole("alert")).toContainText(/not a data folder of a known program/);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});
