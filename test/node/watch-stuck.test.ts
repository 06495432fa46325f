/** `watch --json` says when an instance is stuck: ecluse's fix-api, pending for days in the real fixture. */
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, startWatch, type WatchProcess } from "../helpers/watch-cli";

let watcher: WatchProcess | undefined;
afterEach(async () => {
  await watcher?.stop();
  watcher = undefined;
});

describe("watch --json: stuck instances", () => {
  it("emits a `stuck` warning naming the instance, its state, how long and the limit; pending-too-long keeps its name", async () => {
    watcher = await startWatch([path.join(ROOT, "test", "fixtures", "ecluse", "repo"), "--json"]);
    const stuck = await watcher.until((lines) => lines.find((l) => l.kind === "warning" && l.code === "stuck"), "a stuck warning", 20_000);
    expect(stuck.message).toMatch(/^fix-api has been in pending for .+, past 15 min 00 s \(the profile's limit\)\.$/);
    await watcher.until((lines) => lines.find((l) => l.kind === "warning" && l.code === "pending-too-long"), "the pending-too-long warning", 20_000);
    expect(watcher.warnings("stuck").filter((l) => String(l.message).startsWith("fix-api "))).toHaveLength(1);
    expect(watcher.garbage).toEqual([]);
  });
});
