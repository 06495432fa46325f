import { describe, expect, it } from "vitest";
import { Reconciler } from "../../shared/trace/reconcile";
import { findProfile } from "../../shared/profiles";
import type { Observation } from "../../shared/trace/observation";

const iai = findProfile("iai-mcp");
const ecluse = findProfile("ecluse");
if (!iai || !ecluse) throw new Error("profiles missing");

let seq = 0;
const state = (instance: string, s: string, since?: string): Observation => ({ kind: "state", seq: ++seq, instance, state: s, ...(since ? { since } : {}), tsFrom: "observed", source: { file: "/h/.iai-mcp/lifecycle_state.json" } });
const transition = (instance: string, from: string, to: string, line: number): Observation => ({ kind: "transition", seq: ++seq, instance, from, to, tsFrom: "artifact", source: { file: "/h/.iai-mcp/logs/lifecycle-events-2026-06-10.jsonl", line } });

describe("sources disagree", () => {
  it("warns only after the grace period, with both values and files, and clears when they agree", () => {
    const r = new Reconciler(iai);
    expect(r.observe(transition("daemon", "WAKE", "DROWSY", 41), 0)).toEqual([]);
    expect(r.observe(state("daemon", "SLEEP"), 100)).toEqual([]); // a writer between its two writes
    expect(r.tick(1500)).toEqual([]);
    const [w] = r.tick(2200);
    expect(w).toMatchObject({ kind: "warning", code: "sources-disagree", instance: "daemon" });
    expect(w && w.kind === "warning" ? w.message : "").toMatch(/lifecycle_state\.json says SLEEP, but the last logged transition \(lifecycle-events-2026-06-10\.jsonl:41\) ended in DROWSY/);
    expect(r.tick(5000)).toEqual([]); // raised once
    const cleared = r.observe(transition("daemon", "DROWSY", "SLEEP", 42), 6000);
    expect(cleared).toMatchObject([{ code: "sources-disagree", cleared: true }]);
  });
});

describe("pending too long", () => {
  it("warns when an ecluse session stays pending past 15 minutes, and clears when it leaves", () => {
    const r = new Reconciler(ecluse);
    const t0 = Date.parse("2026-11-25T13:00:00Z");
    r.observe(state("fix-api", "pending", "2026-11-25T13:00:00Z"), t0);
    expect(r.tick(t0 + 14 * 60_000)).toEqual([]);
    const [w] = r.tick(t0 + 16 * 60_000);
    expect(w).toMatchObject({ code: "pending-too-long", instance: "fix-api" });
    expect(w && w.kind === "warning" ? w.message : "").toMatch(/ecluse down fix-api/);
    expect(r.observe(transition("fix-api", "pending", "active", 1), t0 + 17 * 60_000)).toMatchObject([{ code: "pending-too-long", cleared: true }]);
  });
});
