/**
 * The replay index rebuilds the model at any position exactly as applying every observation up
 * to there would — from typed columns and checkpoints, with names like __proto__ — and finds,
 * pages and draws the timeline over what it holds.
 */
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { describe, expect, it } from "vitest";
import { ReplayIndex } from "../../shared/replay/replay-index";
import type { NewObservation, Observation } from "../../shared/trace/observation";
import { applyAll, emptyModel, type SessionModel } from "../../shared/trace/session-model";

const NAMES = ["WAKE", "DROWSY", "__proto__", "constructor", "toString"];
const T0 = Date.UTC(2026, 5, 10);

const obsArb: fc.Arbitrary<NewObservation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ from: fc.constantFrom(...NAMES), to: fc.constantFrom(...NAMES), inst: fc.constantFrom("daemon", "__proto__", "w-1"), ev: fc.option(fc.constantFrom("go", "constructor"), { nil: undefined }), verdict: fc.constantFrom("declared", "undeclared", "from-mismatch", "gap" as const), dwell: fc.option(fc.nat(100_000), { nil: undefined }) }).map(({ from, to, inst, ev, verdict, dwell }) => ({ kind: "transition" as const, instance: inst, from, to, verdict, tsFrom: "artifact" as const, source: { file: "/logs/a.jsonl", line: 1 }, ...(ev !== undefined ? { event: ev } : {}), ...(dwell !== undefined ? { dwellMs: dwell } : {}) })) },
  { weight: 3, arbitrary: fc.record({ inst: fc.constantFrom("daemon", "w-1"), name: fc.constantFrom("sleep_step", "hasOwnProperty") }).map(({ inst, name }) => ({ kind: "event" as const, instance: inst, name, tsFrom: "artifact" as const, source: { file: "/logs/a.jsonl", line: 2 } })) },
  { weight: 1, arbitrary: fc.record({ inst: fc.constantFrom("daemon", "w-1"), state: fc.constantFrom(...NAMES) }).map(({ inst, state }) => ({ kind: "state" as const, instance: inst, state, tsFrom: "observed" as const, source: { file: "/state.json" } })) },
  { weight: 1, arbitrary: fc.record({ code: fc.constantFrom("bad-line", "gap", "missing-file" as const), cleared: fc.boolean(), key: fc.option(fc.constantFrom("k1", "restart:f:3"), { nil: undefined }) }).map(({ code, cleared, key }) => ({ kind: "warning" as const, code, message: `m ${code}`, tsFrom: "observed" as const, source: { file: "/logs/a.jsonl", line: 3 }, ...(cleared ? { cleared } : {}), ...(key !== undefined ? { key } : {}) })) },
);

/** Numbered, with whole-millisecond times (what the index keeps), some missing, some going back. */
function stream(items: NewObservation[], deltas: number[]): Observation[] {
  let t = T0;
  return items.map((o, i) => {
    const d = deltas[i % deltas.length] ?? 0;
    t += d;
    const withTs = d === 7 || i % 5 === 3 ? { ...o } : { ...o, ts: new Date(t).toISOString() };
    return { ...withTs, seq: i + 1 } as Observation;
  });
}

function comparable(m: SessionModel): unknown {
  const strip = (o: Observation | undefined): unknown => (o ? { ...o, fields: undefined } : undefined);
  return {
    seq: m.seq,
    order: m.instanceOrder,
    instances: Object.entries(m.instances).map(([k, v]) => [k, { ...v, last: strip(v.last) }]),
    edges: Object.entries(m.edges),
    dwell: Object.entries(m.dwell),
    warnings: Object.keys(m.warnings),
    totals: m.totals,
  };
}

describe("replay index", () => {
  it("rebuilds the model at every position exactly as applying the observations would", () => {
    fc.assert(
      fc.property(fc.array(obsArb, { minLength: 1, maxLength: 120 }), fc.array(fc.integer({ min: -5000, max: 200_000 }), { minLength: 1, maxLength: 9 }), fc.integer({ min: 16, max: 40 }), (items, deltas, every) => {
        const all = stream(items, deltas);
        const index = new ReplayIndex({ checkpointEvery: every, recent: 5, events: 3 });
        for (const o of all) index.append(o);
        expect(index.count).toBe(all.length);
        for (let p = 0; p <= all.length; p++) {
          const want = applyAll(emptyModel(), all.slice(0, p));
          const got = index.modelAt(p);
          expect(comparable(got)).toEqual(comparable(want));
          expect(got.recent.map((t) => t.seq)).toEqual(want.recent.slice(-5).map((t) => t.seq));
          expect(got.events.map((t) => t.seq)).toEqual(want.events.slice(-3).map((t) => t.seq));
        }
        expect(comparable(index.finalModel())).toEqual(comparable(applyAll(emptyModel(), all)));
      }),
      { numRuns: runs(60) },
    );
  });

  it("gives back each observation's kind, names, verdict, dwell, time and source", () => {
    const o: Observation = { kind: "transition", seq: 1, instance: "__proto__", from: "constructor", to: "toString", event: "valueOf", verdict: "undeclared", dwellMs: 1500, ts: "2026-06-10T00:00:01.250Z", tsFrom: "artifact", source: { file: "/x.jsonl", line: 42 } };
    const index = new ReplayIndex();
    index.append(o, { offset: 1234 });
    expect(index.observation(1)).toEqual(o);
    expect(index.located(1)).toEqual({ file: "/x.jsonl", line: 42, offset: 1234 });
  });

  it("finds the next and previous transition and anomaly, filtered by instance, state and event", () => {
    const all = stream(
      [
        { kind: "transition", instance: "a", from: "WAKE", to: "DROWSY", verdict: "declared", tsFrom: "artifact", source: {} },
        { kind: "event", instance: "a", name: "x", tsFrom: "artifact", source: {} },
        { kind: "transition", instance: "b", from: "DROWSY", to: "WAKE", event: "go", verdict: "undeclared", tsFrom: "artifact", source: {} },
        { kind: "warning", code: "bad-line", message: "bad", tsFrom: "observed", source: {} },
        { kind: "transition", instance: "a", from: "DROWSY", to: "SLEEP", event: "go", verdict: "declared", tsFrom: "artifact", source: {} },
      ],
      [1000],
    );
    const index = new ReplayIndex();
    for (const o of all) index.append(o);
    expect(index.find(0, "next", "transition")).toBe(1);
    expect(index.find(1, "next", "transition")).toBe(3);
    expect(index.find(5, "prev", "transition", { instance: "a" })).toBe(1);
    expect(index.find(0, "next", "anomaly")).toBe(3);
    expect(index.find(3, "next", "anomaly")).toBe(4);
    expect(index.find(0, "next", "transition", { event: "go", instance: "a" })).toBe(5);
    expect(index.find(0, "next", "transition", { state: "SLEEP" })).toBe(5);
    expect(index.find(0, "next", "transition", { instance: "nobody" })).toBeUndefined();
    const page = index.page(0, 10, false, { instance: "a" });
    expect(page.positions).toEqual([1, 2, 5]);
    expect(page.matching).toBe(3);
    expect(index.page(4, 2, true).positions).toEqual([3, 4]);
  });

  it("draws the timeline on an axis where silences are shortened to the cap", () => {
    const index = new ReplayIndex({ silenceCapMs: 10_000 });
    const at = (s: number, verdict: "declared" | "undeclared" = "declared"): Observation => ({ kind: "transition", seq: 0, instance: "d", from: "A", to: "B", verdict, ts: new Date(T0 + s * 1000).toISOString(), tsFrom: "artifact", source: {} });
    // 0, 1, 2 s, then a 2-hour silence, then 7203, 7204 s.
    for (const o of [at(0), at(1), at(2), at(7202, "undeclared"), at(7203)]) index.append(o);
    const t = index.timeline(10);
    expect(t.timed).toBe(true);
    expect(t.axisLength).toBe(13_000); // 2 s + 10 s (the cap) + 1 s
    expect(t.silences).toEqual([{ at: 2000, realMs: 7_200_000 }]);
    expect(t.transitions.reduce((s, n) => s + n, 0)).toBe(5);
    expect(t.markers).toEqual([{ position: 4, axis: 12_000, kind: "undeclared", instance: "d" }]);
    expect(index.positionAtAxis(12_500)).toBe(4);
    expect(index.axisAt(5)).toBe(13_000);
  });

  it("gives an instance the last time of its latest line, whatever kind of observation came after it without one", () => {
    const ts = (sec: number): string => new Date(T0 + sec * 1000).toISOString();
    const all: Observation[] = [
      { kind: "transition", seq: 1, instance: "d", from: "A", to: "B", verdict: "declared", ts: ts(1), tsFrom: "artifact", source: {} },
      { kind: "event", seq: 2, instance: "d", name: "x", ts: ts(2), tsFrom: "artifact", source: {} },
      { kind: "transition", seq: 3, instance: "d", from: "B", to: "C", verdict: "declared", tsFrom: "observed", source: {} },
      { kind: "event", seq: 4, instance: "d", name: "y", tsFrom: "observed", source: {} },
      { kind: "state", seq: 5, instance: "d", state: "C", tsFrom: "observed", source: {} },
    ];
    for (const every of [16, 1000]) {
      const index = new ReplayIndex({ checkpointEvery: every });
      for (const o of all) index.append(o);
      for (let i = all.length; i < 16; i++) index.append({ kind: "event", seq: i + 1, instance: "e", name: "z", tsFrom: "observed", source: {} });
      const want = applyAll(emptyModel(), [...all, ...Array.from({ length: 16 - all.length }, (_, k) => ({ kind: "event", seq: all.length + k + 1, instance: "e", name: "z", tsFrom: "observed", source: {} }) as Observation)]);
      expect(index.finalModel().instances["d"]?.lastTs).toBe(ts(2));
      expect(comparable(index.modelAt(16))).toEqual(comparable(want));
    }
  });
});
