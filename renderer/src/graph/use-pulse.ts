import { useEffect, useRef, useState } from "react";
import type { TransitionObservation } from "../../../shared/trace/observation";

/** The transition being animated (its two states, not a key to split), and how many arrived meanwhile. */
export interface Pulse {
  from: string;
  to: string;
  seq: number;
  queued: number;
}

export const PULSE_MS = 700;

/**
 * The transition to animate: the selected instance's latest. When transitions arrive faster than
 * an animation runs, the newest replaces the running one and the skipped ones are counted, so the
 * view never lags reality by more than one animation.
 */
export function usePulse(last: TransitionObservation | undefined, instance: string | undefined): Pulse | undefined {
  const [pulse, setPulse] = useState<Pulse | undefined>(undefined);
  const startedAt = useRef(0);
  const seenSeq = useRef<number | undefined>(undefined);
  const seenInstance = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!last) return;
    if (seenInstance.current !== instance) {
      // A newly selected instance: show where it is, do not replay its past.
      seenInstance.current = instance;
      seenSeq.current = last.seq;
      setPulse(undefined);
      return;
    }
    if (seenSeq.current === last.seq) return;
    const skipped = seenSeq.current === undefined ? 0 : 1;
    seenSeq.current = last.seq;
    const now = performance.now();
    const running = now - startedAt.current < PULSE_MS;
    startedAt.current = now;
    setPulse((p) => ({ from: last.from, to: last.to, seq: last.seq, queued: running && p ? p.queued + skipped : 0 }));
  }, [last, instance]);

  useEffect(() => {
    if (!pulse || pulse.queued === 0) return;
    const t = setTimeout(() => setPulse((p) => (p && p.seq === pulse.seq ? { ...p, queued: 0 } : p)), PULSE_MS * 2);
    return () => clearTimeout(t);
  }, [pulse]);

  return pulse;
}
