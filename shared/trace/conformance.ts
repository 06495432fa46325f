import { declaresTransition, type NormalizedMachine } from "../machine/normalize";
import type { Verdict } from "./observation";

/**
 * The verdict on one observed transition, given the state the trace had before it
 * (undefined at the start of a trace, or after a gap).
 */
export function classifyTransition(m: NormalizedMachine, previous: string | undefined, from: string, to: string): Verdict {
  if (!m.states.includes(from) || !m.states.includes(to)) return "unknown-state";
  if (previous !== undefined && previous !== from) return "from-mismatch";
  return declaresTransition(m, from, to) ? "declared" : "undeclared";
}
