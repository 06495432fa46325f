import type { MachineDefinition } from "../../../shared/machine/definition";

/** A deterministic machine of `states` states and `transitions` transitions (each state reachable). */
export function generateMachine(states: number, transitions: number, seed = 42): MachineDefinition {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
