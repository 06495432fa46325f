/**
 * Generators shared by the parser fuzz tests: names that JavaScript objects treat specially mixed
 * with ordinary ones, and random flat machines built from them.
 */
import fc from "fast-check";
import type { GuardRef, MachineDefinition, StateDef, TransitionDef } from "../../../shared/machine/definition";

/** Names an object inherits (or, for "__proto__", that assigning to changes its prototype). */
export const OBJECT_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__", "prototype"] as const;

/** A name as a state, event, guard key or instance could be called: often one of OBJECT_NAMES. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...OBJECT_NAMES) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/) },
  { weight: 1, arbitrary: fc.constantFrom("WAKE", "SLEEP", "idle", "Ready", "ÉTAT", "état_2", "$x", "%a", "idle state", "two  spaces", "%20x", "tab\tname") },
);

/** Names without dots, stars or emptiness: valid state and event names in every format (whitespace included: SCXML writes it percent-encoded). */
export const cleanNameArb = nameArb.filter((n) => n !== "" && !/[.*]/.test(n));

export interface MachineShape {
  def: MachineDefinition;
  states: string[];
  events: string[];
}

/**
 * A flat machine in the canonical form (what importXState produces): state-level targets as plain
 * names, root-level ones as ".name", every transition an object, lists only for several. Eventless
 * transitions only go "forward" (to a later state), so no machine loops without events.
 */
export const machineArb: fc.Arbitrary<MachineShape> = fc
  .record({
    states: fc.uniqueArray(cleanNameArb, { minLength: 1, maxLength: 7 }),
    events: fc.uniqueArray(cleanNameArb, { minLength: 1, maxLength: 5 }),
    guardKeys: fc.uniqueArray(cleanNameArb, { minLength: 1, maxLength: 3 }),
    seed: fc.array(fc.nat(1000), { minLength: 64, maxLength: 64 }),
  })
  .map(({ states, events, guardKeys, seed }) => {
    let k = 0;
    const pick = (n: number): number => (seed[k++ % seed.length] ?? 0) % n;
    const guard = (): GuardRef | undefined => {
      const key = guardKeys[pick(guardKeys.length)] as string;
      switch (pick(4)) {
        case 0:
          return undefined;
        case 1:
          return { type: "payload", params: { key } };
        case 2:
          return { type: "not", params: { key } };
        default:
          return key;
      }
    };
    const transitions = (root: boolean): TransitionDef[] => {
      const count = 1 + pick(2);
      const out: TransitionDef[] = [];
      for (let i = 0; i < count; i++) {
        const t: TransitionDef = {};
        if (pick(6) !== 0 || root) t.target = `${root ? "." : ""}${states[pick(states.length)] as string}`;
        // Only the last transition of a list may be unguarded (an earlier one would hide the rest).
        const g = i === count - 1 && pick(2) === 0 ? undefined : guard();
        if (g !== undefined || i < count - 1) t.guard = g ?? { type: "payload", params: { key: guardKeys[0] as string } };
        out.push(t);
      }
      return out;
    };
    const list = (ts: TransitionDef[]): TransitionDef | TransitionDef[] => (ts.length === 1 ? (ts[0] as TransitionDef) : ts);
    const defStates: Record<string, StateDef> = {};
    states.forEach((name, i) => {
      const s: StateDef = {};
      if (i > 0 && pick(8) === 0) s.type = "final";
      else {
        const on: Record<string, TransitionDef | TransitionDef[]> = {};
        for (const e of events) if (pick(3) !== 0) Object.defineProperty(on, e, { value: list(transitions(false)), enumerable: true, writable: true, configurable: true });
        if (Object.keys(on).length > 0) s.on = on;
        if (i + 1 < states.length && pick(4) === 0) s.always = { target: states[i + 1 + pick(states.length - i - 1)] as string, guard: { type: "payload", params: { key: guardKeys[0] as string } } };
      }
      Object.defineProperty(defStates, name, { value: s, enumerable: true, writable: true, configurable: true });
    });
    const def: MachineDefinition = { id: "fuzz", initial: states[0] as string, states: defStates };
    if (pick(2) === 0) {
      const on: Record<string, TransitionDef | TransitionDef[]> = {};
      Object.defineProperty(on, events[0] as string, { value: list(transitions(true)), enumerable: true, writable: true, configurable: true });
      def.on = on;
    }
    return { def, states, events };
  });

/** A payload: some guard keys set to truthy or falsy values, OBJECT_NAMES among them. */
export const payloadArb = fc.dictionary(nameArb, fc.oneof(fc.boolean(), fc.constant(0), fc.constant("x"), fc.constant(null)), { maxKeys: 4 }).map((d) => {
  // fc.dictionary builds a plain object: re-create "__proto__" as an own member.
  const out: Record<string, boolean | number | string | null> = {};
  for (const [k, v] of Object.entries(d)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});
