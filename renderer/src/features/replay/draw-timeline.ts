/**
 * Draws the scrubber on a canvas: the transition density histogram, anomaly markers by kind in
 * their own lane at the top, shortened silences as breaks in the track, and the cursor.
 */
import type { AnomalyKind, Timeline } from "../../../../shared/ipc/replay";
import { PAD_X, xOfAxis } from "./timeline-geometry";

export interface Palette {
  bar: string;
  track: string;
  cursor: string;
  silence: string;
  marks: ReadonlyMap<AnomalyKind, string>;
}

/** Heights (CSS px) of the marker lane and the gap under it. */
export const MARK_LANE = 11;
const GAP = 3;

export function drawTimeline(ctx: CanvasRenderingContext2D, width: number, height: number, t: Timeline | undefined, cursorAxis: number, palette: Palette, markerXs: readonly number[]): void {
  ctx.clearRect(0, 0, width, height);
  const top = MARK_LANE + GAP;
  const base = height - 1;
  const trackW = Math.max(1, width - 2 * PAD_X);
  // The track itself.
  ctx.fillStyle = palette.track;
  ctx.fillRect(PAD_X, top, trackW, base - top);
  if (!t) return;

  // Transition density: square-root scale, so a quiet stretch still shows next to a busy one.
  const n = t.transitions.length;
  const max = Math.max(1, ...t.transitions);
  const bw = trackW / Math.max(1, n);
  ctx.fillStyle = palette.bar;
  for (let b = 0; b < n; b++) {
    const c = t.transitions[b] ?? 0;
    if (c <= 0) continue;
    const h = Math.max(1.5, Math.sqrt(c / max) * (base - top - 1));
    ctx.fillRect(PAD_X + b * bw, base - h, Math.max(1, bw - (bw > 3 ? 1 : 0)), h);
  }

  // Shortened silences: a break across the track.
  ctx.strokeStyle = palette.silence;
  ctx.lineWidth = 1;
  for (const s of t.silences) {
    const x = Math.round(xOfAxis(s.at, t.axisLength, width)) + 0.5;
    ctx.setLineDash([2, 2]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, base);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(x - 3, base - 2);
    ctx.lineTo(x + 1, base - 8);
    ctx.moveTo(x - 1, base - 2);
    ctx.lineTo(x + 3, base - 8);
    ctx.stroke();
  }

  // Anomaly markers: a tick per marker in the lane above the histogram, coloured by kind.
  for (let k = 0; k < t.markers.length; k++) {
    const m = t.markers[k];
    const x = markerXs[k];
    if (!m || x === undefined) continue;
    ctx.fillStyle = palette.marks.get(m.kind) ?? palette.cursor;
    ctx.beginPath();
    ctx.moveTo(x - 3.5, 1);
    ctx.lineTo(x + 3.5, 1);
    ctx.lineTo(x, MARK_LANE - 1);
    ctx.closePath();
    ctx.fill();
  }

  // The cursor.
  const cx = Math.round(xOfAxis(cursorAxis, t.axisLength, width));
  ctx.fillStyle = palette.cursor;
  ctx.fillRect(cx - 1, top - 2, 2, base - top + 2);
  ctx.beginPath();
  ctx.arc(cx, top - 1, 4, 0, Math.PI * 2);
  ctx.fill();
}
