/** What the app exports: the machine on screen, declared or as this session observed it. */
import { addObservedEdge, emptyObserved, setDwell, type ObservedMachine } from "../../../../shared/diagram/export/observed";
import { exportText, prepareExport, type ExportFormat, type ExportRequest } from "../../../../shared/diagram/export/formats";
import type { SessionModel } from "../../../../shared/trace/session-model";
import { layoutRequestOnce } from "../../graph/layout/layout-client";

/** A session's observed machine: its edges with counts and verdicts, dwell percentiles, states seen. */
export function observedFromModel(model: SessionModel): ObservedMachine {
  const o = emptyObserved();
  for (const e of Object.values(model.edges)) addObservedEdge(o, e.from, e.to, e.count, e.verdict);
  for (const inst of Object.values(model.instances)) if (inst.state) o.seen.add(inst.state);
  for (const [state, samples] of Object.entries(model.dwell)) if (samples.length) setDwell(o, state, samples);
  return o;
}

export interface Rendered {
  /** The text of a text format, the SVG of SVG and PNG. */
  text: string;
  /** For SVG and PNG: the picture's size in px at 1×. */
  size?: { width: number; height: number };
}

/** `embed`: the backend's embedSvgFonts (the glyphs the picture uses, carried in the file). */
export async function renderExport(format: ExportFormat, req: ExportRequest, embed: (svg: string) => Promise<string>): Promise<Rendered> {
  const { picture, layoutRequest } = prepareExport(req);
  if (format === "svg" || format === "png") {
    const svg = await embed(exportText("svg", req, picture, await layoutRequestOnce(layoutRequest)));
    const m = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
    return { text: svg, size: { width: Number(m?.[1] ?? 0), height: Number(m?.[2] ?? 0) } };
  }
  return { text: exportText(format, req, picture) };
}

/** The SVG drawn on a canvas at `scale`, as PNG bytes (the browser's own renderer). */
export async function svgToPngBlob(svg: string, size: { width: number; height: number }, scale: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.decoding = "async";
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(size.width * scale);
    canvas.height = Math.round(size.height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("this browser cannot draw on a canvas");
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
