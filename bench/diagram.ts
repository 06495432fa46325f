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
import os from "node:os";
import path from "node:path";
import { RENDERER_DIR, sourceDemoLauncher } from "../electron/node/cli/paths";
import { ratioResult, valueResult, type BenchEntry } from "./result";

export async function diagramBenchmark(): Promise<unknown> {
  if (!fs.existsSync(`${RENDERER_DIR}/bench.html`)) throw new Error("dist/renderer/bench.html is missing: run `npm run build` first");
  const executablePath = process.env["CHROMIUM_PATH"] ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-bench-cache-"));
  const backend = createBackend({ mode: "serve", version: "bench", demo: { launcher: sourceDemoLauncher() }, cacheDir });
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
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

interface PageResult {
  error?: string;
  firstPicture: { medianMs: number };
  cached: { medianMs: number };
  layout: { medianMs: number; baselineMedianMs: number };
  frames: { under16_7: number; p95Ms: number; baselineIdleP95Ms: number };
}

export const diagram: BenchEntry = {
  name: "diagram",
  async run({ log }) {
    const r = (await diagramBenchmark()) as PageResult;
    if (r.error) throw new Error(r.error);
    log(`  first picture ${r.firstPicture.medianMs} ms; elk ${r.layout.medianMs} ms (4-state machine ${r.layout.baselineMedianMs} ms); reopened ${r.cached.medianMs} ms`);
    log(`  frames while streaming: ${Math.round(r.frames.under16_7 * 100)}% under 16.7 ms, p95 ${r.frames.p95Ms} ms (idle p95 ${r.frames.baselineIdleP95Ms} ms)`);
    const machine = "a generated 100-state, 300-transition machine";
    return [
      valueResult("diagram.layout.100", `first picture of ${machine} (quick layout, then elk's), in Chromium`, r.firstPicture.medianMs, "ms", 200),
      valueResult("diagram.layout.100.elk", `elk's own layout time for ${machine}, in the worker (reported)`, r.layout.medianMs, "ms", null),
      valueResult("diagram.layout.100.cached", `${machine} opened again: its final layout from the backend's cache, drawn`, r.cached.medianMs, "ms", 50),
      ratioResult("diagram.frames.p95", `frame time p95 while 20 transitions/s stream into ${machine}, vs the same diagram idle`, r.frames.p95Ms, r.frames.baselineIdleP95Ms, "ms", 1.1),
    ];
  },
};
