import type { EventObservation } from "../../../../shared/trace/observation";

function summary(e: EventObservation): string {
  const f = e.fields ?? {};
  const parts = Object.entries(f)
    .filter(([, v]) => v !== null && typeof v !== "object")
    .slice(0, 3)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(" ");
}

export function EventList({ events, limit = 30 }: { events: EventObservation[]; limit?: number }): React.JSX.Element {
  const items = events.slice(-limit).reverse();
  return (
    <section className="panel events" aria-labelledby="events-h">
      <h2 id="events-h">Other log lines</h2>
      {items.length === 0 ? (
        <p className="empty">Sleep steps, quarantine and other lines appear here.</p>
      ) : (
        <ol className="event-list">
          {items.map((e) => (
            <li key={e.seq} title={e.source.file ? `${e.source.file}:${e.source.line ?? ""}` : undefined}>
              <span className="event-name">{e.name}</span> <span className="event-fields">{summary(e)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
