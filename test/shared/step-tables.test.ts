/**
 * step() agrees with each real system's transition table, for every (state, event, payload):
 * exhaustively over the real programs' own spec.json step cases (iai-mcp, jumpstarter), and with
 * fast-check properties over random payloads for all four (duckgres and ecluse: the from→to tables).
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json } from "../../shared/machine/definition";
import { normalize } from "../../shared/machine/normalize";
import { step, type StepResult } from "../../shared/machine/step";
import type { Payload } from "../../shared/machine/guards";
import { findProfile } from "../../shared/profiles";
import type { Profile } from "../../shared/profiles/profile";

const FIX = path.join(import.meta.dirname, "..", "fixtures");

function profile(id: string): Profile {
  const p = findProfile(id);
  if (!p) throw new Error(`no built-in profile ${id}`);
  return p;
}

/** The real specs write `next: null` for "no state change". */
function specNext(state: string, r: StepResult): string | null {
  return r.outcome !== "taken" || r.edge?.targetless ? null : r.next;
}

interface Case {
  state: string;
  event: string;
  payload: Record<string, Json> | null;
  next: string | null;
}

describe.each(["iai-mcp", "jumpstarter"])("%s: every step case the real code computed", (id) => {
  const spec = JSON.parse(fs.readFileSync(path.join(FIX, id, "spec.json"), "utf8")) as { step_cases: Case[] };
  it(`agrees on all ${spec.step_cases.length} cases`, () => {
    const def = profile(id).machine;
    const wrong = spec.step_cases
      .map((c) => ({ c, got: specNext(c.state, step(def, c.state, c.event, c.payload ?? {})) }))
      .filter(({ c, got }) => got !== c.next)
      .map(({ c, got }) => `${c.state} + ${c.event} ${JSON.stringify(c.payload)}: real ${c.next}, step ${got}`);
    expect(wrong).toEqual([]);
  });
});

/** from→to pairs of each system's table (SYSTEMS.md; duckgres from its real spec.json). */
function table(id: string): Set<string> {
  if (id === "duckgres") {
    const spec = JSON.parse(fs.readFileSync(path.join(FIX, "duckgres", "spec.json"), "utf8")) as { transitions: { from: string; to: string }[] };
    return new Set(spec.transitions.map((t) => `${t.from}->${t.to}`));
  }
  if (id === "ecluse") return new Set(["absent->pending", "pending->active", "pending->absent", "active->pending"]);
  if (id === "jumpstarter") {
    const spec = JSON.parse(fs.readFileSync(path.join(FIX, "jumpstarter", "spec.json"), "utf8")) as { transitions: { from: string; to: string }[] };
    return new Set(spec.transitions.map((t) => `${t.from}->${t.to}`));
  }
  return new Set(["WAKE->WAKE", "DROWSY->WAKE", "SLEEP->WAKE", "HIBERNATION->WAKE", "WAKE->DROWSY", "DROWSY->SLEEP", "SLEEP->HIBERNATION", "HIBERNATION->WAKE"]);
}

const payloadArb = fc.dictionary(
  fc.constantFrom("sleep_eligible", "still_idle", "end_requested", "skip_after_lease", "onFailure", "other"),
  fc.oneof(fc.boolean(), fc.constantFrom("warn", "endLease", "exit"), fc.integer(), fc.constant(null)),
);

describe.each(["iai-mcp", "jumpstarter", "ecluse", "duckgres"])("%s: the machine's moves are the table's", (id) => {
  const p = profile(id);
  const m = normalize(p.machine);
  const pairs = table(id);

  it("every step, with any payload, only ever passes through allowed transitions", () => {
    fc.assert(
      fc.property(fc.constantFrom(...m.states), fc.constantFrom(...m.events, "no_such_event"), payloadArb, (state, event, payload) => {
        const r = step(p.machine, state, event, payload);
        if (m.finals.includes(state)) expect(r.outcome).toBe("ignored");
        if (r.outcome !== "taken") expect(r.next).toBe(state);
        for (let i = 1; i < r.path.length; i++) expect(pairs.has(`${r.path[i - 1]}->${r.path[i]}`), `${r.path.join("→")}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("every allowed transition is some event's single step", () => {
    const reachableBySingleStep = new Set<string>();
    for (const s of m.states)
      for (const e of m.events)
        for (const payload of [{}, { sleep_eligible: true, still_idle: true }, { end_requested: true }, { skip_after_lease: true }] as Payload[]) {
          const r = step(p.machine, s, e, payload);
          for (let i = 1; i < r.path.length; i++) reachableBySingleStep.add(`${r.path[i - 1]}->${r.path[i]}`);
        }
    expect([...pairs].filter((pair) => !reachableBySingleStep.has(pair))).toEqual([]);
  });
});
