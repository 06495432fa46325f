import { describe, expect, it } from "vitest";
import { eventlessLoop, step } from "../../shared/machine/step";
import { normalize } from "../../shared/machine/normalize";
import type { MachineDefinition } from "../../shared/machine/definition";
import { BUILTIN_PROFILES } from "../../shared/profiles";

const looping: MachineDefinition = {
  id: "spin",
  initial: "A",
  states: {
    A: { on: { go: "B" } },
    B: { always: { target: "C", guard: "ok" } },
    C: { always: { target: "B", guard: "ok" } },
  },
};

describe("eventless loops", () => {
  it("are found, and step() refuses them with the loop named instead of spinning forever", () => {
    expect(eventlessLoop(normalize(looping))).toEqual(["B", "C", "B"]);
    expect(() => step(looping, "A", "go", { ok: true })).toThrow(/loop of eventless \(always\) transitions: B → C → B/);
  });

  it("do not exist in the built-in profiles", () => {
    for (const p of BUILTIN_PROFILES) expect(eventlessLoop(normalize(p.machine)), p.id).toBeUndefined();
  });
});
