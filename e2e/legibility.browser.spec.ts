/**
 * Legibility, measured from the DOM at 1440×900: each built-in machine opened at its default view
 * has every state name and transition label at least 11 px high on screen, no label over another
 * label or a state, and no text cut off in its box; a machine too large for that at once is shown
 * at a readable zoom and scrolled, never shrunk. The example statecharts too: a label may run
 * inside a container, never over its title or another state.
 */
import path from "node:path";
import { test, expect } from "@playwright/test";
import { printOnFailure, startServe, type ServedApp } from "./serve-app";
import { ARTIFACTS } from "./checks";

let app: ServedApp;
test.beforeAll(async () => {
  app = await startServe(["--no-demo"]);
});
test.afterAll(async () => {
  await app?.stop();
});
printOnFailure(test, () => app);

/** The built-in profiles' machines, then the example statecharts (nested, parallel): [what to open, the machine's id]. */
const MACHINES: [string, string][] = [
  ["iai-mcp", "iai-mcp"],
  ["jumpstarter", "jumpstarter"],
  ["ecluse", "ecluse"],
  ["duckgres", "duckgres"],
  ["example:lease", "lease"],
  ["example:worker", "worker"],
];

for (const [index, [id, machineId]] of MACHINES.entries()) {
  test(`${id}: readable at the default view — text ≥ 11 px, nothing overlapping, nothing cut off`, async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(app.url);
    // The start screen's built-in machines (before any session), else the session bar's menu.
    const menu = page.getByRole("combobox", { name: "Show a built-in machine" });
    const start = page.getByTestId("start-screen");
    await expect(menu.or(start)).toBeVisible();
    if (await start.isVisible()) await start.locator(".start-machines button").nth(index).click();
    else await menu.selectOption(id);
    await expect(page.getByRole("figure", { name: new RegExp(`^Diagram of ${machineId}`) })).toBeVisible();
    const figure = page.locator(".diagram");
    await expect(figure).toHaveAttribute("data-layout", "elk", { timeout: 20_000 });
    // Let the fit settle: the viewport's transform set, then the same on two reads in a row (a loaded machine animates slowly).
    const transform = (): Promise<string> => page.locator(".react-flow__viewport").evaluate((el) => getComputedStyle(el).transform);
    await expect.poll(transform).not.toBe("none");
    let before = "";
    await expect
      .poll(async () => {
        const now = await transform();
        const settled = now === before;
        before = now;
        return settled;
      }, { intervals: [300] })
      .toBe(true);
    const report = await page.evaluate(() => {
      const vp = document.querySelector(".react-flow__viewport") as HTMLElement;
      const zoom = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a;
      const pane = (document.querySelector(".react-flow") as HTMLElement).getBoundingClientRect();
      const texts = Array.from(document.querySelectorAll(".state-name, .edge-label-line, .any-node, .history-label")) as HTMLElement[];
      const small = texts.map((el) => ({ text: el.textContent ?? "", px: parseFloat(getComputedStyle(el).fontSize) * zoom })).filter((t) => t.px < 11);
      const cut = texts.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? "");
      const boxes = [...(Array.from(document.querySelectorAll(".edge-label")) as HTMLElement[]).map((el) => ({ kind: "label", name: el.textContent ?? "", r: el.getBoundingClientRect() })), ...(Array.from(document.querySelectorAll(".state-node, .any-node, .history-node")) as HTMLElement[]).map((el) => ({ kind: "state", name: el.textContent ?? "", r: el.getBoundingClientRect() })),
        // A statechart's container: a label may run inside it (over its own area), not over its title.
        ...(Array.from(document.querySelectorAll(".container-title")) as HTMLElement[]).map((el) => ({ kind: "state", name: `${el.textContent ?? ""} (title)`, r: el.getBoundingClientRect() })),
      ];
      const overlaps: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i] as (typeof boxes)[number];
          const b = boxes[j] as (typeof boxes)[number];
          if (a.kind === "state" && b.kind === "state") continue;
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 1 && h > 1) overlaps.push(`${a.kind} "${a.name}" over ${b.kind} "${b.name}"`);
        }
      const outside = boxes.filter((b) => b.r.left < pane.left - 1 || b.r.right > pane.right + 1 || b.r.top < pane.top - 1 || b.r.bottom > pane.bottom + 1).map((b) => b.name);
      return { zoom, small, cut, overlaps, outside, fit: (document.querySelector(".diagram") as HTMLElement).dataset["fit"] };
    });
    await page.screenshot({ path: path.join(ARTIFACTS, `legibility-${id}.png`) });
    console.log(`${id}: zoom ${report.zoom.toFixed(2)}, ${report.fit}; outside the view: ${report.outside.length}`);
    expect(report.small, "text smaller than 11 px on screen").toEqual([]);
    expect(report.cut, "text cut off in its box").toEqual([]);
    expect(report.overlaps, "labels over labels or states").toEqual([]);
    // Off screen only when the machine is shown at a readable zoom and scrolled.
    if (report.outside.length) expect(report.fit).toBe("scroll");
  });
}
