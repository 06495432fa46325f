/** The pure pieces: the sandbox's virtual clock, each program's way of printing a time, and the step checks. */
import { describe, expect, it } from "vitest";
import { FsmError } from "../../../shared/errors";
import { StepTracker, hopsOf, runHops, type SandboxStep } from "../../../shared/sandbox/run";
import { MicroClock, asctimeUs, postgresUs, pythonIsoUs, rfc3339Us } from "../../../shared/sandbox/virtual-time";
import { parseIsoMs } from "../../../shared/trace/time";
import { RUNS, T0 } from "./runs";

describe("virtual time", () => {
  it("hands out increasing instants at or after each step's time", () => {
    const c = new MicroClock();
    expect(c.at(T0)).toBe(T0 * 1000);
    expect(c.at(T0)).toBe(T0 * 1000 + 1);
    expect(c.at(T0 - 5000)).toBe(T0 * 1000 + 2); // a step earlier than the last is written just after it
    expect(c.at(T0 + 1.5)).toBe(T0 * 1000 + 1500);
  });

  it("prints times as each program does, and check reads each back to the microsecond's millisecond", () => {
    const us = T0 * 1000 + 123_450;
    expect(pythonIsoUs(us)).toBe("2026-06-10T23:58:00.123450+00:00");
    expect(pythonIsoUs(T0 * 1000)).toBe("2026-06-10T23:58:00+00:00");
    expect(asctimeUs(us)).toBe("2026-06-10 23:58:00,123");
    expect(postgresUs(us)).toBe("2026-06-10 23:58:00.12345+00");
    expect(postgresUs(T0 * 1000)).toBe("2026-06-10 23:58:00+00");
    expect(rfc3339Us(us)).toBe("2026-06-10T23:58:00.123450Z");
    expect(rfc3339Us(T0 * 1000 + 5000)).toBe("2026-06-10T23:58:00.005Z");
    expect(rfc3339Us(T0 * 1000)).toBe("2026-06-10T23:58:00Z");
    for (const text of [pythonIsoUs(us), postgresUs(us), rfc3339Us(us)]) expect(parseIsoMs(text)).toBeCloseTo(us / 1000, 6);
    expect(parseIsoMs(asctimeUs(us))).toBe(T0 + 123);
  });
});

describe("steps and hops", () => {
  it("one hop per pair of a taken step's path; none for ignored, blocked or targetless steps", () => {
    const s = (outcome: SandboxStep["outcome"], path: string[]): Pick<SandboxStep, "outcome" | "path"> => ({ outcome, path });
    expect(hopsOf(s("taken", ["READY", "ENDING", "AFTER_LEASE", "RELEASING", "DONE"]))).toEqual([
      ["READY", "ENDING"],
      ["ENDING", "AFTER_LEASE"],
      ["AFTER_LEASE", "RELEASING"],
      ["RELEASING", "DONE"],
    ]);
    expect(hopsOf(s("taken", ["WAKE", "WAKE"]))).toEqual([["WAKE", "WAKE"]]);
    expect(hopsOf(s("taken", ["STARTING"]))).toEqual([]);
    expect(hopsOf(s("ignored", ["WAKE", "DROWSY"]))).toEqual([]);
    expect(hopsOf(s("guard-blocked", ["DROWSY", "SLEEP"]))).toEqual([]);
    expect(runHops(RUNS.jumpstarter().run())).toHaveLength(14);
  });

  it("refuses a step that does not follow, and moves nothing until it is committed", () => {
    const t = new StepTracker(JSON.parse('{"__proto__": "WAKE"}') as Record<string, string>);
    expect(t.current.get("__proto__")).toBe("WAKE");
    const step: SandboxStep = { tsMs: T0, instance: "__proto__", event: "idle_5min", payload: {}, from: "WAKE", to: "DROWSY", path: ["WAKE", "DROWSY"], outcome: "taken" };
    expect(t.plan(step)).toHaveLength(1);
    expect(t.current.get("__proto__")).toBe("WAKE");
    t.commit(step);
    expect(() => t.plan(step)).toThrow(/step 2: __proto__ is in DROWSY, but the step starts from WAKE/);
    const bad = [
      { ...step, from: "DROWSY", path: ["WAKE", "SLEEP"], to: "SLEEP" },
      { ...step, from: "DROWSY", to: "WAKE", path: ["DROWSY"], outcome: "ignored" as const },
      { ...step, from: "DROWSY", outcome: "maybe" as unknown as SandboxStep["outcome"] },
      { ...step, from: "DROWSY", instance: "" },
      { ...step, from: "DROWSY", tsMs: Number.NaN },
      { ...step, from: "DROWSY", path: ["DROWSY", 3 as unknown as string] },
    ];
    for (const b of bad) expect(() => t.plan(b), JSON.stringify(b)).toThrow(FsmError);
  });
});
