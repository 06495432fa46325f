import { parseIsoMs } from "../../../shared/trace/time";
import { selectActiveReplay, useStore } from "../store/store";
import { useNow } from "./use-now";

/**
 * "Now" for the session on screen: the clock for a live session; for a replay, the time at the
 * cursor (NaN before the first observation, or in a log without times), so "time in state" is
 * measured in the recording, not from today.
 */
export function useViewNow(): number {
  const live = useNow(1000);
  const replayNow = useStore((s) => {
    const r = selectActiveReplay(s);
    if (!r) return undefined;
    return r.ts === null ? NaN : (parseIsoMs(r.ts) ?? NaN);
  });
  return replayNow ?? live;
}
