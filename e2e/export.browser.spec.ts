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
import { exportText, prepareExport, type ExportRequest } from "../shared/diagram/export/formats";
import { normalize } from "../shared/machine/normalize";
import type { MachineDefinition } from "../shared/machine/definition";
import { layoutWithElk } from "../electron/node/export/layout";
import { hostileMachine } from "../test/helpers/hostile-machine";
import { ARTIFACTS } from "./checks";

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
    const svg = exportText("svg", req, picture, await layoutWithElk(layoutRequest));
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
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
