/** A browser's download of a snapshot export is a tar of its folder: the system's tar unpacks it to the same files. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tarFolder } from "../../../shared/sandbox/tar";
import { tempDir } from "../../helpers/tmp";

describe("tarFolder", () => {
  it("unpacks with tar to the folder and its files, byte for byte (sizes at and across 512-byte blocks, unicode)", () => {
    const files = [
      { name: "0001.json", text: "{}" },
      { name: "0002.json", text: "x".repeat(512) },
      { name: "snapshot-1.csv", text: `é,ü,\u2603\n${"y".repeat(1000)}` },
    ];
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "out.tar"), tarFolder("ecluse-sandbox", files, Date.UTC(2026, 0, 1)));
    const r = spawnSync("tar", ["-xf", "out.tar"], { cwd: dir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    for (const f of files) expect(fs.readFileSync(path.join(dir, "ecluse-sandbox", f.name), "utf8")).toBe(f.text);
    expect(fs.readdirSync(path.join(dir, "ecluse-sandbox")).sort()).toEqual(files.map((f) => f.name).sort());
  });

  it("refuses a name that is not a plain file name", () => {
    expect(() => tarFolder("x", [{ name: "../evil", text: "" }], 0)).toThrow(/plain file name/);
  });
});
