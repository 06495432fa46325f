import { memo, useMemo } from "react";
import type { AnomalyKind } from "../../../../shared/ipc/replay";
import { formatDurationShort } from "../../../../shared/trace/time";
import { useStore } from "../../store/store";
import { ANOMALY_TEXT, anomalyColorVar } from "./anomaly-kinds";
import { formatCount } from "./format-count";

/** What the marker colours mean (with how many of each), and how long silences are shortened. */
export const TimelineLegend = memo(function TimelineLegend({ sessionId }: { sessionId: string }): React.JSX.Element {
  const timeline = useStore((s) => s.replays[sessionId]?.timeline);
  const counts = useMemo(() => {
    const m = new Map<AnomalyKind, number>();
    for (const x of timeline?.markers ?? []) m.set(x.kind, (m.get(x.kind) ?? 0) + 1);
    return m;
  }, [timeline]);
  if (!timeline || timeline.total === 0) return <div className="timeline-legend dim">Nothing indexed yet.</div>;
  const kinds = [...ANOMALY_TEXT.keys()].filter((k) => counts.has(k));
  return (
    <div className="timeline-legend" data-testid="timeline-legend">
      {kinds.length === 0 ? (
        <span className="dim">No anomaly</span>
      ) : (
        kinds.map((k) => (
          <span key={k} className="legend-item" data-kind={k}>
            <span className="legend-mark" style={{ background: `var(${anomalyColorVar(k)})` }} aria-hidden="true" />
            {ANOMALY_TEXT.get(k)} {formatCount(counts.get(k) ?? 0)}
          </span>
        ))
      )}
      {timeline.markersCut && <span className="dim">(the first of each stretch shown)</span>}
      {timeline.timed ? (
        <span className="legend-item dim" title="The timeline shortens each silence longer than this, so busy stretches keep their room; hover a break to see how long it really was.">
          <span className="legend-break" aria-hidden="true">≈</span>
          {timeline.silences.length > 0 ? `${formatCount(timeline.silences.length)} silence${timeline.silences.length === 1 ? "" : "s"} shortened to ${formatDurationShort(timeline.silenceCapMs)}` : `no silence over ${formatDurationShort(timeline.silenceCapMs)}`}
        </span>
      ) : (
        <span className="legend-item dim">This log has no times: the timeline counts observations</span>
      )}
    </div>
  );
});
