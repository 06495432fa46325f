import { describe, expect, it } from "vitest";
import { applyAll, applyObservation, emptyModel, MODEL_LIMITS, reviveModel } from "../../shared/trace/session-model";
import { has } from "../../shared/dict";
import type { Observation } from "../../shared/trace/observation";

const tr = (seq: number, from: string, to: string): Observation => ({
  kind: "transition",
  seq,
  instance: "daemon",
  from,
  to,
  ts: `2026-06-10T00:00:${String(seq % 60).padStart(2, "0")}+00:00`,
  tsFrom: "artifact",
  source: { file: "log", line: seq },
});

describe("session model", () => {
  it("tracks each instance's state, since and count from transitions and state files", () => {
    let m = applyObservation(emptyModel(), { kind: "state", seq: 1, instance: "daemon", state: "WAKE", since: "2026-06-10T00:00:00+00:00", ts: "2026-06-10T00:00:00+00:00", tsFrom: "artifact", source: {} });
    expect(m.instances["daemon"]).toMatchObject({ state: "WAKE", since: "2026-06-10T00:00:00+00:00", transitions: 0 });
    m = applyObservation(m, tr(2, "WAKE", "DROWSY"));
    expect(m.instances["daemon"]).toMatchObject({ state: "DROWSY", transitions: 1 });
    expect(m.instanceOrder).toEqual(["daemon"]);
    expect(m.seq).toBe(2);
  });

  it("applies each observation once (replays below the model's seq are ignored)", () => {
    const items = [tr(1, "WAKE", "DROWSY"), tr(2, "DROWSY", "SLEEP")];
    const m = applyAll(applyAll(emptyModel(), items), items);
    expect(m.totals.transitions).toBe(2);
    expect(m.recent).toHaveLength(2);
  });

  it("keeps a bounded list of recent transitions", () => {
    const items = Array.from({ length: MODEL_LIMITS.recent + 25 }, (_, i) => tr(i + 1, "WAKE", "WAKE"));
    const m = applyAll(emptyModel(), items);
    expect(m.recent).toHaveLength(MODEL_LIMITS.recent);
    expect(m.recent[0]?.seq).toBe(26);
    expect(m.totals.transitions).toBe(items.length);
  });

  it("adds warnings and removes them when cleared", () => {
    const w = { kind: "warning", code: "missing-file", key: "missing:x", message: "x missing", ts: "t", tsFrom: "observed", source: { file: "x" } } as const;
    let m = applyObservation(emptyModel(), { ...w, seq: 1 });
    expect(Object.keys(m.warnings)).toEqual(["missing:x"]);
    m = applyObservation(m, { ...w, seq: 2, cleared: true });
    expect(m.warnings).toEqual({});
  });

  it("keeps instances, edges and dwell named like Object.prototype's members, also after JSON", () => {
    const t = (seq: number, instance: string, from: string, to: string, dwellMs?: number): Observation => ({ kind: "transition", seq, instance, from, to, tsFrom: "artifact", source: {}, ...(dwellMs !== undefined ? { dwellMs } : {}) });
    const m = applyAll(emptyModel(), [t(1, "constructor", "toString", "__proto__"), t(2, "__proto__", "__proto__", "constructor", 5), t(3, "constructor", "__proto__", "valueOf", 7)]);
    expect(m.instanceOrder).toEqual(["constructor", "__proto__"]);
    expect(m.instances["constructor"]).toMatchObject({ state: "valueOf", transitions: 2 });
    expect(m.dwell["__proto__"]).toEqual([5, 7]);
    expect(has(m.dwell, "toString")).toBe(false);
    expect(m.edges["__proto__->constructor"]?.count).toBe(1);
    // A lookup of a name never seen finds nothing (not Object.prototype's member).
    expect(m.instances["hasOwnProperty"]).toBeUndefined();
    const back = reviveModel(JSON.parse(JSON.stringify(m)) as typeof m);
    expect(back).toEqual(m);
    expect(back.instances["toString"]).toBeUndefined();
    const more = applyObservation(back, t(4, "__proto__", "constructor", "toString", 9));
    expect(more.instances["__proto__"]).toMatchObject({ state: "toString", transitions: 2 });
    expect(more.dwell["constructor"]).toEqual([9]);
  });

  it("never changes the model it is given, and keeps dwell samples bounded", () => {
    const base = applyAll(emptyModel(), [tr(1, "WAKE", "DROWSY")]);
    const frozen = JSON.stringify(base);
    const items = Array.from({ length: MODEL_LIMITS.dwellSamples * 3 }, (_, i) => ({ ...tr(i + 2, "DROWSY", "DROWSY"), dwellMs: i }));
    const next = applyAll(base, items);
    expect(JSON.stringify(base)).toBe(frozen);
    expect(next.dwell["DROWSY"]).toHaveLength(MODEL_LIMITS.dwellSamples);
    expect(next.dwell["DROWSY"]?.at(-1)).toBe(items.length - 1);
    expect(next.recent.length).toBeLessThanOrEqual(MODEL_LIMITS.recent);
  });
});
