/**
 * The backend keeps the user's preferences in the config folder: what one run sets, the next run
 * (another backend on the same folder) gets; a damaged file gives the defaults; a call with no
 * object is refused by name; what is not valid is not written.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, dispatch, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import { tempDir } from "../helpers/tmp";

const made: Backend[] = [];
afterEach(async () => {
  for (const b of made.splice(0)) await b.dispose();
});

function backend(configDir: string): Backend {
  const b = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: tempDir(), configDir });
  made.push(b);
  return b;
}

describe("preferences", () => {
  it("are kept for the next run, in the config folder, private to the user", async () => {
    const dir = tempDir();
    expect(await backend(dir).handlers.getPreferences(null)).toEqual({});
    const p = { theme: "light" as const, utc: true, overlays: { dwell: true, counts: false }, direction: "DOWN" as const, collapsed: { lease: ["active"] } };
    await backend(dir).handlers.setPreferences({ preferences: p });
    expect(await backend(dir).handlers.getPreferences(null)).toEqual(p);
    const file = path.join(dir, "preferences.json");
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it("a damaged file gives the defaults; what is not valid is not written", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "preferences.json"), "{not json");
    const b = backend(dir);
    expect(await b.handlers.getPreferences(null)).toEqual({});
    await b.handlers.setPreferences({ preferences: { theme: "purple", utc: false } as never });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "preferences.json"), "utf8"))).toEqual({ utc: false });
  });

  it("a call without an object is refused, naming the field", async () => {
    const r = await dispatch(backend(tempDir()), "setPreferences", { preferences: "dark" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain("preferences");
  });
});
