import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { TimelineMarker } from "../../../../shared/ipc/replay";
import { parseIsoMs } from "../../../../shared/trace/time";
import { useStore } from "../../store/store";
import { formatDateTime } from "../time/format-time";
import { MARK_LANE, drawTimeline } from "./draw-timeline";
import { readPalette } from "./palette";
import { axisOfX, describeMarkers, describeSilence, markersNear, silenceNear, xOfAxis } from "./timeline-geometry";
import { useElementSize } from "../../hooks/use-element-size";
import { useReplayController } from "./use-replay";
import { END } from "./replay-controller";

const HEIGHT = 50;

/** Buckets for a width: about one per 3 px, in steps of 25 so a small resize fetches nothing. */
function bucketsFor(width: number): number {
  return Math.max(50, Math.min(1000, Math.round(width / 3 / 25) * 25));
}

/**
 * The scrubber: the recording's transitions over time, its anomalies and shortened silences, and
 * the cursor. Click or drag to move (one seek per frame at most); click a marker to go to it.
 */
export const Scrubber = memo(function Scrubber({ sessionId }: { sessionId: string }): React.JSX.Element {
  const controller = useReplayController();
  const timeline = useStore((s) => s.replays[sessionId]?.timeline);
  const axis = useStore((s) => s.replays[sessionId]?.axis ?? 0);
  const position = useStore((s) => s.replays[sessionId]?.position ?? 0);
  const ts = useStore((s) => s.replays[sessionId]?.ts ?? null);
  const utc = useStore((s) => s.utc);
  const theme = useStore((s) => s.theme);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementSize(wrap)?.width ?? 0;
  const [tip, setTip] = useState<{ x: number; text: string } | undefined>(undefined);
  const dragging = useRef(false);

  useEffect(() => {
    if (width > 0) controller.setBuckets(sessionId, bucketsFor(width));
  }, [controller, sessionId, width]);

  const markerXs = useMemo(() => (timeline ? timeline.markers.map((m) => xOfAxis(m.axis, timeline.axisLength, width)) : []), [timeline, width]);

  // Drawn at the next frame: after the theme attribute is set, and once per frame however many updates.
  useEffect(() => {
    const el = canvas.current;
    if (!el || width === 0) return;
    const frame = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      if (el.width !== Math.round(width * dpr) || el.height !== Math.round(HEIGHT * dpr)) {
        el.width = Math.round(width * dpr);
        el.height = Math.round(HEIGHT * dpr);
      }
      const ctx = el.getContext("2d");
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawTimeline(ctx, width, HEIGHT, timeline, axis, readPalette(el), markerXs);
    });
    return () => cancelAnimationFrame(frame);
  }, [timeline, axis, width, theme, markerXs]);

  const length = timeline?.axisLength ?? 0;
  const xIn = (e: React.PointerEvent): { x: number; y: number } => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const markersAt = (x: number, y: number): TimelineMarker[] => (timeline && y <= MARK_LANE + 2 ? markersNear(x, timeline.markers, markerXs) : []);

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    if (e.button !== 0 || !timeline) return;
    const { x, y } = xIn(e);
    const hit = markersAt(x, y)[0];
    if (hit) return controller.seekPosition(sessionId, hit.position);
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    controller.seekAxis(sessionId, axisOfX(x, length, width));
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    if (!timeline) return;
    const { x, y } = xIn(e);
    if (dragging.current) {
      controller.seekAxis(sessionId, axisOfX(x, length, width));
      return;
    }
    const ms = markersAt(x, y);
    const silence = ms.length === 0 ? silenceNear(x, timeline, width) : undefined;
    const text = ms.length > 0 ? describeMarkers(ms) : silence ? describeSilence(silence, timeline.silenceCapMs) : undefined;
    setTip(text ? { x, text } : undefined);
  };
  const endDrag = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    dragging.current = false;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === "Home") controller.seekPosition(sessionId, 0);
    else if (e.key === "End") controller.seekPosition(sessionId, END);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const timed = timeline?.timed ?? true;
  const total = timeline?.total ?? 0;
  const first = timed ? (timeline?.firstMs ?? null) : null;
  const last = timed ? (timeline?.lastMs ?? null) : null;
  const atMs = ts ? (parseIsoMs(ts) ?? null) : null;
  const cursorText = timed ? (atMs !== null ? formatDateTime(atMs, utc, true) : "before the first line") : `#${position.toLocaleString("en-US")}`;
  const cursorX = width > 0 ? xOfAxis(axis, length, width) : 0;
  // The cursor's label has the lane to itself near either end: the end's own label steps aside.
  const nearStart = total > 0 && cursorX < 230;
  const nearEnd = total > 0 && cursorX > width - 230;
  return (
    <div className="scrubber" ref={wrap}>
      <div className="scrubber-lane">
        <span className={`scrubber-end${nearStart ? " is-hidden" : ""}`} data-testid="first-time">
          {first !== null ? formatDateTime(first, utc) : !timed && total > 0 ? "#1" : ""}
        </span>
        <span className={`scrubber-end${nearEnd ? " is-hidden" : ""}`} data-testid="last-time">
          {last !== null ? formatDateTime(last, utc) : !timed && total > 0 ? `#${total.toLocaleString("en-US")}` : ""}
        </span>
        {total > 0 && (
          <span className="scrubber-cursor-label" data-testid="cursor-time" style={{ left: `${Math.max(95, Math.min(width - 95, cursorX))}px` }}>
            {cursorText}
          </span>
        )}
      </div>
      <canvas
        ref={canvas}
        className="scrubber-canvas"
        style={{ height: HEIGHT }}
        role="slider"
        tabIndex={0}
        aria-label="Timeline: drag to move through the recording"
        aria-valuemin={0}
        aria-valuemax={Math.round(length)}
        aria-valuenow={Math.round(axis)}
        aria-valuetext={cursorText}
        data-testid="scrubber"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onPointerLeave={() => setTip(undefined)}
        onKeyDown={onKeyDown}
      />
      {tip && (
        <div className="scrubber-tip" role="tooltip" style={{ left: `${Math.max(120, Math.min(width - 120, tip.x))}px` }}>
          {tip.text}
        </div>
      )}
    </div>
  );
});
