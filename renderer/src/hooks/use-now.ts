import { useSyncExternalStore } from "react";

/**
 * One clock per period for the whole window: every "time in state" label, the instance list and
 * the Warnings panel read the same `now`, set by one timer (not one timer per component), so work
 * keyed by it (stuck instances) is done once per tick.
 */
interface Clock {
  now: number;
  readonly listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
  readonly subscribe: (listener: () => void) => () => void;
  readonly read: () => number;
}

const clocks = new Map<number, Clock>();

function clockOf(ms: number): Clock {
  let c = clocks.get(ms);
  if (c) return c;
  const clock: Clock = {
    now: Date.now(),
    listeners: new Set(),
    timer: undefined,
    subscribe: (listener) => {
      clock.listeners.add(listener);
      clock.timer ??= setInterval(() => {
        clock.now = Date.now();
        for (const l of clock.listeners) l();
      }, ms);
      return () => {
        clock.listeners.delete(listener);
        if (clock.listeners.size === 0 && clock.timer !== undefined) {
          clearInterval(clock.timer);
          clock.timer = undefined;
        }
      };
    },
    // A clock nobody listened to for a while is brought up to date once when read again.
    read: () => {
      if (clock.timer === undefined && Date.now() - clock.now >= ms) clock.now = Date.now();
      return clock.now;
    },
  };
  clocks.set(ms, clock);
  c = clock;
  return c;
}

/** The current time, refreshed every `ms` (for "time in state" timers); the same value for every reader. */
export function useNow(ms = 1000): number {
  const c = clockOf(ms);
  return useSyncExternalStore(c.subscribe, c.read);
}
