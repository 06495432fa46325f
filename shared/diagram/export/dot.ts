/**
 * Graphviz DOT. Every id and label is a quoted string (DOT's keywords — node, edge, graph,
 * digraph, subgraph, strict — and any character are then just text). Pure.
 */
import { ANY_NODE, INITIAL_NODE } from "../diagram";
import type { ExportPicture } from "./model";

/** A DOT quoted string. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

export function toDot(p: ExportPicture, theme: "light" | "dark" = "light", rankdir: "LR" | "TB" = "TB"): string {
  const c = theme === "dark" ? { bg: "#0f1419", fg: "#e6edf3", node: "#202936", border: "#3b4757", edge: "#6b7b8f", warn: "#e3b341", dim: "#4b5563" } : { bg: "#ffffff", fg: "#1f2328", node: "#ffffff", border: "#57606a", edge: "#6e7781", warn: "#9a6700", dim: "#afb8c1" };
  const out = [
    ...(p.sources ?? []).map((f) => `// observed in ${f.replace(/[\r\n]/g, " ")}`),
    `digraph ${dotString(p.title)} {`,
    `  graph [rankdir=${rankdir}, bgcolor=${dotString(c.bg)}, fontname="DejaVu Sans", nodesep=0.5, ranksep=0.6, label=${dotString(p.title)}, labelloc=t, fontcolor=${dotString(c.fg)}];`,
    `  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=12, color=${dotString(c.border)}, fillcolor=${dotString(c.node)}, fontcolor=${dotString(c.fg)}];`,
    `  edge [fontname="DejaVu Sans", fontsize=10, color=${dotString(c.edge)}, fontcolor=${dotString(c.fg)}];`,
  ];
  const maxCount = Math.max(1, ...p.edges.map((e) => e.count));
  for (const n of p.nodes) {
    const attrs: string[] = [];
    if (n.kind === "initial") attrs.push("shape=point", "width=0.15", `color=${dotString(c.fg)}`, `fillcolor=${dotString(c.fg)}`);
    else {
      attrs.push(`label=${dotString([n.label, ...n.notes].join("\n"))}`);
      if (n.final) attrs.push("peripheries=2");
      if (n.id === ANY_NODE || n.kind === "fanin") attrs.push(`style="rounded,dashed"`);
      if (n.unseen) attrs.push(`color=${dotString(c.dim)}`, `fontcolor=${dotString(c.dim)}`);
    }
    out.push(`  ${dotString(n.id)} [${attrs.join(", ")}];`);
  }
  for (const e of p.edges) {
    const attrs: string[] = [];
    if (e.labels.length) attrs.push(`label=${dotString(e.labels.join("\n"))}`);
    if (e.undeclared) attrs.push("style=dashed", `color=${dotString(c.warn)}`, `fontcolor=${dotString(c.warn)}`);
    else if (e.unseen) attrs.push(`color=${dotString(c.dim)}`, `fontcolor=${dotString(c.dim)}`);
    else if (e.auto) attrs.push("style=dotted");
    if (e.count > 0) attrs.push(`penwidth=${(1 + (3 * e.count) / maxCount).toFixed(2)}`);
    if (e.source === INITIAL_NODE) attrs.push("arrowsize=0.7");
    out.push(`  ${dotString(e.source)} -> ${dotString(e.target)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}
