import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { step } from "../../shared/machine/step";
import { findProfile } from "../../shared/profiles";

const FIXTURE = path.join(import.meta.dirname, "..", "fixtures", "iai-mcp", "spec.json");

interface Case {
  state: string;
  event: string;
  payload: Record<string, boolean>;
  next: string | null;
}

describe("step() on the iai-mcp profile", () => {
  const def = findProfile("iai-mcp")?.machine;
  if (!def) throw new Error("no iai-mcp profile");

  it("agrees with the real compute_transition for every state × event × payload", () => {
    const spec = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { step_cases: Case[] };
    expect(spec.step_cases.length).toBeGreaterThan(100);
    for (const c of spec.step_cases) {
      const r = step(def, c.state, c.event, c.payload);
      const label = `${c.state} ${c.event} ${JSON.stringify(c.payload)}`;
      if (c.next === null) expect(r.outcome, label).not.toBe("taken");
      else {
        expect(r.outcome, label).toBe("taken");
        expect(r.next, label).toBe(c.next);
      }
    }
  });

  it("names the guard that blocked an event and the payload it saw", () => {
    const r = step(def, "DROWSY", "idle_30min", { sleep_eligible: false });
    expect(r).toMatchObject({ next: "DROWSY", outcome: "guard-blocked", guard: { name: "sleep_eligible", payload: { sleep_eligible: false } } });
    expect(r.explanation).toMatch(/sleep_eligible/);
    expect(step(def, "WAKE", "request_arrived")).toMatchObject({ next: "WAKE", outcome: "taken" });
    expect(step(def, "SLEEP", "tick")).toMatchObject({ next: "SLEEP", outcome: "ignored" });
  });
});
