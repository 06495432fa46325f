import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { writeReportJson } from "../../electron/node/check/write-json";
import { emptyCounts, type CheckReport } from "../../electron/node/check/report";

async function written(report: CheckReport): Promise<unknown> {
  const out = new PassThrough();
  let text = "";
  out.on("data", (d: Buffer) => (text += d.toString()));
  await writeReportJson(report, out);
  out.end();
  return JSON.parse(text);
}

describe("check --json written piece by piece", () => {
  it("is the same document as the report, with and without instances, transitions and events", async () => {
    const base: CheckReport = { profile: "p", target: "/t", files: [], instances: [], gaps: [], errors: [{ file: "f", line: null, message: 'a "quoted" \\ message' }], warnings: [{ file: "f", line: 2, message: "line 2 repeats line 1 exactly" }], notes: [], conforms: false };
    expect(await written(base)).toEqual(base);
    const transitions = Array.from({ length: 5000 }, (_, i) => ({ index: i, file: "f", line: i + 1, ts: null, from: "A", to: "B", event: null, eventFrom: null, verdict: "declared" as const }));
    const full: CheckReport = {
      ...base,
      instances: [
        { id: "one", finalState: "B", transitions, counts: { ...emptyCounts(), declared: 5000 }, dwell: { A: { count: 1, p50Ms: 1, p95Ms: 1, maxMs: 1 } }, edges: { "A->B": 5000 }, eventCounts: { x: 1 }, events: [{ file: "f", line: 3, ts: null, name: "x" }], notes: ["n"] },
        { id: "two", finalState: null, transitions: [], counts: emptyCounts(), dwell: {}, edges: {}, eventCounts: {}, events: [], notes: [] },
      ],
    };
    expect(await written(full)).toEqual(full);
  });
});
