/**
 * A machine with the names that break exporters: spaces, dashes, dots, quotes, backslashes,
 * unicode, each format's reserved words; with self-loops, parallel transitions, from-any-state
 * transitions, guards, final states, eventless transitions and targetless ones.
 */
import type { MachineDefinition } from "../../shared/machine/definition";

export const HOSTILE_STATES = ["idle state", "wait-ing", 'say "hi"', "back\\slash", "über ☃", "node", "end", "graph", "subgraph", "state", "note", "constructor", "a->b", "semi;colon:", "done"] as const;

export function hostileMachine(): MachineDefinition {
  const [idle, waiting, quoted, backslash, unicode, node, end, graph, subgraph, state, note, ctor, arrow, semi, done] = HOSTILE_STATES;
  return {
    id: "hostile machine",
    initial: idle,
    on: { "reset all": { target: `.${idle}` } },
    states: {
      [idle]: { on: { "go on": waiting, "loop <self>": idle, "also go": waiting, "guarded & checked": { target: quoted, guard: { type: "payload", params: { key: 'fl"ag' } } } } },
      [waiting]: { on: { "next #1": quoted, "stay here": { description: "targetless" } } },
      [quoted]: { always: [{ target: backslash, guard: { type: "event", params: { in: ["next #1"] } } }], on: { 'quote"d': backslash } },
      [backslash]: { on: { "→ unicode": unicode } },
      [unicode]: { on: { "to node": node } },
      [node]: { on: { "edge": end } },
      [end]: { on: { "digraph": graph } },
      [graph]: { on: { "strict": subgraph } },
      [subgraph]: { on: { "direction": state } },
      [state]: { on: { "classDef": note } },
      // A computed key: "__proto__" as an own event name, not the object's prototype.
      [note]: { on: { ["__proto__"]: ctor } },
      [ctor]: { on: { "-> arrow": arrow } },
      [arrow]: { on: { "a; b: c": semi } },
      [semi]: { on: { "finish": done } },
      [done]: { type: "final" },
    },
  };
}
