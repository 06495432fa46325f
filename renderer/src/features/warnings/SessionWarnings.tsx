import { useCallback } from "react";
import type { SessionSummary } from "../../../../shared/ipc/views";
import type { WarningObservation } from "../../../../shared/trace/observation";
import { useViewNow } from "../../hooks/use-view-now";
import { selectActiveView, useStore } from "../../store/store";
import { notWarnedYet, stuckWarnings, useActiveStuck, useStuckNotifications } from "./use-stuck";
import { WarningList } from "./WarningList";

/**
 * The warnings of the session on screen, stuck instances first (on the view's clock), and their
 * notifications. Reads only the warnings from the store: a batch that raises or clears none does
 * not draw this panel again.
 */
export function SessionWarnings({ summary }: { summary: SessionSummary }): React.JSX.Element | null {
  const now = useViewNow();
  const stuck = useActiveStuck(now);
  const table = useStore((s) => selectActiveView(s)?.model.warnings);
  const sinceOf = useCallback((id: string) => selectActiveView(useStore.getState())?.model.instances[id]?.since, []);
  // A replay's stuck instances are history: listed, never announced.
  useStuckNotifications(summary.title, summary.kind === "replay" ? NONE : stuck, sinceOf);
  const others = table ? (Object.values(table) as WarningObservation[]) : NONE;
  const warnings: WarningObservation[] = [...stuckWarnings(notWarnedYet(stuck, others)), ...others];
  return <WarningList warnings={warnings} />;
}

const NONE: never[] = [];
