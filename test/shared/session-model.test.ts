import { describe, expect, it } from "vitest";
import { applyAll, applyObservation, emptyModel, MODEL_LIMITS } from "../../shared/trace/session-model";
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
});
