/**
 * The backend's cache of finished diagram layouts: through the contract's calls, on real files
 * in a temp cache folder. A damaged, foreign or hostile file is a miss, never an error.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createBackend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import type { Layout } from "../../shared/diagram/layout";
import { tempDir } from "../helpers/tmp";

const layout = JSON.parse(
  `{"engine":"elk","ms":12.5,"nodes":{"WAKE":{"x":0,"y":0,"width":80,"height":40},"__proto__":{"x":100,"y":0,"width":80,"height":40}},"edges":{"WAKE->__proto__":{"points":[{"x":80,"y":20},{"x":100,"y":20}],"label":{"x":85,"y":5,"width":10,"height":10}}}}`,
) as Layout;

function backendIn(dir: string): ReturnType<typeof createBackend> {
  return createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: dir });
}

describe("layout cache", () => {
  it("keeps a finished layout across backends (a restart), keyed exactly", async () => {
    const dir = tempDir();
    const a = backendIn(dir);
    expect(await a.handlers.getCachedLayout({ key: "v1|m:abc|RIGHT" })).toBe(null);
    await a.handlers.cacheLayout({ key: "v1|m:abc|RIGHT", layout });
    await a.dispose();
    const b = backendIn(dir);
    const back = await b.handlers.getCachedLayout({ key: "v1|m:abc|RIGHT" });
    expect(back && Object.keys(back.nodes)).toEqual(["WAKE", "__proto__"]);
    expect(back?.nodes["__proto__"]).toEqual({ x: 100, y: 0, width: 80, height: 40 });
    expect(back?.edges["WAKE->__proto__"]?.label?.width).toBe(10);
    expect(await b.handlers.getCachedLayout({ key: "v1|m:abc|DOWN" })).toBe(null);
    const files = fs.readdirSync(path.join(dir, "layouts"));
    expect(files).toHaveLength(1);
    expect(fs.statSync(path.join(dir, "layouts", files[0] as string)).mode & 0o777).toBe(0o600);
    await b.dispose();
  });

  it("treats a damaged or foreign file as a miss, and refuses a layout that is not one", async () => {
    const dir = tempDir();
    const be = backendIn(dir);
    await be.handlers.cacheLayout({ key: "k", layout });
    const file = path.join(dir, "layouts", fs.readdirSync(path.join(dir, "layouts"))[0] as string);
    for (const text of ["{not json", JSON.stringify({ key: "other", layout }), JSON.stringify({ key: "k", layout: { ...layout, nodes: { A: { x: "1" } } } }), ""]) {
      fs.writeFileSync(file, text);
      expect(await be.handlers.getCachedLayout({ key: "k" })).toBe(null);
    }
    for (const bad of [{ engine: "quick", nodes: {}, edges: {} }, { engine: "elk", nodes: { A: { x: 1, y: 2, width: Infinity, height: 1 } }, edges: {} }, { engine: "elk", nodes: {}, edges: { e: { points: "no" } } }]) {
      await expect(be.handlers.cacheLayout({ key: "k", layout: bad as unknown as Layout })).rejects.toThrow(/not a finished elk layout/);
    }
    await be.dispose();
  });
});
