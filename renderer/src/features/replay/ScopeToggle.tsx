import { memo } from "react";
import { useStore } from "../../store/store";
import { useReplayController } from "./use-replay";

/** The overlays (counts, dwell, undeclared, never seen) up to the cursor, or of the whole recording. */
export const ScopeToggle = memo(function ScopeToggle({ sessionId }: { sessionId: string }): React.JSX.Element {
  const controller = useReplayController();
  const scope = useStore((s) => s.replays[sessionId]?.scope ?? "upto");
  return (
    <div className="scope-choice" role="group" aria-label="The overlays count">
      <button type="button" className={`chip${scope === "upto" ? " is-on" : ""}`} aria-pressed={scope === "upto"} onClick={() => controller.setScope(sessionId, "upto")} title="Counts, dwell, undeclared and never seen count what happened up to the cursor">
        Up to the cursor
      </button>
      <button type="button" className={`chip${scope === "all" ? " is-on" : ""}`} aria-pressed={scope === "all"} onClick={() => controller.setScope(sessionId, "all")} title="Counts, dwell, undeclared and never seen count the whole recording">
        Whole recording
      </button>
    </div>
  );
});
