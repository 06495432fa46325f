/**
 * Where a diagram's parts go: the layout elk (or a quick fallback) computes from a diagram, which
 * the app draws, the backend caches and the exporters will draw too. Pure data: node and edge ids
 * are state names and edge keys, so the tables are Dicts (shared/dict.ts).
 */
import type { Dict } from "../dict";

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

export interface EdgeRoute {
  points: Point[];
  label?: Box;
}

/** Where everything goes: node boxes and edge routes (with label boxes), in one coordinate space. */
export interface Layout {
  nodes: Dict<Box>;
  edges: Dict<EdgeRoute>;
  /**
   * "elk" normally; "quick" for the first picture while elk works; "fallback" when elk failed or
   * took too long (then `error` says why).
   */
  engine: "elk" | "quick" | "fallback";
  /** Time elk took in the worker (ms), when it ran. */
  ms?: number;
  error?: string;
}

/** The input elk needs, kept small so it crosses to the worker cheaply. */
export interface LayoutRequest {
  key: string;
  direction: Direction;
  nodes: LayoutRequestNode[];
  edges: { id: string; source: string; target: string; labelWidth: number; labelHeight: number }[];
}

/** A box to place; for statecharts, the container it is drawn inside and what kind of container it is. */
export interface LayoutRequestNode {
  id: string;
  width: number;
  height: number;
  /** The container (a compound or parallel state's id) this node is placed inside. */
  parent?: string;
  /** This node holds others: elk sizes it around them (at least `width` wide, for its title). */
  container?: "compound" | "parallel";
}
