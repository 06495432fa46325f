/**
 * Exports proven with the real tools in Chromium: the Mermaid text rendered by the real mermaid
 * package (no error, every state and transition label in its SVG), and our SVG opened as a page
 * (every state name drawn as text, nothing outside the viewBox) — for the four built-in machines
 * and a machine of hostile names. Screenshots of the SVGs are kept in e2e/artifacts.
 */
import path from "node:path";
import { createRequire } from "node:module";
import { test, expect, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import { exportText, prepareExport, type ExportRequest } from "../shared/diagram/export/formats";
import { normalize } from "../shared/machine/normalize";
import type { MachineDefinition } from "../shared/machine/definition";
import { layoutWithElk } from "../electron/node/export/layout";
import { embedFonts } from "../electron/node/export/fonts";
import { hostileMachine } from "../test/helpers/hostile-machine";
import { ARTIFACTS } from "./checks";
import { startServe, type ServedApp } from "./serve-app";

const require = createRequire(import.meta.url);
const MERMAID = require.resolve("mermaid/dist/mermaid.min.js");

/** A built-in profile's machine, read from its file (Playwright's loader takes no JSON imports). */
function builtin(id: string): MachineDefinition {
  return (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "shared", "profiles", `${id}.json`), "utf8")) as { machine: MachineDefinition }).machine;
}

const MACHINES: [string, MachineDefinition][] = [...["iai-mcp", "jumpstarter", "ecluse", "duckgres"].map((id): [string, MachineDefinition] => [id, builtin(id)]), ["hostile", hostileMachine()]];

/** The text Mermaid drew, with its HTML labels. */
async function renderMermaid(page: Page, source: string): Promise<string> {
  await page.setContent("<!doctype html><html><body><div id=out></div></body></html>");
  await page.addScriptTag({ path: MERMAID });
  return page.evaluate(async (src) => {
    const m = (window as unknown as { mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
    m.initialize({ startOnLoad: false, securityLevel: "strict" });
    const { svg } = await m.render("graph", src);
    const out = document.getElementById("out") as HTMLElement;
    out.innerHTML = svg;
    return out.textContent ?? "";
  }, source);
}

for (const [name, machine] of MACHINES) {
  test(`Mermaid: the real mermaid draws ${name} with every state and transition label`, async ({ page }) => {
    const req: ExportRequest = { machine, title: name };
    const { picture } = prepareExport(req);
    const text = (await renderMermaid(page, exportText("mermaid", req, picture))).replace(/\s+/g, " ");
    for (const s of normalize(machine).states) expect(text, `state ${s}`).toContain(s);
    for (const e of picture.edges) for (const l of e.labels) expect(text, `label ${l}`).toContain(l);
  });

  test(`SVG: ${name} opened in Chromium shows every state name, inside the viewBox`, async ({ page }) => {
    const req: ExportRequest = { machine, title: name, theme: name === "duckgres" ? "dark" : "light" };
    const { picture, layoutRequest } = prepareExport(req);
    const svg = await embedFonts(exportText("svg", req, picture, await layoutWithElk(layoutRequest)));
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    // The font it carries is the one it is drawn in.
    await expect.poll(() => page.evaluate(async () => (await document.fonts.load("700 12.5px 'FSM Inspector Sans'")).length)).toBeGreaterThan(0);
    const drawn = await page.locator("svg text").allTextContents();
    for (const s of normalize(machine).states) expect(drawn, `state ${s}`).toContain(s);
    const outside = await page.evaluate(() => {
      const root = document.querySelector("svg") as SVGSVGElement;
      const vb = root.viewBox.baseVal;
      const bad: string[] = [];
      for (const el of Array.from(root.querySelectorAll("text, rect, path, circle")) as SVGGraphicsElement[]) {
        const b = el.getBBox();
        const m = el.getCTM();
        const x = b.x + (m?.e ?? 0);
        const y = b.y + (m?.f ?? 0);
        if (x < vb.x - 0.5 || y < vb.y - 0.5 || x + b.width > vb.x + vb.width + 0.5 || y + b.height > vb.y + vb.height + 0.5) bad.push(`${el.tagName} ${el.textContent ?? ""} ${x},${y} ${b.width}x${b.height}`);
      }
      return bad;
    });
    expect(outside).toEqual([]);
    await page.locator("svg").screenshot({ path: path.join(ARTIFACTS, `export-${name}.png`) });
  });
}

test.describe("the Export dialog (e)", () => {
  let app: ServedApp;
  test.beforeAll(async () => {
    app = await startServe(["--demo-interval", "300:500"]);
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("previews, copies and downloads each format; the observed variant counts what the demo did", async ({ page }) => {
    await page.goto(app.url);
    await expect(page.getByRole("figure", { name: "Diagram of iai-mcp" })).toBeVisible();
    // Some transitions to observe first.
    await expect.poll(async () => Number((await page.locator(".instance-meta").first().textContent())?.match(/(\d+) transitions/)?.[1] ?? 0), { timeout: 20_000 }).toBeGreaterThan(1);
    await page.keyboard.press("e");
    const dialog = page.getByRole("dialog", { name: "Export diagram" });
    await expect(dialog).toBeVisible();
    const preview = dialog.getByTestId("export-preview");
    await expect(preview.locator("img")).toBeVisible();
    await expect.poll(async () => preview.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(300);
    await dialog.screenshot({ path: path.join(ARTIFACTS, "export-dialog.png") });

    // SVG download: every state drawn.
    const svgDl = page.waitForEvent("download");
    await dialog.getByRole("button", { name: /^Download iai-mcp\.svg/ }).click();
    const svgFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-export-")), "m.svg");
    await (await svgDl).saveAs(svgFile);
    const svg = fs.readFileSync(svgFile, "utf8");
    for (const s of ["WAKE", "DROWSY", "SLEEP", "HIBERNATION"]) expect(svg).toContain(`>${s}<`);

    // PNG at 2×: twice the SVG's size.
    await dialog.getByLabel("Format").selectOption("png");
    await dialog.getByLabel("2×").check();
    const pngDl = page.waitForEvent("download");
    await dialog.getByRole("button", { name: /^Download iai-mcp\.png/ }).click();
    const pngFile = path.join(path.dirname(svgFile), "m.png");
    await (await pngDl).saveAs(pngFile);
    const png = fs.readFileSync(pngFile);
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg) ?? [];
    expect(png.readUInt32BE(16)).toBe(Number(w) * 2);
    expect(png.readUInt32BE(20)).toBe(Number(h) * 2);

    // Mermaid: the text, and the observed variant with counts.
    await dialog.getByLabel("Format").selectOption("mermaid");
    await expect(preview.locator("pre")).toContainText("stateDiagram-v2");
    await dialog.getByLabel("as observed here").check();
    await expect(preview.locator("pre")).toContainText("×");
    await expect(preview.locator("pre")).not.toContainText(app.demoDir);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await dialog.getByRole("button", { name: "Copy as Markdown" }).click();
    await expect(dialog.getByRole("status")).toHaveText("Copied as a Markdown block.");
    // SCXML carries the declared machine only.
    await dialog.getByLabel("Format").selectOption("scxml");
    await expect(dialog.getByLabel("as observed here")).toBeDisabled();
    await expect(preview.locator("pre")).toContainText("<scxml");
  });
});
