import { memo } from "react";
import type { ReplayFilter } from "../../../../shared/ipc/replay";
import { useStore } from "../../store/store";
import { useReplayController } from "./use-replay";

const NONE: string[] = [];

function FilterSelect(props: { label: string; all: string; value: string | undefined; names: readonly string[]; onChange(v: string | undefined): void }): React.JSX.Element | null {
  if (props.names.length === 0) return null;
  return (
    <label className="replay-filter">
      <span className="dim">{props.label}</span>
      <select aria-label={`Filter by ${props.label}`} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value || undefined)} className={props.value ? "is-on" : ""}>
        <option value="">{props.all}</option>
        {props.names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Filters by instance, state and event: they apply to the histogram, the steps and jumps, and the transition list. */
export const ReplayFilters = memo(function ReplayFilters({ sessionId }: { sessionId: string }): React.JSX.Element {
  const controller = useReplayController();
  const names = useStore((s) => s.replays[sessionId]?.timeline?.names);
  const filter = useStore((s) => s.replays[sessionId]?.filter);
  const f: ReplayFilter = filter ?? {};
  const set = (change: Partial<Record<keyof ReplayFilter, string | undefined>>): void => {
    const next: ReplayFilter = { ...f };
    for (const k of ["instance", "state", "event"] as const) {
      if (!(k in change)) continue;
      const v = change[k];
      if (v) next[k] = v;
      else delete next[k];
    }
    controller.setFilter(sessionId, next);
  };
  const instances = names?.instances ?? NONE;
  const any = Boolean(f.instance || f.state || f.event);
  return (
    <div className="replay-filters" role="group" aria-label="Filters">
      {instances.length > 1 && <FilterSelect label="instance" all="all instances" value={f.instance} names={instances} onChange={(v) => set({ instance: v })} />}
      <FilterSelect label="state" all="all states" value={f.state} names={names?.states ?? NONE} onChange={(v) => set({ state: v })} />
      <FilterSelect label="event" all="all events" value={f.event} names={names?.events ?? NONE} onChange={(v) => set({ event: v })} />
      {any && (
        <button type="button" className="ghost small" onClick={() => controller.setFilter(sessionId, {})}>
          Clear filters
        </button>
      )}
    </div>
  );
});
