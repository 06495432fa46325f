import { describe, expect, it, vi } from "vitest";
import { ObservationBatcher } from "../../renderer/src/app/observation-batcher";
import type { Observation } from "../../shared/trace/observation";

const obs = (seq: number): Observation => ({ kind: "event", seq, instance: "w", name: "x", tsFrom: "observed", source: {} });

describe("observations applied together", () => {
  it("applies the first batch after a quiet spell at once, then at most one update per period, in order, per session, nothing lost", () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      const applied: [string, number[]][] = [];
      const b = new ObservationBatcher((id, items) => applied.push([id, items.map((o) => o.seq)]), 100, () => t);
      b.push("a", [obs(1)]);
      expect(applied).toEqual([["a", [1]]]);
      // 130 messages in the next 100 ms: none applied until the period ends, then all in one update each session.
      for (let i = 2; i <= 131; i++) {
        t += 0.7;
        b.push(i % 2 ? "a" : "b", [obs(i)]);
      }
      expect(applied).toHaveLength(1);
      t = 100;
      vi.advanceTimersByTime(100);
      expect(applied).toHaveLength(3);
      expect(applied.slice(1)).toEqual([
        ["b", Array.from({ length: 65 }, (_, k) => 2 + 2 * k)],
        ["a", Array.from({ length: 65 }, (_, k) => 3 + 2 * k)],
      ]);
      // Stopping applies what waits.
      b.push("a", [obs(200)]);
      b.stop();
      expect(applied[3]).toEqual(["a", [200]]);
    } finally {
      vi.useRealTimers();
    }
  });
});
