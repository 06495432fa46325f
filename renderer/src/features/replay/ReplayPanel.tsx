import { memo } from "react";
import { IndexingBar } from "./IndexingBar";
import { PlaybackControls } from "./PlaybackControls";
import { ReplayFilters } from "./ReplayFilters";
import { Scrubber } from "./Scrubber";
import { TimelineLegend } from "./TimelineLegend";
import { usePlayback } from "./use-playback";

/**
 * Under the diagram of a replay session: playback and indexing, the scrubber, its legend and the
 * filters. Every row keeps its height whatever it shows, so the diagram above does not jump.
 */
export const ReplayPanel = memo(function ReplayPanel({ sessionId }: { sessionId: string }): React.JSX.Element {
  usePlayback(sessionId);
  return (
    <section className="replay-panel" aria-label="Timeline" data-testid="replay-panel">
      <PlaybackControls sessionId={sessionId} />
      <Scrubber sessionId={sessionId} />
      <div className="replay-row">
        <TimelineLegend sessionId={sessionId} />
        <ReplayFilters sessionId={sessionId} />
      </div>
      <IndexingBar sessionId={sessionId} />
    </section>
  );
});
