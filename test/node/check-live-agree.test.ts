/**
 * `check` and a live session judge a trace the same way — verdicts, dwell, edge counts — because
 * both go through the one TraceAccumulator. Random traces over a machine whose states and events
 * are named like Object.prototype's members, with from-mismatches, unknown states, gaps and
 * timestamps going backwards.
 */
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { describe, expect, it } from "vitest";
import { ReportSink } from "../../electron/node/check/sink";
import { TraceSession } from "../../electron/node/session/trace-session";
import type { Profile } from "../../shared/profiles/profile";
import type { NewObservation, Observation } from "../../shared/trace/observation";
import { summarize } from "../../shared/trace/stats";
import { dict, has, toDict } from "../../shared/dict";

const STATES = ["constructor", "__proto__", "toString", "WAKE", "hasOwnProperty"] as const;

const profile: Profile = {
  id: "hostile",
  title: "Hostile names",
  description: "states named like Object.prototype's members",
  // Parsed, as a machine file is: in a JS literal, `__proto__:` would set the prototype instead.
  machine: JSON.parse(`{
    "id": "hostile",
    "initial": "WAKE",
    "states": {
      "WAKE": { "on": { "constructor": "constructor" } },
      "constructor": { "on": { "__proto__": "__proto__" } },
      "__proto__": { "on": { "toString": "toString" } },
      "toString": { "on": { "valueOf": "hasOwnProperty" } },
      "hasOwnProperty": { "on": { "back": "WAKE" } }
    }
  }`),
  detect: { roots: ["."], anyOf: ["x.jsonl"] },
  instances: { kind: "single", id: "daemon" },
  gapAfterMs: 600_000,
  sources: [],
} as unknown as Profile;

type Step = { kind: "t"; from: number; to: number; dt: number; unknown: boolean } | { kind: "gap" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("t" as const), from: fc.nat(STATES.length - 1), to: fc.nat(STATES.length - 1), dt: fc.integer({ min: -60_000, max: 900_000 }), unknown: fc.integer({ min: 0, max: 19 }).map((n) => n === 0) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "gap" as const }) },
);

/** A trace that mostly follows itself (from = previous to), sometimes not. */
function observations(steps: Step[]): NewObservation[] {
  let t = Date.parse("2026-06-10T00:00:00Z");
  let at = 3; // WAKE
  const out: NewObservation[] = [];
  steps.forEach((s, i) => {
    if (s.kind === "gap") {
      out.push({ kind: "warning", code: "gap", message: "rotated", tsFrom: "observed", source: { file: "x.jsonl", line: i + 1 }, instance: "daemon" });
      return;
    }
    t += s.dt;
    const follows = s.from % 3 !== 0;
    const from = follows ? STATES[at] : STATES[s.from];
    const to = s.unknown ? "NOWHERE" : STATES[s.to];
    out.push({ kind: "transition", instance: "daemon", from: from as string, to: to as string, ts: new Date(t).toISOString(), tsFrom: "artifact", source: { file: "x.jsonl", line: i + 1 } });
    at = STATES.indexOf(to as (typeof STATES)[number]);
    if (at < 0) at = 3;
  });
  return out;
}

function viaCheck(items: NewObservation[]): { verdicts: string[]; dwell: Record<string, number[]>; edges: Record<string, number> } {
  const sink = new ReportSink(profile, { keepDetails: true, sampled: false });
  sink.push(items);
  const report = sink.report("x", []);
  const inst = report.instances[0];
  const dwell = dict<number[]>();
  for (const [state, d] of Object.entries(inst?.dwell ?? {})) dwell[state] = [d.count, d.p50Ms, d.p95Ms, d.maxMs];
  return { verdicts: (inst?.transitions ?? []).map((t) => t.verdict), dwell, edges: toDict(inst?.edges) };
}

function viaLive(items: NewObservation[]): { verdicts: string[]; dwell: Record<string, number[]>; edges: Record<string, number>; published: Observation[][] } {
  const session = new TraceSession({ id: "s", title: "s", kind: "live", profile, root: "/nonexistent", clock: () => Date.parse("2026-06-10T00:00:00Z") });
  const published: Observation[][] = [];
  session.onObservations((batch) => published.push(batch));
  session.ingest(items);
  const model = session.snapshot().model;
  const dwell = dict<number[]>();
  for (const [state, samples] of Object.entries(model.dwell)) {
    const d = summarize(samples);
    dwell[state] = [d.count, d.p50Ms, d.p95Ms, d.maxMs];
  }
  const edges = dict<number>();
  for (const [key, e] of Object.entries(model.edges)) edges[key] = e.count;
  const verdicts = model.recent.map((t) => t.verdict ?? "none");
  return { verdicts, dwell, edges, published };
}

describe("check and live agree", () => {
  it("on verdicts, dwell and edge counts of any trace, whatever the state names", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const items = observations(steps);
        const c = viaCheck(items);
        const l = viaLive(items);
        expect(l.verdicts).toEqual(c.verdicts);
        expect(l.dwell).toEqual(c.dwell);
        expect(l.edges).toEqual(c.edges);
        for (const samples of Object.values(l.dwell)) expect(samples.every((v) => v >= 0)).toBe(true);
        // Published once, in one piece, with every observation.
        expect(l.published).toHaveLength(1);
        expect(l.published[0]?.length).toBe(items.length);
      }),
      { numRuns: runs(300) },
    );
  });

  it("count no dwell in a state the trace never entered (after a from-mismatch)", () => {
    const at = (s: number): string => new Date(Date.parse("2026-06-10T00:00:00Z") + s * 1000).toISOString();
    const items: NewObservation[] = [
      { kind: "transition", instance: "daemon", from: "WAKE", to: "constructor", ts: at(0), tsFrom: "artifact", source: { line: 1 } },
      // The log says it leaves __proto__, but the trace was in constructor: __proto__ was never entered.
      { kind: "transition", instance: "daemon", from: "__proto__", to: "toString", ts: at(10), tsFrom: "artifact", source: { line: 2 } },
      { kind: "transition", instance: "daemon", from: "toString", to: "hasOwnProperty", ts: at(25), tsFrom: "artifact", source: { line: 3 } },
    ];
    const c = viaCheck(items);
    const l = viaLive(items);
    expect(c.verdicts).toEqual(["declared", "from-mismatch", "declared"]);
    expect(l.verdicts).toEqual(c.verdicts);
    expect(Object.keys(c.dwell)).toEqual(["toString"]);
    expect(c.dwell["toString"]).toEqual([1, 15_000, 15_000, 15_000]);
    expect(l.dwell).toEqual(c.dwell);
  });

  it("keeps names like __proto__ and constructor as plain entries in every table", () => {
    const items = observations(STATES.map((_, i) => ({ kind: "t" as const, from: 1, to: (i + 1) % STATES.length, dt: 1000, unknown: false })));
    const session = new TraceSession({ id: "s", title: "s", kind: "live", profile, root: "/nonexistent", clock: () => 0 });
    session.ingest([...items, { kind: "event", instance: "__proto__", name: "constructor", tsFrom: "observed", source: {} }]);
    const model = session.snapshot().model;
    expect(has(model.instances, "__proto__")).toBe(true);
    expect(model.instanceOrder).toEqual(["daemon", "__proto__"]);
    expect(Object.getPrototypeOf(model.edges)).toBe(null);
    const expected = items.flatMap((o) => (o.kind === "transition" ? [`${o.from}->${o.to}`] : []));
    expect(expected).toContain("__proto__->toString");
    expect(Object.keys(model.edges).sort()).toEqual([...new Set(expected)].sort());
    // Through JSON (serve mode) and back: still the same entries.
    const json = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(Object.keys(json.instances)).toEqual(["daemon", "__proto__"]);
  });
});
