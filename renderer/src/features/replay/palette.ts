import type { AnomalyKind } from "../../../../shared/ipc/replay";
import { ANOMALY_TEXT, anomalyColorVar } from "./anomaly-kinds";
import type { Palette } from "./draw-timeline";

/** The scrubber's colours, read from the theme's CSS custom properties. */
export function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const marks = new Map<AnomalyKind, string>();
  for (const kind of ANOMALY_TEXT.keys()) marks.set(kind, v(anomalyColorVar(kind), "#e3b341"));
  return { bar: v("--tl-bar", "#4cc2ff"), track: v("--tl-track", "rgba(127,127,127,0.08)"), cursor: v("--tl-cursor", "#4cc2ff"), silence: v("--tl-silence", "#8b98a8"), marks };
}
