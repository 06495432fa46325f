/**
 * The export formats, one entry point: a machine (declared, or with what was observed) in any of
 * them. SVG needs a layout (elk's, computed by the caller: a Web Worker in the app, in-process in
 * the command line); PNG is drawn from that SVG by the caller (a canvas in the app, resvg in Node).
 * Pure.
 */
import type { MachineDefinition } from "../../machine/definition";
import { normalize } from "../../machine/normalize";
import { exportScxml } from "../../machine/formats/scxml-write";
import { exportXState } from "../../machine/formats/xstate-json";
import { buildDiagram } from "../diagram";
import type { Direction, Layout, LayoutRequest } from "../layout";
import { toDot } from "./dot";
import { toMermaid } from "./mermaid";
import { exportPicture, pictureLayoutRequest, type ExportPicture } from "./model";
import type { ObservedMachine } from "./observed";
import { toSvg, type ExportTheme } from "./svg";

export const EXPORT_FORMATS = ["svg", "png", "mermaid", "dot", "scxml", "xstate"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_INFO: Record<ExportFormat, { label: string; ext: string; mime: string; binary: boolean; needsLayout: boolean; observed: boolean }> = {
  svg: { label: "SVG", ext: "svg", mime: "image/svg+xml", binary: false, needsLayout: true, observed: true },
  png: { label: "PNG", ext: "png", mime: "image/png", binary: true, needsLayout: true, observed: true },
  mermaid: { label: "Mermaid", ext: "mmd", mime: "text/plain", binary: false, needsLayout: false, observed: true },
  dot: { label: "Graphviz DOT", ext: "dot", mime: "text/vnd.graphviz", binary: false, needsLayout: false, observed: true },
  scxml: { label: "SCXML", ext: "scxml", mime: "application/scxml+xml", binary: false, needsLayout: false, observed: false },
  xstate: { label: "XState JSON", ext: "json", mime: "application/json", binary: false, needsLayout: false, observed: false },
};

export function isExportFormat(f: string): f is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(f);
}

export interface ExportRequest {
  machine: MachineDefinition;
  /** The diagram's title: the machine's id, or the profile's title. */
  title: string;
  observed?: ObservedMachine;
  theme?: ExportTheme;
  direction?: Direction;
}

/** The picture every drawn format is made from, and what to ask elk for it. */
export function prepareExport(req: ExportRequest): { picture: ExportPicture; layoutRequest: LayoutRequest } {
  const diagram = buildDiagram(normalize(req.machine));
  const picture = exportPicture(req.title, diagram, req.observed);
  return { picture, layoutRequest: pictureLayoutRequest(picture, `${diagram.key}:export:${req.observed ? "observed" : "declared"}`, req.direction ?? "DOWN") };
}

/** A text format's content (SVG needs `layout`). PNG is not text: draw the SVG. */
export function exportText(format: Exclude<ExportFormat, "png">, req: ExportRequest, picture: ExportPicture, layout?: Layout): string {
  switch (format) {
    case "svg":
      if (!layout) throw new Error("an SVG export needs the layout");
      return toSvg(picture, layout, { theme: req.theme ?? "light" });
    case "mermaid":
      return toMermaid(picture, req.direction === "RIGHT" ? "LR" : "TB");
    case "dot":
      return toDot(picture, req.theme ?? "light", req.direction === "RIGHT" ? "LR" : "TB");
    case "scxml":
      return exportScxml(req.machine);
    case "xstate":
      return `${JSON.stringify(exportXState(req.machine), null, 2)}\n`;
  }
}
