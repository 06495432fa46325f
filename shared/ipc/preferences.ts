/**
 * What the app remembers of how the user likes it, between runs and between the desktop app and
 * a browser (kept by the backend in the user's config folder): the theme, local time or UTC, the
 * diagram's overlays and layout direction, and the statechart containers collapsed per machine.
 * Whatever comes back from disk or a client is checked field by field: what is not valid is left
 * out (the default applies), never an error.
 */
import type { DirectionChoice } from "../diagram/layout";
import { dict, type Dict } from "../dict";

export const OVERLAY_NAMES = ["counts", "dwell", "ghosts", "unseen", "badges"] as const;
export type OverlayName = (typeof OVERLAY_NAMES)[number];

export interface Preferences {
  theme?: "light" | "dark";
  /** Times in UTC (true) or in the user's zone (false). */
  utc?: boolean;
  overlays?: Partial<Record<OverlayName, boolean>>;
  direction?: DirectionChoice;
  /** Per machine id, the containers drawn collapsed (state paths). */
  collapsed?: Dict<string[]>;
}

/** Bounds on what is kept: machines with collapsed containers, containers per machine, a name's length. */
const MAX_MACHINES = 200;
const MAX_PATHS = 500;
const MAX_NAME = 1000;

const isName = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= MAX_NAME;

export function checkedPreferences(v: unknown): Preferences {
  const out: Preferences = {};
  if (typeof v !== "object" || v === null || Array.isArray(v)) return out;
  const raw = v as Record<string, unknown>;
  if (raw["theme"] === "light" || raw["theme"] === "dark") out.theme = raw["theme"];
  if (typeof raw["utc"] === "boolean") out.utc = raw["utc"];
  const dir = raw["direction"];
  if (dir === "AUTO" || dir === "RIGHT" || dir === "DOWN") out.direction = dir;
  const overlays = raw["overlays"];
  if (typeof overlays === "object" && overlays !== null && !Array.isArray(overlays)) {
    const o: Partial<Record<OverlayName, boolean>> = {};
    for (const name of OVERLAY_NAMES) {
      const on = (overlays as Record<string, unknown>)[name];
      if (typeof on === "boolean") o[name] = on;
    }
    out.overlays = o;
  }
  const collapsed = raw["collapsed"];
  if (typeof collapsed === "object" && collapsed !== null && !Array.isArray(collapsed)) {
    const c = dict<string[]>();
    let machines = 0;
    for (const [machine, paths] of Object.entries(collapsed)) {
      if (machines >= MAX_MACHINES) break;
      if (!isName(machine) || !Array.isArray(paths)) continue;
      const kept = [...new Set(paths.filter(isName))].slice(0, MAX_PATHS);
      if (kept.length === 0) continue;
      c[machine] = kept;
      machines++;
    }
    out.collapsed = c;
  }
  return out;
}
