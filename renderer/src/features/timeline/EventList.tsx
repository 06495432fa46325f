import type { EventObservation } from "../../../../shared/trace/observation";
import { parseIsoMs } from "../../../../shared/trace/time";
import { useStore } from "../../store/store";
import { formatClock } from "../time/format-time";

function summary(e: EventObservation): string {
  const f = e.fields ?? {};
  const parts = Object.entries(f)
    .filter(([, v]) => v !== null && typeof v !== "object")
    .slice(0, 3)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(" ");
}

/** Other log lines, newest first. In a replay, a click on a line moves the cursor there. */
export function EventList({ events, limit = 30, onPick, currentSeq }: { events: EventObservation[]; limit?: number; onPick?: (seq: number) => void; currentSeq?: number }): React.JSX.Element {
  const items = events.slice(-limit).reverse();
  const utc = useStore((s) => s.utc);
  return (
    <section className="panel events" aria-labelledby="events-h">
      <h2 id="events-h">Other log lines</h2>
      {items.length === 0 ? (
        <p className="empty">{onPick ? "No other line up to the cursor." : "What is seen besides transitions (other log lines, epoch changes) appears here."}</p>
      ) : (
        <ol className="event-list">
          {items.map((e) => {
            const where = e.source.file ? `${e.source.file}:${e.source.line ?? ""}` : undefined;
            const ms = onPick && e.ts !== undefined ? parseIsoMs(e.ts) : undefined;
            const body = (
              <>
                {ms !== undefined && <time dateTime={e.ts}>{formatClock(ms, utc)}</time>} <span className="event-name">{e.name}</span> <span className="event-fields">{summary(e)}</span>
              </>
            );
            return (
              <li key={e.seq} title={where} className={currentSeq === e.seq ? "is-current" : undefined}>
                {onPick ? (
                  <button type="button" className="event-pick" data-testid="event-line" data-seq={e.seq} onClick={() => onPick(e.seq)} title={where ? `${where} — click to move here` : "Click to move here"}>
                    {body}
                  </button>
                ) : (
                  body
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
