/** Stuck instances: past the profile's limit, a state's own maxDwellMs, or 3 × the observed p99 once there are 20 stays. */
import { describe, expect, it } from "vitest";
import { applyAll, emptyModel } from "../../shared/trace/session-model";
import type { Observation } from "../../shared/trace/observation";
import { MIN_SAMPLES, stuckInstances } from "../../shared/trace/stuck";
import { findProfile } from "../../shared/profiles";
import type { MachineDefinition } from "../../shared/machine/definition";

const T0 = Date.parse("2026-06-10T10:00:00Z");
const iso = (ms: number): string => new Date(ms).toISOString();
const state = (seq: number, instance: string, s: string, sinceMs: number): Observation => ({ kind: "state", seq, instance, state: s, since: iso(sinceMs), tsFrom: "artifact", source: {} });

describe("stuck instances", () => {
  it("ecluse: pending longer than the profile's 15 minutes; active never (no limit yet)", () => {
    const profile = findProfile("ecluse");
    if (!profile) throw new Error("ecluse");
    const model = applyAll(emptyModel(), [state(1, "old-slug", "pending", T0), state(2, "new-slug", "pending", T0 + 10 * 60_000), state(3, "busy", "active", T0 - 86_400_000)]);
    const stuck = stuckInstances(profile, model, T0 + 16 * 60_000);
    expect(stuck.map((s) => [s.id, s.limit.from])).toEqual([["old-slug", "profile"]]);
  });

  it("a state's own maxDwellMs, and a final state is never stuck", () => {
    const machine: MachineDefinition = { id: "m", initial: "a", states: { a: { meta: { maxDwellMs: 60_000 }, on: { go: "z" } }, z: { type: "final" } } };
    const model = applyAll(emptyModel(), [state(1, "one", "a", T0), state(2, "two", "z", T0 - 86_400_000)]);
    expect(stuckInstances({ machine }, model, T0 + 59_000)).toEqual([]);
    expect(stuckInstances({ machine }, model, T0 + 61_000).map((s) => [s.id, s.limit])).toEqual([["one", { ms: 60_000, from: "state" }]]);
  });

  it("by default past 3 × the p99 of the state's observed stays, only once there are enough of them", () => {
    const machine: MachineDefinition = { id: "m", initial: "a", states: { a: { on: { go: "b" } }, b: { on: { back: "a" } } } };
    const stays = (n: number): Observation[] => {
      const items: Observation[] = [];
      let t = T0;
      for (let i = 0; i < n; i++) {
        items.push({ kind: "transition", seq: items.length + 1, instance: "w", from: "a", to: "b", ts: iso(t), tsFrom: "artifact", source: {}, verdict: "declared" });
        t += 1000;
        items.push({ kind: "transition", seq: items.length + 1, instance: "w", from: "b", to: "a", ts: iso(t), tsFrom: "artifact", source: {}, verdict: "declared", dwellMs: 1000 });
        t += 1000;
      }
      return items;
    };
    const few = applyAll(emptyModel(), [...stays(MIN_SAMPLES - 1), state(999, "x", "b", T0)]);
    expect(stuckInstances({ machine }, few, T0 + 3_600_000)).toEqual([]);
    const enough = applyAll(emptyModel(), [...stays(MIN_SAMPLES + 5), state(999, "x", "b", T0)]);
    const b = enough.dwell["b"] ?? [];
    expect(b.length).toBeGreaterThanOrEqual(MIN_SAMPLES);
    const got = stuckInstances({ machine }, enough, T0 + 3_600_000).find((s) => s.id === "x");
    expect(got?.limit.from).toBe("p99");
    expect(got?.limit.ms).toBeCloseTo(3 * Math.max(...b), 0);
  });
});
