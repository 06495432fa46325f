/**
 * A standalone SVG of a machine, drawn from the same elk geometry the app shows: boxes, routes with
 * rounded corners, label boxes, the initial dot, final states' double border, "any state" and
 * group nodes dashed; statecharts' containers as rounded boxes titled at the top around what they
 * hold, a parallel state's regions dashed, history states as H / H* circles; for the observed variant, thickness by count, undeclared transitions dashed
 * in the warning colour, never-seen states and transitions greyed. Colours and the font stack are
 * written into the file, so it reads the same with no app. Pure.
 */
import { ANY_NODE, INITIAL_NODE } from "../diagram";
import type { Box, Layout, Point } from "../layout";
import { roundedPath } from "../path";
import type { ExportNode, ExportPicture } from "./model";

export type ExportTheme = "light" | "dark";

const THEMES = {
  light: { bg: "#ffffff", fg: "#1f2328", dim: "#8c959f", node: "#ffffff", border: "#8c959f", edge: "#6e7781", warn: "#bf8700", labelBg: "#ffffff", accent: "#0969da" },
  dark: { bg: "#0f1419", fg: "#e6edf3", dim: "#5c6877", node: "#202936", border: "#4b5768", edge: "#7d8b9c", warn: "#e3b341", labelBg: "#0f1419", accent: "#4cc2ff" },
} as const;

/** The fonts the layout's text widths were measured with, then the usual fallbacks. */
export const SVG_FONTS = "'DejaVu Sans', 'Inter', Verdana, 'Segoe UI', Arial, sans-serif";

/** Text as XML character data or an attribute value; characters XML 1.0 cannot hold become U+FFFD. */
export function xmlText(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) out += "\uFFFD";
    else if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else out += ch;
  }
  return out;
}

function extent(layout: Layout): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const box = (b: Box): void => {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  };
  const point = (p: Point): void => box({ ...p, width: 0, height: 0 });
  for (const b of Object.values(layout.nodes)) box(b);
  for (const r of Object.values(layout.edges)) {
    r.points.forEach(point);
    if (r.label) box(r.label);
  }
  if (!Number.isFinite(minX)) return { minX: 0, minY: 0, maxX: 100, maxY: 100 };
  return { minX, minY, maxX, maxY };
}

/**
 * A statechart's parts of a picture node, read defensively: pictures made before the export model
 * carried them have none (then nothing is a container and the picture is drawn flat).
 */
type ChartFields = { container?: unknown; region?: unknown; history?: unknown };
function containerOf(n: ExportNode): "compound" | "parallel" | undefined {
  const v = (n as ExportNode & ChartFields).container;
  return v === "compound" || v === "parallel" ? v : undefined;
}
function regionOf(n: ExportNode): boolean {
  return (n as ExportNode & ChartFields).region === true;
}
function historyOf(n: ExportNode): "shallow" | "deep" | undefined {
  const v = (n as ExportNode & ChartFields).history;
  return v === "shallow" || v === "deep" ? v : undefined;
}

export interface SvgOptions {
  theme?: ExportTheme;
  /** Multiplies the width and height attributes (the drawing is the same). */
  scale?: number;
}

export function toSvg(p: ExportPicture, layout: Layout, opts: SvgOptions = {}): string {
  const c = THEMES[opts.theme ?? "light"];
  const pad = 20;
  const sources = p.sources ?? [];
  const titleH = 28 + sources.length * 14;
  const e = extent(layout);
  const width = Math.ceil(e.maxX - e.minX + 2 * pad);
  const height = Math.ceil(e.maxY - e.minY + 2 * pad + titleH);
  const dx = pad - e.minX;
  const dy = pad + titleH - e.minY;
  const scale = opts.scale ?? 1;
  const maxCount = Math.max(1, ...p.edges.map((x) => x.count));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width * scale}" height="${height * scale}" font-family="${SVG_FONTS}" role="img">`,
    `<title>${xmlText(p.title)}</title>`,
    "<defs>",
    `<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c.edge}"/></marker>`,
    `<marker id="arrow-warn" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c.warn}"/></marker>`,
    `<marker id="arrow-dim" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c.dim}"/></marker>`,
    "</defs>",
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${c.bg}"/>`,
    `<text x="${pad}" y="${pad + 6}" font-size="14" font-weight="700" fill="${c.fg}">${xmlText(p.title)}</text>`,
    ...sources.map((f, i) => `<text x="${pad}" y="${pad + 22 + i * 14}" font-size="10.5" fill="${c.dim}">${xmlText(f)}</text>`),
    `<g transform="translate(${dx.toFixed(2)} ${dy.toFixed(2)})">`,
  ];
  // Statecharts: containers first (outer ones before inner: the picture lists parents first), under
  // everything they hold — a rounded box with the title at the top; a parallel state's regions dashed.
  for (const n of p.nodes) {
    const box = layout.nodes[n.id];
    const kind = containerOf(n);
    if (!box || !kind) continue;
    const region = regionOf(n);
    const stroke = n.unseen ? c.dim : c.border;
    out.push(`<g data-state="${xmlText(n.id)}" data-container="${kind}">`);
    out.push(
      region
        ? `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="4" fill="none" stroke="${stroke}" stroke-width="1.2" stroke-dasharray="6 4"/>`
        : `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="12" fill="${c.node}" fill-opacity="0.45" stroke="${stroke}" stroke-width="1.5"/>`,
    );
    const title = kind === "parallel" ? `${n.label}  (parallel)` : n.label;
    out.push(`<text x="${box.x + 12}" y="${box.y + 20}" font-size="12.5" font-weight="700" fill="${n.unseen ? c.dim : c.fg}">${xmlText(title)}</text>`);
    out.push("</g>");
  }
  // Edges next, under the boxes and labels.
  for (const edge of p.edges) {
    const route = layout.edges[edge.id];
    if (!route || route.points.length < 2) continue;
    const color = edge.undeclared ? c.warn : edge.unseen ? c.dim : c.edge;
    const marker = edge.undeclared ? "arrow-warn" : edge.unseen ? "arrow-dim" : "arrow";
    const widthPx = edge.count > 0 ? 1.5 + (3 * edge.count) / maxCount : 1.5;
    const dash = edge.undeclared ? ' stroke-dasharray="6 4"' : edge.auto || edge.fromAny ? ' stroke-dasharray="2 3"' : "";
    out.push(`<path d="${roundedPath(route.points)}" fill="none" stroke="${color}" stroke-width="${widthPx.toFixed(2)}"${dash} marker-end="url(#${marker})" data-edge="${xmlText(edge.id)}"/>`);
  }
  for (const edge of p.edges) {
    const label = layout.edges[edge.id]?.label;
    if (!label || edge.labels.length === 0) continue;
    const color = edge.undeclared ? c.warn : edge.unseen ? c.dim : c.fg;
    out.push(`<rect x="${label.x}" y="${label.y}" width="${label.width}" height="${label.height}" rx="3" fill="${c.labelBg}" fill-opacity="0.85"/>`);
    edge.labels.forEach((line, i) => {
      out.push(`<text x="${label.x + label.width / 2}" y="${label.y + 14 + i * 16}" font-size="11" text-anchor="middle" fill="${color}">${xmlText(line)}</text>`);
    });
  }
  for (const n of p.nodes) {
    const b = layout.nodes[n.id];
    if (!b) continue;
    if (n.kind === "initial" || n.id === INITIAL_NODE) {
      out.push(`<circle cx="${b.x + b.width / 2}" cy="${b.y + b.height / 2}" r="${Math.min(b.width, b.height) / 2}" fill="${c.fg}"/>`);
      continue;
    }
    if (containerOf(n)) continue;
    if (n.kind === "history") {
      // A small circle with H (shallow) or H* (deep).
      const r = Math.min(b.width, b.height) / 2;
      out.push(`<g data-state="${xmlText(n.id)}" data-history="${historyOf(n) ?? "shallow"}">`);
      out.push(`<circle cx="${b.x + b.width / 2}" cy="${b.y + b.height / 2}" r="${r}" fill="${c.node}" stroke="${n.unseen ? c.dim : c.border}" stroke-width="1.5"/>`);
      out.push(`<text x="${b.x + b.width / 2}" y="${b.y + b.height / 2 + 4.5}" font-size="12" font-weight="700" text-anchor="middle" fill="${c.fg}">${xmlText(n.label || (historyOf(n) === "deep" ? "H*" : "H"))}</text>`);
      out.push("</g>");
      continue;
    }
    const pseudo = n.id === ANY_NODE || n.kind === "fanin";
    const stroke = n.unseen ? c.dim : c.border;
    const textColor = n.unseen || pseudo ? c.dim : c.fg;
    out.push(`<g data-state="${xmlText(n.id)}">`);
    out.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${pseudo ? b.height / 2 : 8}" fill="${pseudo ? "none" : c.node}" stroke="${stroke}" stroke-width="1.5"${pseudo ? ' stroke-dasharray="4 3"' : ""}/>`);
    if (n.final) out.push(`<rect x="${b.x + 3}" y="${b.y + 3}" width="${b.width - 6}" height="${b.height - 6}" rx="6" fill="none" stroke="${stroke}" stroke-width="1"/>`);
    const lines = 1 + n.notes.length;
    const top = b.y + b.height / 2 - ((lines - 1) * 14) / 2;
    out.push(`<text x="${b.x + b.width / 2}" y="${top + 4.5}" font-size="${pseudo ? 11.5 : 12.5}" font-weight="${pseudo ? 400 : 700}" text-anchor="middle" fill="${textColor}">${xmlText(n.label)}</text>`);
    n.notes.forEach((note, i) => out.push(`<text x="${b.x + b.width / 2}" y="${top + 4.5 + (i + 1) * 14}" font-size="10.5" text-anchor="middle" fill="${c.dim}">${xmlText(note)}</text>`));
    out.push("</g>");
  }
  out.push("</g>", "</svg>");
  return `${out.join("\n")}\n`;
}
