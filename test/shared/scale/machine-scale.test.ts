import { describe, expect, it } from "vitest";
import { MAX_DIAGNOSTICS, formatDiagnostic } from "../../../shared/machine/diagnostics";
import { parseDocument } from "../../../shared/machine/document";
import { normalize } from "../../../shared/machine/normalize";
import { step } from "../../../shared/machine/step";
import { MAX_TRANSITIONS, validateMachine } from "../../../shared/machine/validate";
import { loadDefinitionText } from "../../../shared/profiles/load";

/**
 * A machine of `n` states with every shape validation walks: a ring on `next`, three more events
 * per state, a chain of guarded eventless transitions, root-level transitions, a final state and an
 * unreachable island (a warning per island state).
 */
function machine(n: number): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const on: Record<string, unknown> = { next: `s${(i + 1) % n}`, jump: `s${(i * 7 + 3) % n}`, back: `s${(i + n - 1) % n}` };
    on["pick"] = [{ target: `s${(i * 13 + 1) % n}`, guard: { type: "payload", params: { key: "left" } } }, { target: `s${(i * 5 + 2) % n}` }];
    const state: Record<string, unknown> = { on };
    if (i % 3 === 0) state["always"] = { target: `s${(i + 1) % n}`, guard: "go_on" };
    states[`s${i}`] = state;
  }
  states["done"] = { type: "final" };
  for (let i = 0; i < n / 10; i++) states[`island${i}`] = { on: { x: `island${(i + 1) % Math.ceil(n / 10)}` } };
  return { id: "big", initial: "s0", on: { abort: ".done", reset: ".s0" }, states };
}

/** Milliseconds for validate + normalize + the first step (XState's compile), the best of 3 runs. */
function cost(n: number): number {
  const m = machine(n);
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const r = validateMachine(m, { file: "big.json" });
    if (!r.definition) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
    normalize(r.definition);
    step(structuredClone(r.definition), "s1", "next");
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe("machine validation and step setup grow near-linearly with the machine", () => {
  it("a 2,000-state machine validates (unreachable states are warnings), and steps, names and all", () => {
    const r = validateMachine(machine(2000), { file: "big.json" });
    expect(r.definition).toBeDefined();
    expect(r.diagnostics.every((d) => d.severity === "warning")).toBe(true);
    expect(r.diagnostics.some((d) => d.message === 'state "island0" cannot be reached from the initial state "s0"')).toBe(true);
    const def = r.definition!;
    expect(step(def, "s1999", "next")).toMatchObject({ outcome: "taken", next: "s0" });
    expect(step(def, "s5", "pick", { left: true })).toMatchObject({ outcome: "taken", next: "s66" });
    expect(step(def, "s1500", "abort")).toMatchObject({ outcome: "taken", next: "done" });
  });

  // 10× the states: a linear algorithm costs ~10×, a quadratic one ~100× (400 states took 10 s before).
  it("2,000 states cost less than 40× what 200 states cost, measured in this run", { timeout: 60_000 }, () => {
    cost(200); // warm up the JIT on the small one
    const small = Math.max(cost(200), 1);
    const large = cost(2000);
    expect(large / small).toBeLessThan(40);
  });

  it("a machine with thousands of wrong targets gets a bounded list of problems, the last one counting the rest", () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) states[`s${i}`] = { on: { go: `nowhere${i}` } };
    const r = validateMachine({ id: "m", initial: "s0", states }, { file: "m.json" });
    expect(r.definition).toBeUndefined();
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS);
    expect(r.diagnostics[MAX_DIAGNOSTICS - 1]).toMatchObject({ severity: "error", message: "4801 more problems are not listed" });
  });

  it(`a machine over ${MAX_TRANSITIONS} transitions is refused with its count`, () => {
    const on: Record<string, string> = {};
    for (let e = 0; e < 300; e++) on[`e${e}`] = "s0";
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) states[`s${i}`] = { on };
    const r = validateMachine({ id: "m", initial: "s0", states }, { file: "m.json" });
    expect(r.diagnostics.map((d) => d.message)).toEqual([`the machine has 60000 transitions; the limit is ${MAX_TRANSITIONS}`]);
  });
});

describe("documents whose size is out of proportion to their text", () => {
  /** 26 KB of YAML: one anchor of 900 events, aliased by 900 states (810,000 transitions). */
  function aliasBomb(): string {
    const events: string[] = [];
    for (let i = 0; i < 900; i++) events.push(`e${i}: s${i}`);
    let y = `id: bomb\ninitial: s0\nevents: &ev {${events.join(", ")}}\nstates:\n`;
    for (let i = 0; i < 900; i++) y += `  s${i}: {on: *ev}\n`;
    return y;
  }

  it("a YAML alias bomb is refused before it is expanded, with the size it would have", { timeout: 10_000 }, () => {
    const text = aliasBomb();
    expect(text.length).toBeLessThan(27_000);
    const doc = parseDocument(text, "bomb.yaml");
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics.map(formatDiagnostic)).toEqual([
      "bomb.yaml:1:1: error: the document expands to 1,625,409 nodes through aliases; the limit is 500,000. Use fewer aliases (*name) of large anchors (&name): a few kilobytes of YAML must not stand for millions of values.",
    ]);
    expect(loadDefinitionText(text, "bomb.yaml").diagnostics).toHaveLength(1);
  });

  it("aliases in moderation still work (an anchor reused a few times)", () => {
    const text = "id: m\ninitial: a\ncommon: &c { stop: c }\nstates:\n  a: { on: *c }\n  b: { on: *c }\n  c: { type: final }\n";
    const r = loadDefinitionText(text, "m.yaml");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.definition?.states["b"]).toEqual({ on: { stop: "c" } });
  });

  it("nesting thousands of levels deep is an error, not a stack overflow, in JSON and YAML", () => {
    for (const [file, text] of [
      ["deep.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
      ["deep.yaml", `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ] as const) {
      const d = parseDocument(text, file);
      expect(d.diagnostics.map((x) => [x.severity, x.message])).toEqual([["error", expect.stringMatching(/nested more than 200 levels deep/) as unknown]]);
    }
  });
});
