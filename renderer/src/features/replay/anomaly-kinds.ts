import type { AnomalyKind } from "../../../../shared/ipc/replay";

/** What each marker on the timeline stands for, in the user's words, in the order of the legend. */
export const ANOMALY_TEXT: ReadonlyMap<AnomalyKind, string> = new Map<AnomalyKind, string>([
  ["undeclared", "undeclared transition"],
  ["from-mismatch", "from mismatch"],
  ["unknown-state", "unknown state"],
  ["gap", "gap"],
  ["restart", "restart"],
  ["bad-line", "bad line"],
  ["warning", "warning"],
]);

/** The CSS custom property holding each kind's colour (both themes define them). */
export function anomalyColorVar(kind: AnomalyKind): string {
  return `--mark-${kind}`;
}
