// Helpers for the format tests: random flat machines (fast-check) and a format-independent view
// of a machine (its normalize() sets) to compare after a round trip.
import fc from "fast-check";
import type { GuardRef, Json, MachineDefinition, StateDef, TransitionDef } from "../../../shared/machine/definition";
import { normalize } from "../../../shared/machine/normalize";
import { parseDocument } from "../../../shared/machine/document";
import { validateMachine } from "../../../shared/machine/validate";
import { formatDiagnostic, type Diagnostic } from "../../../shared/machine/diagnostics";
import { exportXState, importXState } from "../../../shared/machine/formats/xstate-json";
import { expect } from "vitest";

/** What a round trip must keep: states, initial, finals and every transition with its guard. */
export function shape(def: MachineDefinition): { id: string; initial: string; states: string[]; finals: string[]; edges: string[] } {
  const n = normalize(def);
  const edges = n.edges.map((e) => JSON.stringify([e.from, e.event, e.to, e.targetless, e.order, e.guard ?? null, e.description ?? null])).sort();
  return { id: n.id, initial: n.initial, states: [...n.states].sort(), finals: [...n.finals].sort(), edges };
}

/** Validate a JSON or YAML text as a machine, with line numbers. */
export function validateText(text: string, file = "machine.json"): Diagnostic[] {
  const doc = parseDocument(text, file);
  return [...doc.diagnostics, ...validateMachine(doc.value, { file, locate: doc.locate }).diagnostics];
}

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,7}$/);
const text = fc.array(fc.constantFrom("a", "Z", " ", '"', "'", "&", "<", ">", "\n", "\t", "é", "-", "→", "#", "{"), { maxLength: 12 }).map((cs) => cs.join(""));
const scalar: fc.Arbitrary<Json> = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));

function guardOf(events: string[]): fc.Arbitrary<GuardRef> {
  return fc.oneof(
    name,
    name.map((key): GuardRef => ({ type: "payload", params: { key } })),
    fc.tuple(name, scalar).map(([key, equals]): GuardRef => ({ type: "payload", params: { key, equals } })),
    fc.tuple(name, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([key, list]): GuardRef => ({ type: "payload", params: { key, in: list } })),
    name.map((key): GuardRef => ({ type: "not", params: { key } })),
    fc.tuple(fc.subarray(events, { minLength: 1 }), fc.option(name, { nil: undefined })).map(([list, key]): GuardRef => ({ type: "event", params: key === undefined ? { in: list } : { in: list, key } })),
    fc.tuple(name, fc.dictionary(name, scalar, { maxKeys: 2 })).map(([type, params]): GuardRef => ({ type: `custom_${type}`, params })),
  );
}

/** A transition list: guarded transitions, then maybe one unguarded fallback (so every one can be taken). */
function transitions(states: string[], events: string[], root: boolean, withFallback: boolean): fc.Arbitrary<TransitionDef[]> {
  const target = fc.option(fc.constantFrom(...states), { nil: undefined });
  const description = fc.option(text, { nil: undefined });
  const guarded = fc.array(fc.record({ target, guard: guardOf(events), description }), { minLength: withFallback ? 0 : 1, maxLength: 2 });
  const fallback = withFallback ? fc.option(fc.record({ target, description }), { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(guarded, fallback).map(([list, last]) => {
    const all: { target?: string | undefined; guard?: GuardRef | undefined; description?: string | undefined }[] = [...list];
    if (last !== undefined || all.length === 0) all.push(last ?? { target: states[0] });
    return all.map((t) => {
      const out: TransitionDef = {};
      if (t.target !== undefined) out.target = root ? `.${t.target}` : t.target;
      if (t.guard !== undefined) out.guard = t.guard;
      if (t.description !== undefined) out.description = t.description;
      return out;
    });
  });
}

/** Random valid flat machines: finals without transitions, root-level and eventless transitions, every guard kind. */
export const randomMachine: fc.Arbitrary<MachineDefinition> = fc
  .record({
    id: name,
    states: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
    events: fc.uniqueArray(name, { minLength: 1, maxLength: 5 }),
  })
  .chain(({ id, states, events }) => {
    const stateDef = fc.record(
      {
        final: fc.boolean(),
        on: fc.dictionary(fc.constantFrom(...events), transitions(states, events, false, true), { maxKeys: 3 }),
        always: fc.array(transitions(states, events, false, false), { maxLength: 1 }),
        description: fc.option(text, { nil: undefined }),
      },
      { requiredKeys: ["final", "on", "always"] },
    );
    return fc.record({
      id: fc.constant(id),
      initial: fc.constantFrom(...states),
      states: fc.tuple(...states.map(() => stateDef)),
      on: fc.dictionary(fc.constantFrom(...events), transitions(states, events, true, true), { maxKeys: 2 }),
      description: fc.option(text, { nil: undefined }),
    }).map((m) => {
      const def: MachineDefinition = { id: m.id, initial: m.initial, states: {} };
      if (m.description !== undefined) def.description = m.description;
      if (Object.keys(m.on).length > 0) def.on = m.on;
      states.forEach((s, i) => {
        const r = m.states[i];
        const st: StateDef = {};
        if (r?.description !== undefined) st.description = r.description;
        if (r?.final && s !== m.initial) st.type = "final";
        else {
          if (r && Object.keys(r.on).length > 0) st.on = r.on;
          const always = r?.always[0] ?? [];
          if (always.length > 0) st.always = always;
        }
        def.states[s] = st;
      });
      return def;
    });
  });

/**
 * The machine with only "forward" eventless transitions (to a later state, never targetless), so
 * no eventless cycle exists: step() would run one forever once its guards all hold.
 */
export function withoutEventlessCycles(def: MachineDefinition): MachineDefinition {
  const order = Object.keys(def.states);
  const states = Object.fromEntries(
    Object.entries(def.states).map(([name, s]): [string, StateDef] => {
      if (s.always === undefined) return [name, s];
      const kept = (s.always as TransitionDef[]).filter((t) => typeof t.target === "string" && order.indexOf(t.target) > order.indexOf(name));
      const { always: _dropped, ...rest } = s;
      return [name, kept.length > 0 ? { ...rest, always: kept } : rest];
    }),
  );
  return { ...def, states };
}

/** A machine written as XState JSON and read back (no error allowed on the way). */
export function viaXState(def: MachineDefinition): MachineDefinition {
  const json = JSON.parse(JSON.stringify(exportXState(def))) as unknown;
  const back = importXState(json, "machine.json");
  expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  if (!back.definition) throw new Error("no definition");
  return back.definition;
}
