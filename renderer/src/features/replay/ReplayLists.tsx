import { memo, useCallback, useMemo } from "react";
import type { EventObservation, TransitionObservation } from "../../../../shared/trace/observation";
import type { SessionModel } from "../../../../shared/trace/session-model";
import { activeFilter } from "../../store/replay-slice";
import { useStore } from "../../store/store";
import { EventList } from "../timeline/EventList";
import { TransitionList } from "../timeline/TransitionList";
import { useReplayController } from "./use-replay";

const NO_ITEMS: never[] = [];

/** "state SLEEP, event idle_5min" */
function describe(f: { instance?: string; state?: string; event?: string }): string {
  return [f.instance && `instance ${f.instance}`, f.state && `state ${f.state}`, f.event && `event ${f.event}`].filter(Boolean).join(", ");
}

/**
 * A replay's transition list and other lines: what happened up to the cursor (only what the
 * filter lets through, when one is set); a click moves the cursor to that line.
 */
export const ReplayLists = memo(function ReplayLists({ sessionId, model, selected }: { sessionId: string; model: SessionModel; selected: string | undefined }): React.JSX.Element {
  const controller = useReplayController();
  const position = useStore((s) => s.replays[sessionId]?.position ?? 0);
  const filter = useStore((s) => s.replays[sessionId]?.filter);
  const list = useStore((s) => s.replays[sessionId]?.list);
  const onPick = useCallback((seq: number) => controller.seekPosition(sessionId, seq), [controller, sessionId]);
  const active = activeFilter(filter ?? {});
  const filtered = useMemo(() => {
    if (!activeFilter(filter ?? {})) return undefined;
    const items = list?.items ?? NO_ITEMS;
    return {
      transitions: items.filter((o): o is TransitionObservation => o.kind === "transition"),
      events: items.filter((o): o is EventObservation => o.kind === "event"),
    };
  }, [filter, list]);
  if (filtered && active) {
    return (
      <>
        <TransitionList recent={filtered.transitions} total={filtered.transitions.length} selected={selected} onPick={onPick} currentSeq={position} note={` filtered: ${describe(active)}${list ? "" : " (loading…)"}`} />
        <EventList events={filtered.events} onPick={onPick} currentSeq={position} />
      </>
    );
  }
  return (
    <>
      <TransitionList recent={model.recent} total={model.totals.transitions} selected={selected} onPick={onPick} currentSeq={position} note={model.totals.transitions > model.recent.length ? ` (latest ${model.recent.length} up to the cursor)` : " up to the cursor"} />
      <EventList events={model.events} onPick={onPick} currentSeq={position} />
    </>
  );
});
