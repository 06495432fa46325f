export type Direction = "RIGHT" | "DOWN";
/** What the user asked for: a direction, or whichever fits the view better. */
export type DirectionChoice = Direction | "AUTO";

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

/** Where everything goes: node boxes and edge routes (with label boxes), in one coordinate space. */
export interface Layout {
  nodes: Record<string, Box>;
  edges: Record<string, { points: Point[]; label?: Box }>;
  /** "elk" normally; "fallback" when elk failed or took too long. */
  engine: "elk" | "fallback";
  /** Time elk took in the worker (ms), when it ran. */
  ms?: number;
  error?: string;
}

/** The input elk needs, kept small so it crosses to the worker cheaply. */
export interface LayoutRequest {
  key: string;
  direction: Direction;
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; source: string; target: string; labelWidth: number; labelHeight: number }[];
}
