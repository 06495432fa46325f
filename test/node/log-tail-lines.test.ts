/**
 * Watching reads every line of a log exactly as `check` does — over real files of random line
 * lengths (some longer than the read chunk, multi-byte characters cut at chunk boundaries),
 * started at random offsets (the history limit), read in random chunk sizes, with the rest
 * appended in random pieces that end mid-line. Regression: the tail reused its read buffer while
 * the line splitter still held a view into it, losing a line at every 64 KiB boundary.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../electron/node/check/run-check";
import { resolveTarget } from "../../electron/node/target/target";
import { lineParserFor } from "../../electron/node/sources/line-parsers";
import { LogTail } from "../../electron/node/sources/log-tail";
import { findProfile } from "../../shared/profiles";
import type { JsonlLogSource } from "../../shared/profiles/profile";
import type { NewObservation } from "../../shared/trace/observation";
import { tempDir, waitFor } from "../helpers/tmp";

const profile = findProfile("iai-mcp");
if (!profile) throw new Error("no iai-mcp profile");
const spec = profile.sources.find((s): s is JsonlLogSource => s.kind === "jsonl-log");
if (!spec) throw new Error("no jsonl source");
const CYCLE = ["WAKE", "DROWSY", "SLEEP", "HIBERNATION"];

function line(n: number, padLen: number): string {
  const from = CYCLE[n % 4] as string;
  const to = CYCLE[(n + 1) % 4] as string;
  // "é" and "€" are 2 and 3 bytes: chunk boundaries fall inside characters too.
  const pad = "aé€".repeat(Math.ceil(padLen / 3)).slice(0, padLen);
  return JSON.stringify({ ts: new Date(Date.UTC(2026, 5, 10) + n * 1000).toISOString(), event: "state_transition", from, to, n, pad });
}

type Seen = { line: number | undefined; from: string; to: string };
const transitions = (items: readonly NewObservation[]): Seen[] => items.flatMap((o) => (o.kind === "transition" ? [{ line: o.source.line, from: o.from, to: o.to }] : []));
const problems = (items: readonly NewObservation[]): string[] => items.flatMap((o) => (o.kind === "warning" ? [o.message] : []));

describe("log tail reads every line once, as check does", () => {
  it("over real files, random line lengths, start offsets, chunk sizes and appends", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 2, arbitrary: fc.integer({ min: 300, max: 70_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 65_000, max: 200_000 }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.oneof(fc.constant(64 * 1024), fc.integer({ min: 512, max: 9000 })),
        fc.option(fc.integer({ min: 1, max: 400_000 }), { nil: undefined }),
        fc.array(fc.integer({ min: 1, max: 150_000 }), { minLength: 1, maxLength: 8 }),
        async (pads, splitAt, chunkBytes, historyBytes, pieces) => {
          const dir = tempDir("fsm-tail-");
          const logs = path.join(dir, "logs");
          fs.mkdirSync(logs);
          const file = path.join(logs, "lifecycle-events-2026-06-10.jsonl");
          const text = pads.map((p, n) => line(n, p) + "\n").join("");
          const bytes = Buffer.from(text, "utf8");
          const lineStarts = [0];
          for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lineStarts.push(i + 1);
          const first = lineStarts[Math.min(splitAt, pads.length)] ?? 0;
          fs.writeFileSync(file, bytes.subarray(0, first));

          const seen: NewObservation[] = [];
          const tail = new LogTail(dir, spec.glob, () => lineParserFor(spec, profile, "daemon"), (items) => seen.push(...items), Date.now, {
            gzip: true,
            chunkBytes,
            ...(historyBytes !== undefined ? { historyBytes } : {}),
          });
          // Watching starts `historyBytes` from the end and skips the line it lands in, unless it lands on its first byte.
          const startAt = historyBytes !== undefined && first > historyBytes ? first - historyBytes : -1;
          const fromIdx = lineStarts.findIndex((s) => s >= startAt);
          const visible = (upTo: number): number => lineStarts.filter((s, i) => i >= fromIdx && i < pads.length && (lineStarts[i + 1] ?? Infinity) <= upTo).length;
          await tail.start();
          try {
            // The rest, in pieces that end anywhere (mid-line, mid-character).
            let at = first;
            let k = 0;
            while (at < bytes.length) {
              const n = Math.min(pieces[k++ % pieces.length] ?? 1, bytes.length - at);
              fs.appendFileSync(file, bytes.subarray(at, at + n));
              at += n;
              const want = visible(at);
              await waitFor(() => transitions(seen).length >= want || undefined, `${want} lines`, 20_000, 5);
            }
          } finally {
            await tail.close();
          }

          const target = await resolveTarget(file, profile);
          const report = await runCheck(target, { keepDetails: true });
          const checked = (report.instances[0]?.transitions ?? []).map((t) => ({ line: t.line ?? undefined, from: t.from, to: t.to }));
          expect(report.errors).toEqual([]);
          expect(checked).toHaveLength(pads.length);
          expect(problems(seen)).toEqual([]);
          expect(transitions(seen)).toEqual(checked.slice(fromIdx));
        },
      ),
      { numRuns: runs(25) },
    );
  }, 300_000);
});
