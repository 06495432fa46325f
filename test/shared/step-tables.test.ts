/**
 * step() agrees with each real system's transition table, for every (state, event, payload):
 * exhaustively over the real programs' own spec.json step cases (iai-mcp, jumpstarter), and with
 * fast-check properties over random payloads for all four (duckgres and ecluse: the from→to tables).
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { runs } from "../helpers/runs";
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

/**
 * The real spec writes what the exporter remembered before the call ("request_end() was called
 * while the hook ran") as `end_requested` in the payload; the profile keeps it in the machine's
 * context, where request_end() puts it.
 */
function specInput(id: string, c: Case): { payload: Payload; context?: Record<string, Json> } {
  const payload: Payload = { ...(c.payload ?? {}) };
  if (id !== "jumpstarter" || payload["end_requested"] === undefined) return { payload };
  const endRequested = payload["end_requested"] === true;
  delete payload["end_requested"];
  return { payload, context: { ...profile(id).machine.context, endRequested, endSignalled: endRequested } };
}

describe.each(["iai-mcp", "jumpstarter"])("%s: every step case the real code computed", (id) => {
  const spec = JSON.parse(fs.readFileSync(path.join(FIX, id, "spec.json"), "utf8")) as { step_cases: (Case & { note: string })[] };
  it(`agrees on all ${spec.step_cases.length} cases`, () => {
    const def = profile(id).machine;
    const wrong = spec.step_cases
      .map((c) => {
        const { payload, context } = specInput(id, c);
        return { c, got: specNext(c.state, step(def, c.state, c.event, payload, context)) };
      })
      .filter(({ c, got }) => got !== c.next)
      .map(({ c, got }) => `${c.state} + ${c.event} ${JSON.stringify(c.payload)}: real ${c.next}, step ${got}`);
    expect(wrong).toEqual([]);
  });

  if (id === "jumpstarter") {
    it("remembers what the real exporter did: end requested and signalled, its last status, skipping the after-lease hook, stopping after the lease", () => {
      const def = profile(id).machine;
      const flag = (note: string, name: string): boolean | undefined => (note.includes(`${name}=True`) ? true : note.includes(`${name}=False`) ? false : undefined);
      const wrong: string[] = [];
      let checked = 0;
      for (const c of spec.step_cases) {
        const { payload, context } = specInput(id, c);
        const r = step(def, c.state, c.event, payload, context);
        const got = r.context;
        const expectSame = (what: string, real: unknown, ours: unknown): void => {
          checked++;
          if (JSON.stringify(real) !== JSON.stringify(ours)) wrong.push(`${c.state} + ${c.event} ${JSON.stringify(c.payload)}: ${what} real ${JSON.stringify(real)}, ours ${JSON.stringify(ours)}`);
        };
        // The flags before the call are known only from the phases a lease reaches before it ends.
        if (["CREATED", "STARTING", "BEFORE_LEASE", "READY"].includes(c.state) && r.outcome !== "ignored") {
          const requested = flag(c.note, "end_requested");
          const signalled = flag(c.note, "end_signalled");
          if (requested !== undefined) expectSame("end requested", requested, got["endRequested"]);
          if (signalled !== undefined) expectSame("end signalled", signalled, got["endSignalled"]);
        }
        if (c.next === null) continue;
        const statuses = /statuses reported: ([^;]*)/.exec(c.note)?.[1]?.split(", ").filter((s) => !s.startsWith("<"));
        if (statuses?.length) expectSame("status", statuses[statuses.length - 1], got["status"]);
        expectSame("skip the after-lease hook", c.note.includes("skip_after_lease=True"), got["skipAfterLease"]);
        expectSame("stop after the lease", c.note.includes("_stop_requested=True"), got["stopAfterLease"]);
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(80);
    });
  }
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

/** Any values of what a machine may remember (jumpstarter's flags among them). */
const contextArb = fc.dictionary(fc.constantFrom("endRequested", "endSignalled", "skipAfterLease", "stopAfterLease", "status"), fc.oneof(fc.boolean(), fc.constantFrom("OFFLINE", "LEASE_READY")));

describe.each(["iai-mcp", "jumpstarter", "ecluse", "duckgres"])("%s: the machine's moves are the table's", (id) => {
  const p = profile(id);
  const m = normalize(p.machine);
  const pairs = table(id);

  it("every step, with any payload, only ever passes through allowed transitions", () => {
    fc.assert(
      fc.property(fc.constantFrom(...m.states), fc.constantFrom(...m.events, "no_such_event"), payloadArb, contextArb, (state, event, payload, remembered) => {
        const r = step(p.machine, state, event, payload, { ...p.machine.context, ...remembered });
        if (m.finals.includes(state)) expect(r.outcome).toBe("ignored");
        if (r.outcome !== "taken") expect(r.next).toBe(state);
        for (let i = 1; i < r.path.length; i++) expect(pairs.has(`${r.path[i - 1]}->${r.path[i]}`), `${r.path.join("→")}`).toBe(true);
      }),
      { numRuns: runs(2000) },
    );
  });

  it("every allowed transition is some event's single step", () => {
    const reachableBySingleStep = new Set<string>();
    for (const s of m.states)
      for (const e of m.events)
        for (const payload of [{}, { sleep_eligible: true, still_idle: true }, { skip_after_lease: true }] as Payload[])
          for (const context of [undefined, { ...p.machine.context, endRequested: true }]) {
            const r = step(p.machine, s, e, payload, context);
            for (let i = 1; i < r.path.length; i++) reachableBySingleStep.add(`${r.path[i - 1]}->${r.path[i]}`);
          }
    expect([...pairs].filter((pair) => !reachableBySingleStep.has(pair))).toEqual([]);
  });
});
