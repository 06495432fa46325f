/**
 * Where things are on the scrubber (pure): the axis across the canvas's width, each anomaly
 * marker's bucket, what lies under the pointer.
 */
import type { Timeline, TimelineMarker } from "../../../../shared/ipc/replay";
import { formatDuration, formatDurationShort } from "../../../../shared/trace/time";
import { ANOMALY_TEXT } from "./anomaly-kinds";

/** Room left and right of the track, so the cursor at either end is fully drawn. */
export const PAD_X = 8;

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export function xOfAxis(axis: number, length: number, width: number, pad = PAD_X): number {
  const w = Math.max(1, width - 2 * pad);
  return pad + (length > 0 ? clamp01(axis / length) : 0) * w;
}

export function axisOfX(x: number, length: number, width: number, pad = PAD_X): number {
  const w = Math.max(1, width - 2 * pad);
  return clamp01((x - pad) / w) * Math.max(0, length);
}

/** The markers drawn within `radius` px of x. */
export function markersNear(x: number, markers: readonly TimelineMarker[], xs: readonly number[], radius = 4): TimelineMarker[] {
  const out: TimelineMarker[] = [];
  for (let k = 0; k < markers.length; k++) if (Math.abs((xs[k] ?? -1e9) - x) <= radius) out.push(markers[k] as TimelineMarker);
  return out;
}

/** "undeclared transition (daemon) at #12,345", or "3 anomalies: 2 bad line, 1 gap". */
export function describeMarkers(ms: readonly TimelineMarker[]): string {
  const first = ms[0];
  if (!first) return "";
  if (ms.length === 1) return `${ANOMALY_TEXT.get(first.kind) ?? first.kind}${first.instance ? ` (${first.instance})` : ""} at #${first.position.toLocaleString("en-US")} — click to go there`;
  const counts = new Map<string, number>();
  for (const m of ms) {
    const label = ANOMALY_TEXT.get(m.kind) ?? m.kind;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([k, c]) => `${c} ${k}`);
  return `${ms.length} anomalies here: ${parts.join(", ")} — click to go to the first`;
}

/** The shortened silence drawn within `radius` px of x. */
export function silenceNear(x: number, t: Pick<Timeline, "silences" | "axisLength">, width: number, radius = 4): { at: number; realMs: number } | undefined {
  let best: { at: number; realMs: number } | undefined;
  let bestD = radius + 1;
  for (const s of t.silences) {
    const d = Math.abs(xOfAxis(s.at, t.axisLength, width) - x);
    if (d < bestD) [best, bestD] = [s, d];
  }
  return best;
}

export function describeSilence(s: { realMs: number }, capMs: number): string {
  return `${formatDuration(s.realMs)} without a line, shortened to ${formatDurationShort(capMs)} on the timeline`;
}

/**
 * The real time (epoch ms) at a point of the axis: the first time plus the axis, plus what the
 * shortened silences before it really lasted. Exact when every silence is listed (the largest
 * 200 are), else a close estimate.
 */
export function realMsAtAxis(t: Pick<Timeline, "firstMs" | "silences" | "silenceCapMs">, axis: number): number | null {
  if (t.firstMs === null) return null;
  let ms = t.firstMs + axis;
  for (const s of t.silences) if (s.at < axis) ms += s.realMs - t.silenceCapMs;
  return ms;
}
