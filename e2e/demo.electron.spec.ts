/**
 * The same promises as demo.browser.spec.ts, through the real desktop app (Playwright's _electron).
 * Skipped, with the reason printed, where no Electron binary exists (as on our build machines).
 */
import path from "node:path";
import { test, expect, _electron as electron, type ElectronApplication } from "@playwright/test";
import { findElectronBinary } from "../scripts/electron-binary.mjs";
import { CALL_NAMES } from "../shared/ipc/contract";
import { ARTIFACTS, expectNewTransitionShown, expectStateMatchesDisk } from "./checks";

const binary = findElectronBinary();
const reason = `no Electron binary: ${binary.problem ?? ""}. Set ELECTRON_OVERRIDE_DIST_PATH to an Electron build to run this spec.`;
if (!binary.path) console.log(`[electron spec skipped] ${reason}`);

test.describe("desktop app", () => {
  test.skip(!binary.path, reason);
  let app: ElectronApplication;

  test.beforeAll(async () => {
    app = await electron.launch({
      ...(binary.path ? { executablePath: binary.path } : {}),
      args: [path.resolve(import.meta.dirname, "..", "dist", "electron", "main.cjs"), "--no-sandbox"],
    });
  });

  test.afterAll(async () => {
    await app?.close();
  });

  test("opens on the live demo, shows the state on disk and each new transition", async () => {
    const page = await app.firstWindow();
    const folder = (await page.getByTestId("watched-folder").locator("code").textContent())?.trim() ?? "";
    expect(folder).toContain("fsm-inspector-demo-");
    await expectStateMatchesDisk(page, folder);
    await expectNewTransitionShown(page, folder, 2000);
    // Sandboxed, isolated renderer: no Node, and the bridge holds only the contract's functions.
    const renderer = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as unknown as { fsmBridge: object }).fsmBridge).sort(),
      files: Object.keys((globalThis as unknown as { fsmFiles: object }).fsmFiles),
    }));
    expect(renderer.require).toBe("undefined");
    expect(renderer.process).toBe("undefined");
    expect(renderer.bridge).toEqual([...CALL_NAMES, "subscribe"].sort());
    // The one other function: the path of a file dropped onto the window.
    expect(renderer.files).toEqual(["pathForFile"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "electron-main-screen.png") });
  });
});
