/**
 * Diagram benchmark (not a test): opens the benchmark page (renderer/bench.html) in Chromium
 * through serve mode and returns what it measured: elk layout time in the worker for a generated
 * 100-state, 300-transition machine, and frame times while transitions stream at 20/s, each with
 * its in-page baseline.
 */
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { createBackend } from "../electron/node/backend";
import { serve } from "../electron/node/server/server";
import { RENDERER_DIR, sourceDemoLauncher } from "../electron/node/cli/paths";

export async function diagramBenchmark(): Promise<unknown> {
  if (!fs.existsSync(`${RENDERER_DIR}/bench.html`)) throw new Error("dist/renderer/bench.html is missing: run `npm run build` first");
  const executablePath = process.env["CHROMIUM_PATH"] ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
  const backend = createBackend({ mode: "serve", version: "bench", demo: { launcher: sourceDemoLauncher() } });
  const server = await serve({ backend, rendererDir: RENDERER_DIR });
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.port}/bench.html?token=${server.token}`);
    await page.waitForFunction(() => (window as { __bench?: unknown }).__bench !== undefined, undefined, { timeout: 180_000, polling: 500 });
    const result = await page.evaluate(() => (window as { __bench?: unknown }).__bench);
    if (errors.length) throw new Error(`the benchmark page failed: ${errors.join("; ")}`);
    return result;
  } finally {
    await browser.close();
    await server.close();
    await backend.dispose();
  }
}
