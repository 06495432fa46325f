import { useEffect, useMemo, useRef, useState } from "react";
import { formatDuration } from "../../../../shared/trace/time";
import type { InstanceState } from "../../../../shared/trace/session-model";
import { VirtualList } from "../timeline/VirtualList";
import { useViewNow } from "../../hooks/use-view-now";
import { isTyping } from "../../hooks/typing";
import { useActiveStuck } from "../warnings/use-stuck";
import { stuckMessage } from "../../../../shared/trace/stuck";
import { NO_QUERY, listedIds, queryInstances, timeInState, type InstanceQuery, type InstanceSort, type InstanceTables } from "./listed";

/** Above this many instances the list renders only the rows in view. */
const VIRTUAL_FROM = 60;
const ROW_HEIGHT = 62;

/** A known time in state (ms ≥ 0): under a second, or its duration ("≥" when only watching says since when). */
function TimeInState({ inst, ms }: { inst: InstanceState; ms: number }): React.JSX.Element {
  const atLeast = inst.sinceObserved === true;
  const text = ms < 1000 ? "< 1 s" : `${atLeast ? "≥ " : ""}${formatDuration(ms)}`;
  return (
    <span className="time-in-state" data-testid="time-in-state" title={atLeast ? "The files do not say since when: this is the time since watching started." : undefined}>
      {text}
    </span>
  );
}

function InstanceRow({ inst, selected, onSelect, now, stuck }: { inst: InstanceState; selected: boolean; onSelect(): void; now: number; stuck: string | undefined }): React.JSX.Element {
  const ms = timeInState(inst, now);
  return (
    <button type="button" className={`instance-row${selected ? " is-selected" : ""}${stuck ? " is-stuck" : ""}`} aria-pressed={selected} onClick={onSelect} aria-label={`Instance ${inst.id}: ${inst.state ?? "unknown"}${stuck ? ", stuck" : ""}`} title={stuck}>
      <span className="instance-id">
        {inst.id}
        {stuck && (
          <span className="stuck-chip" data-testid="stuck">
            stuck
          </span>
        )}
      </span>
      <span className="instance-state" data-testid="current-state" data-instance={inst.id}>
        {inst.state ?? "unknown"}
      </span>
      <span className="instance-meta">
        {inst.transitions} {inst.transitions === 1 ? "transition" : "transitions"} · {ms < 0 ? "time unknown" : <>in state for <TimeInState inst={inst} ms={ms} /></>}
      </span>
    </button>
  );
}

const SORTS: [InstanceSort, string][] = [
  ["seen", "first seen"],
  ["name", "name"],
  ["state", "state"],
  ["longest", "longest in state"],
];

/**
 * The instances of the session on screen: one clock for every "time in state", only the
 * instances something is known of, a search box (`/`), a state filter, "in state longer than",
 * sorting, and only the rows in view drawn when there are many.
 */
function statesOf(model: InstanceTables): string[] {
  const states = new Set<string>();
  for (const id of model.instanceOrder) {
    const s = model.instances[id]?.state;
    if (s !== undefined) states.add(s);
  }
  return [...states].sort();
}

export function InstancePanel(props: { model: InstanceTables; selected: string | undefined; onSelect(id: string): void; label?: string; emptyText?: string }): React.JSX.Element {
  const { model } = props;
  const now = useViewNow();
  const stuckList = useActiveStuck(now);
  const stuck = useMemo(() => new Map(stuckList.map((x) => [x.id, stuckMessage(x)])), [stuckList]);
  const [q, setQ] = useState<InstanceQuery>(NO_QUERY);
  const search = useRef<HTMLInputElement>(null);
  const total = useMemo(() => listedIds(model).length, [model]);
  const tools = total > 6;
  const ids = useMemo(() => queryInstances(model, q, now), [model, q, now]);
  // The state filter's choices: once per tick of the clock (reading every instance), not at every batch.
  const latest = useRef(model);
  latest.current = model;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed on the clock's tick on purpose (the model is read from the ref)
  const states = useMemo(() => statesOf(latest.current), [now, tools]);

  useEffect(() => {
    if (!tools) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== "/" || isTyping(e.target)) return;
      e.preventDefault();
      search.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [tools]);

  const row = (id: string): React.ReactNode => {
    const inst = model.instances[id];
    return inst ? <InstanceRow inst={inst} now={now} stuck={stuck.get(id)} selected={id === props.selected} onSelect={() => props.onSelect(id)} /> : null;
  };
  const filtered = ids.length !== total;
  return (
    <section className="panel instance-panel" aria-labelledby="instances-h">
      <h2 id="instances-h">
        {props.label ? `${props.label}s` : "Instances"}{" "}
        {total > 1 ? (
          <span className="count" data-testid="instance-count" data-shown={ids.length} data-total={total}>
            {filtered ? `${ids.length} of ${total}` : total}
          </span>
        ) : null}
      </h2>
      {tools && (
        <div className="instance-tools">
          <input ref={search} className="filter" type="search" placeholder="Search name or state (/)" aria-label="Filter instances" value={q.text} onChange={(e) => setQ({ ...q, text: e.target.value })} />
          <div className="instance-tool-row">
            <select aria-label="Only instances in state" value={q.state} onChange={(e) => setQ({ ...q, state: e.target.value })}>
              <option value="">any state</option>
              {states.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <select aria-label="In their state longer than" value={String(q.minMs)} onChange={(e) => setQ({ ...q, minMs: Number(e.target.value) })}>
              <option value="0">any time</option>
              <option value={String(60_000)}>&gt; 1 min</option>
              <option value={String(15 * 60_000)}>&gt; 15 min</option>
              <option value={String(3_600_000)}>&gt; 1 h</option>
              <option value={String(24 * 3_600_000)}>&gt; 1 day</option>
            </select>
            <select aria-label="Sort instances by" value={q.sort} onChange={(e) => setQ({ ...q, sort: e.target.value as InstanceSort })}>
              {SORTS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {total === 0 ? (
        <p className="empty">{props.emptyText ?? "Waiting for the first state file or log line…"}</p>
      ) : ids.length === 0 ? (
        <p className="empty">No instance matches.</p>
      ) : ids.length >= VIRTUAL_FROM ? (
        <VirtualList items={ids} rowHeight={ROW_HEIGHT} itemKey={(id) => id} render={row} label="Instances" className="instance-list is-virtual" />
      ) : (
        <ul className="instance-list">
          {ids.map((id) => (
            <li key={id}>{row(id)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
