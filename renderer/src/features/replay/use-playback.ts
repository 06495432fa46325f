import { useEffect } from "react";
import { useStore } from "../../store/store";
import { END } from "./replay-controller";
import { playbackAxis } from "./playback";
import { useReplayController } from "./use-replay";

/**
 * Plays a replay session while its `playing` flag is on, driven by requestAnimationFrame: each
 * frame moves the cursor along the axis at the chosen speed (or one transition, "as fast as the
 * screen shows"). Started at the end, it starts over. Leaving the session pauses it.
 */
export function usePlayback(sessionId: string): void {
  const controller = useReplayController();
  const playing = useStore((s) => s.replays[sessionId]?.playing ?? false);
  const speed = useStore((s) => s.replays[sessionId]?.speed ?? 10);

  useEffect(() => {
    if (!playing) return;
    const get = (): ReturnType<typeof useStore.getState>["replays"][string] | undefined => useStore.getState().replays[sessionId];
    const r0 = get();
    const atEnd = r0 !== undefined && r0.total > 0 && r0.position >= r0.total && r0.progress?.state !== "indexing";
    if (atEnd) controller.seekPosition(sessionId, 0);
    const startAxis = atEnd ? 0 : (r0?.axis ?? 0);
    let started: number | undefined;
    let frame = 0;
    const tick = (now: number): void => {
      const r = get();
      if (!r?.playing) return;
      if (speed === "frame") controller.playStep(sessionId);
      else {
        started ??= now;
        const t = r.timeline;
        const indexing = r.progress?.state === "indexing";
        const { axis, end } = playbackAxis(startAxis, now - started, speed, t?.timed ?? true, t?.axisLength ?? 0);
        if (end && !indexing) {
          controller.seekPosition(sessionId, END);
          useStore.getState().setPlaying(sessionId, false);
          return;
        }
        controller.seekAxis(sessionId, axis);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [controller, playing, sessionId, speed]);

  // Leaving the session (another tab, closed) pauses it.
  useEffect(() => () => useStore.getState().setPlaying(sessionId, false), [sessionId]);
}
