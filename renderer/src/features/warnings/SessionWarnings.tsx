import { useCallback } from "react";
import type { WarningObservation } from "../../../../shared/trace/observation";
import { useViewNow } from "../../app/use-view-now";
import type { SessionView } from "../../store/sessions-slice";
import { notWarnedYet, stuckWarnings, useStuck, useStuckNotifications } from "./use-stuck";
import { WarningList } from "./WarningList";

/** The session's warnings, stuck instances first (on this panel's own clock), and their notifications. */
export function SessionWarnings({ view }: { view: SessionView }): React.JSX.Element | null {
  const now = useViewNow();
  const stuck = useStuck(view.summary.profileId, view.machine, view.model, now);
  const sinceOf = useCallback((id: string) => view.model.instances[id]?.since, [view.model]);
  // A replay's stuck instances are history: listed, never announced.
  useStuckNotifications(view.summary.title, view.summary.kind === "replay" ? NONE : stuck, sinceOf);
  const others = Object.values(view.model.warnings) as WarningObservation[];
  const warnings: WarningObservation[] = [...stuckWarnings(notWarnedYet(stuck, others)), ...others];
  return <WarningList warnings={warnings} />;
}

const NONE: never[] = [];
