import path from "node:path";
import { test, expect } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS, expectNewTransitionShown, expectStateMatchesDisk } from "./checks";

let app: ServedApp;
printOnFailure(test, () => app);

test.beforeAll(async () => {
  app = await startServe(["--demo-interval", "600:1000"]);
});

test.afterAll(async () => {
  await app?.stop();
});

test("opens on the live demo and shows the state lifecycle_state.json holds", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(app.url);
  await expect(page.getByTestId("watched-folder")).toContainText(app.demoDir);
  await expect(page.getByRole("tab", { name: "Demo: simulated iai-mcp daemon" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("figure", { name: "Diagram of iai-mcp" })).toBeVisible();
  await expectStateMatchesDisk(page, app.demoDir);
  await expect(page.getByTestId("time-in-state").first()).toHaveText(/\d/);
  await expect(page.locator(".connection")).toContainText("live");
  expect(errors, "no errors in the page (CSP violations included)").toEqual([]);
});

test("shows a new transition within 2 s of the demo writing it", async ({ page }, testInfo) => {
  await page.goto(app.url);
  await expectStateMatchesDisk(page, app.demoDir);
  const latencies: number[] = [];
  for (let i = 0; i < 3; i++) latencies.push(await expectNewTransitionShown(page, app.demoDir, 2000));
  testInfo.annotations.push({ type: "latency", description: `write → shown: ${latencies.join(", ")} ms` });
  console.log(`write → shown in the UI: ${latencies.join(", ")} ms`);
  // The diagram lights the state the instance is in.
  const current = (await page.getByTestId("current-state").first().textContent())?.trim() ?? "";
  await expect(page.locator(`.state-node[data-state="${current}"]`)).toHaveAttribute("data-current", "true", { timeout: 3000 }).catch(async () => {
    // the state may have moved on meanwhile: whichever node is lit must be the one shown
    const shown = (await page.getByTestId("current-state").first().textContent())?.trim() ?? "";
    await expect(page.locator(`.state-node[data-current="true"]`)).toHaveAttribute("data-state", shown);
  });
  const file = path.join(ARTIFACTS, "main-screen.png");
  await page.screenshot({ path: file });
  await testInfo.attach("main-screen", { path: file, contentType: "image/png" });
});

test("the page without the token gets no data and says how to get in", async ({ page }) => {
  const res = await page.goto(app.url.replace(/\?token=.*/, ""));
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("access-refused")).toContainText("Open the URL printed by fsm-inspector serve, with its token");
  await expect(page.getByTestId("watched-folder")).toHaveCount(0);
});
