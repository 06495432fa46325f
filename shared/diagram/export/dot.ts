/**
 * Graphviz DOT. Every id and label is a quoted string (DOT's keywords — node, edge, graph,
 * digraph, subgraph, strict — and any character are then just text). A statechart's compound and
 * parallel states are clusters holding their children (a parallel state's regions dashed), history
 * states circles labelled H or H*. Pure.
 */
import { ANY_NODE, INITIAL_NODE } from "../diagram";
import { isNested, type ExportNode, type ExportPicture } from "./model";

/** The cluster a compound or parallel state is drawn as (Graphviz draws subgraphs named cluster… as boxes). */
export function clusterId(state: string): string {
  return `cluster_${state}`;
}

/** A DOT quoted string. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

export function toDot(p: ExportPicture, theme: "light" | "dark" = "light", rankdir: "LR" | "TB" = "TB"): string {
  const c = theme === "dark" ? { bg: "#0f1419", fg: "#e6edf3", node: "#202936", border: "#3b4757", edge: "#6b7b8f", warn: "#e3b341", dim: "#4b5563" } : { bg: "#ffffff", fg: "#1f2328", node: "#ffffff", border: "#57606a", edge: "#6e7781", warn: "#9a6700", dim: "#afb8c1" };
  const nested = isNested(p);
  const out = [
    ...(p.sources ?? []).map((f) => `// observed in ${f.replace(/[\r\n]/g, " ")}`),
    `digraph ${dotString(p.title)} {`,
    `  graph [rankdir=${rankdir}, bgcolor=${dotString(c.bg)}, fontname="DejaVu Sans", nodesep=0.5, ranksep=0.6, label=${dotString(p.title)}, labelloc=t${nested ? ", compound=true" : ""}, fontcolor=${dotString(c.fg)}];`,
    `  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=12, color=${dotString(c.border)}, fillcolor=${dotString(c.node)}, fontcolor=${dotString(c.fg)}];`,
    `  edge [fontname="DejaVu Sans", fontsize=10, color=${dotString(c.edge)}, fontcolor=${dotString(c.fg)}];`,
  ];
  const maxCount = Math.max(1, ...p.edges.map((e) => e.count));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const nodeLine = (n: ExportNode, indent: string): string => {
    const attrs: string[] = [];
    if (n.kind === "initial") attrs.push("shape=point", "width=0.15", `color=${dotString(c.fg)}`, `fillcolor=${dotString(c.fg)}`);
    else if (n.kind === "history") attrs.push("shape=circle", `label=${dotString(n.label)}`, "width=0.4", "fixedsize=true", `style="filled"`);
    else {
      attrs.push(`label=${dotString([n.label, ...n.notes].join("\n"))}`);
      if (n.final) attrs.push("peripheries=2");
      if (n.id === ANY_NODE || n.kind === "fanin") attrs.push(`style="rounded,dashed"`);
      if (n.unseen) attrs.push(`color=${dotString(c.dim)}`, `fontcolor=${dotString(c.dim)}`);
    }
    return `${indent}${dotString(n.id)} [${attrs.join(", ")}];`;
  };
  if (!nested) for (const n of p.nodes) out.push(nodeLine(n, "  "));
  else {
    // Statecharts: a container is a cluster holding its children, with an invisible point of its own
    // (its id) that edges to and from the state end at, clipped to the cluster's border (lhead/ltail).
    const children = new Map<string | undefined, ExportNode[]>();
    for (const n of p.nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
    const emit = (n: ExportNode, indent: string): void => {
      if (!n.container) {
        out.push(nodeLine(n, indent));
        return;
      }
      const label = [n.label, ...n.notes].join("\n");
      const style = n.region ? "rounded,dashed" : "rounded";
      const color = n.unseen ? c.dim : c.border;
      out.push(`${indent}subgraph ${dotString(clusterId(n.id))} {`);
      out.push(`${indent}  graph [label=${dotString(label)}, style=${dotString(style)}, color=${dotString(color)}, fontcolor=${dotString(n.unseen ? c.dim : c.fg)}, labeljust=l];`);
      out.push(`${indent}  ${dotString(n.id)} [shape=point, style=invis, width=0.01, height=0.01, label=""];`);
      for (const k of children.get(n.id) ?? []) emit(k, `${indent}  `);
      out.push(`${indent}}`);
    };
    for (const n of children.get(undefined) ?? []) emit(n, "  ");
  }
  /** Is `id` inside the container `container` (or the container itself)? */
  const inside = (id: string, container: string): boolean => {
    for (let at: string | undefined = id; at !== undefined; at = byId.get(at)?.parent) if (at === container) return true;
    return false;
  };
  for (const e of p.edges) {
    const attrs: string[] = [];
    if (e.labels.length) attrs.push(`label=${dotString(e.labels.join("\n"))}`);
    if (e.undeclared) attrs.push("style=dashed", `color=${dotString(c.warn)}`, `fontcolor=${dotString(c.warn)}`);
    else if (e.unseen) attrs.push(`color=${dotString(c.dim)}`, `fontcolor=${dotString(c.dim)}`);
    else if (e.auto) attrs.push("style=dotted");
    if (e.count > 0) attrs.push(`penwidth=${(1 + (3 * e.count) / maxCount).toFixed(2)}`);
    if (e.source === INITIAL_NODE || byId.get(e.source)?.kind === "initial") attrs.push("arrowsize=0.7");
    if (nested && e.source !== e.target) {
      // Clip at a container's border, unless the other end is inside it (Graphviz could not).
      if (byId.get(e.source)?.container && !inside(e.target, e.source)) attrs.push(`ltail=${dotString(clusterId(e.source))}`);
      if (byId.get(e.target)?.container && !inside(e.source, e.target)) attrs.push(`lhead=${dotString(clusterId(e.target))}`);
    }
    out.push(`  ${dotString(e.source)} -> ${dotString(e.target)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}
