import type { MachineDefinition } from "../../../shared/machine/definition";
import { seededRandom } from "../../../shared/machine/prng";

/** A deterministic machine of `states` states and `transitions` transitions (each state reachable). */
export function generateMachine(states: number, transitions: number, seed = 42): MachineDefinition {
  const rand = seededRandom(seed);
  const names = Array.from({ length: states }, (_, i) => `S${String(i).padStart(3, "0")}`);
  const defs: MachineDefinition["states"] = Object.fromEntries(names.map((n) => [n, { on: {} as Record<string, { target: string }> }]));
  let made = 0;
  const add = (from: string, to: string): void => {
    const on = defs[from]?.on as Record<string, { target: string }>;
    on[`e${made}`] = { target: to };
    made++;
  };
  // A lifecycle-like shape: each state reached from one of the few before it, then extra
  // transitions mostly forward to nearby states, some back (retries, resets).
  for (let i = 1; i < states; i++) add(names[Math.max(0, i - 1 - Math.floor(rand() * 4))] as string, names[i] as string);
  while (made < transitions) {
    const from = names[Math.floor(rand() * states)] as string;
    const near = Math.floor(rand() * 12) - 4;
    const to = names[Math.max(0, Math.min(states - 1, names.indexOf(from) + near))] as string;
    add(from, to);
  }
  return { id: `generated-${states}-${transitions}`, initial: names[0] as string, states: defs };
}
