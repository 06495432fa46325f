import { memo } from "react";
import { formatUserError } from "../../../../shared/errors";
import { formatDuration } from "../../../../shared/trace/time";
import { useStore } from "../../store/store";
import { formatBytes, formatCount, plural } from "./format-count";
import { useReplayController } from "./use-replay";

/**
 * Indexing a replay session's log: a progress bar with bytes, lines per second and time left, and
 * Cancel, while it runs (what is indexed can be visited already); then one line saying how it ended.
 */
export const IndexingBar = memo(function IndexingBar({ sessionId }: { sessionId: string }): React.JSX.Element {
  const p = useStore((s) => s.replays[sessionId]?.progress);
  const indexed = useStore((s) => s.replays[sessionId]?.timeline?.total);
  const readIn = useStore((s) => s.sessions.find((x) => x.id === sessionId)?.timeZone);
  const controller = useReplayController();
  const zoneNote = readIn ? (
    <span className="dim" data-testid="read-zone" title="Times written without a zone (no offset, no Z) were read in this zone; choose another in Open log…">
      {" "}
      · times without a zone read as {readIn}
    </span>
  ) : null;
  if (!p && indexed !== undefined) {
    // Opened before this page was: the backend reports progress only while it reads.
    return (
      <div className="indexing" data-testid="indexing" data-state="unknown" role="status">
        <span className="indexing-text">
          {plural(indexed, "observation", "observations")} indexed
          {zoneNote}
        </span>
      </div>
    );
  }
  if (!p) {
    return (
      <div className="indexing" data-testid="indexing" data-state="starting" role="status">
        Starting to read the log…
      </div>
    );
  }
  const pct = p.bytesTotal > 0 ? Math.min(100, Math.floor((p.bytesRead / p.bytesTotal) * 100)) : p.state === "done" ? 100 : 0;
  const found = `${plural(p.transitions, "transition", "transitions")} · ${plural(p.anomalies, "anomaly", "anomalies")}${p.badLines > 0 ? ` · ${plural(p.badLines, "bad line", "bad lines")}` : ""}`;
  const attrs = { "data-testid": "indexing", "data-state": p.state, "data-percent": pct, "data-lines": p.lines, "data-bytes-read": p.bytesRead, "data-bytes-total": p.bytesTotal };
  if (p.state === "indexing") {
    return (
      <div className="indexing is-running" {...attrs} role="status">
        <div className="indexing-bar" role="progressbar" aria-label="Indexing the log" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div className="indexing-fill" style={{ width: `${pct}%` }} />
        </div>
        <span className="indexing-text">
          <b>Indexing {pct}%</b> · {formatBytes(p.bytesRead)} of {formatBytes(p.bytesTotal)} · {formatCount(p.linesPerSecond)} lines/s · {p.etaMs === null ? "estimating the time left" : `${formatDuration(p.etaMs)} left`} · {found} so far — move through what is read already
        </span>
        <button type="button" className="ghost small" onClick={() => void controller.cancelIndexing(sessionId)} title="Stop reading; what is indexed so far stays visitable">
          Cancel
        </button>
      </div>
    );
  }
  if (p.state === "failed") {
    return (
      <div className="indexing is-failed" {...attrs} role="alert">
        Indexing failed after {formatBytes(p.bytesRead)}: {p.error ? formatUserError(p.error) : "the reader stopped."} The {formatCount(p.observations)} observations read can be visited; close this tab and open the log again to retry.
      </div>
    );
  }
  const what = p.state === "cancelled" ? `Indexing cancelled at ${pct}% (${formatBytes(p.bytesRead)} of ${formatBytes(p.bytesTotal)}): only what was read can be visited` : `Indexed 100% · ${formatBytes(p.bytesTotal)} · ${formatCount(p.lines)} lines`;
  return (
    <div className={`indexing is-${p.state}`} {...attrs} role="status">
      <span className="indexing-text">
        {what} · {found}
        {zoneNote}
      </span>
    </div>
  );
});
