import { formatDuration, parseIsoMs } from "../../../../shared/trace/time";
import type { InstanceState, SessionModel } from "../../../../shared/trace/session-model";
import { useNow } from "../../app/use-now";

function TimeInState({ since }: { since: string | undefined }): React.JSX.Element {
  const now = useNow(1000);
  const ms = since ? parseIsoMs(since) : undefined;
  return <span className="time-in-state" data-testid="time-in-state">{ms === undefined ? "–" : now - ms < 1000 ? "< 1 s" : formatDuration(now - ms)}</span>;
}

function InstanceRow({ inst, selected, onSelect }: { inst: InstanceState; selected: boolean; onSelect(): void }): React.JSX.Element {
  return (
    <li>
      <button type="button" className={`instance-row${selected ? " is-selected" : ""}`} aria-pressed={selected} onClick={onSelect} aria-label={`Instance ${inst.id}: ${inst.state ?? "unknown"}`}>
        <span className="instance-id">{inst.id}</span>
        <span className="instance-state" data-testid="current-state" data-instance={inst.id}>
          {inst.state ?? "unknown"}
        </span>
        <span className="instance-meta">
          in state for <TimeInState since={inst.since} /> · {inst.transitions} transitions
        </span>
      </button>
    </li>
  );
}

export function InstancePanel(props: { model: SessionModel; selected: string | undefined; onSelect(id: string): void }): React.JSX.Element {
  const { model } = props;
  return (
    <section className="panel" aria-labelledby="instances-h">
      <h2 id="instances-h">Instances</h2>
      {model.instanceOrder.length === 0 ? (
        <p className="empty">Waiting for the first state file or log line…</p>
      ) : (
        <ul className="instance-list">
          {model.instanceOrder.map((id) => {
            const inst = model.instances[id];
            return inst ? <InstanceRow key={id} inst={inst} selected={id === props.selected} onSelect={() => props.onSelect(id)} /> : null;
          })}
        </ul>
      )}
    </section>
  );
}
