import { defineConfig } from "@playwright/test";
import fs from "node:fs";

/** Debian's Chromium by default (Playwright cannot download browsers here); override with CHROMIUM_PATH. */
const chromiumPath = process.env["CHROMIUM_PATH"] ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry: these machines are loaded at random; a test that fails twice fails, and a first failure prints why (printOnFailure) and counts as "flaky".
  retries: 1,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    {
      name: "chromium",
      testMatch: /.*\.browser\.spec\.ts/,
      use: {
        browserName: "chromium",
        launchOptions: {
          ...(chromiumPath ? { executablePath: chromiumPath } : {}),
          args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
    { name: "electron", testMatch: /.*\.electron\.spec\.ts/ },
  ],
});
