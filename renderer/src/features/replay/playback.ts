/**
 * Playback over the timeline's axis (pure). The axis is time with long silences shortened, or,
 * for a log without times, observations: there 1× is ten observations a second.
 */
import type { PlaySpeed } from "../../store/replay-slice";

export const SPEEDS: readonly PlaySpeed[] = [1, 10, 100, "frame"];

/** Observations a second at 1× in a log without times. */
export const UNTIMED_PER_SECOND = 10;

/** How far along the axis one millisecond of playback goes. */
export function axisPerMs(speed: Exclude<PlaySpeed, "frame">, timed: boolean): number {
  return timed ? speed : (speed * UNTIMED_PER_SECOND) / 1000;
}

/** Where playback is after `elapsedMs`, started at `startAxis`; `end` when it ran past the end. */
export function playbackAxis(startAxis: number, elapsedMs: number, speed: Exclude<PlaySpeed, "frame">, timed: boolean, axisLength: number): { axis: number; end: boolean } {
  const axis = startAxis + Math.max(0, elapsedMs) * axisPerMs(speed, timed);
  return axis >= axisLength ? { axis: axisLength, end: true } : { axis, end: false };
}

export function speedLabel(speed: PlaySpeed): string {
  return speed === "frame" ? "max" : `${speed}×`;
}

export function speedTitle(speed: PlaySpeed, timed: boolean): string {
  if (speed === "frame") return "As fast as the screen shows: one transition per frame";
  return timed ? `${speed}× the recording's own pace (silences shortened)` : `${speed * UNTIMED_PER_SECOND} observations a second (this log has no times)`;
}
