import { useState } from "react";
import { formatDuration, parseIsoMs } from "../../../../shared/trace/time";
import type { InstanceState, SessionModel } from "../../../../shared/trace/session-model";
import { useViewNow } from "../../app/use-view-now";

function TimeInState({ since, atLeast }: { since: string | undefined; atLeast: boolean }): React.JSX.Element {
  const now = useViewNow();
  const ms = since ? parseIsoMs(since) : undefined;
  const text = ms === undefined ? "unknown" : now - ms < 1000 ? "< 1 s" : `${atLeast ? "≥ " : ""}${formatDuration(now - ms)}`;
  return (
    <span className="time-in-state" data-testid="time-in-state" title={atLeast ? "The files do not say since when: this is the time since watching started." : undefined}>
      {text}
    </span>
  );
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
          in state for <TimeInState since={inst.since} atLeast={inst.sinceObserved === true} /> · {inst.transitions} transitions
        </span>
      </button>
    </li>
  );
}

export function InstancePanel(props: { model: SessionModel; selected: string | undefined; onSelect(id: string): void; label?: string; emptyText?: string }): React.JSX.Element {
  const { model } = props;
  const [filter, setFilter] = useState("");
  const ids = filter ? model.instanceOrder.filter((id) => `${id} ${model.instances[id]?.state ?? ""}`.toLowerCase().includes(filter.toLowerCase())) : model.instanceOrder;
  return (
    <section className="panel" aria-labelledby="instances-h">
      <h2 id="instances-h">
        {props.label ? `${props.label}s` : "Instances"} {model.instanceOrder.length > 1 ? <span className="count">{model.instanceOrder.length}</span> : null}
      </h2>
      {model.instanceOrder.length > 6 && (
        <input className="filter" type="search" placeholder="Filter by name or state" aria-label="Filter instances" value={filter} onChange={(e) => setFilter(e.target.value)} />
      )}
      {model.instanceOrder.length === 0 ? (
        <p className="empty">{props.emptyText ?? "Waiting for the first state file or log line…"}</p>
      ) : (
        <ul className="instance-list">
          {ids.map((id) => {
            const inst = model.instances[id];
            return inst ? <InstanceRow key={id} inst={inst} selected={id === props.selected} onSelect={() => props.onSelect(id)} /> : null;
          })}
        </ul>
      )}
    </section>
  );
}
