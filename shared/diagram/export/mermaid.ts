/**
 * Mermaid stateDiagram-v2. Every state gets a generated id (`s0`, `s1` …) and its name as a
 * quoted description, so any name — spaces, dashes, dots, quotes, unicode, Mermaid's own words
 * (`state`, `end`, `note`, `direction`) — is just text; characters Mermaid reads as syntax are
 * written as its `#code;` entities. A statechart's compound states are composite states (their own
 * `[*] -->` inside), parallel states composites whose regions are separated by `--`, history states
 * states named H or H* (Mermaid has no history syntax). Pure.
 */
import { ANY_NODE, INITIAL_NODE } from "../diagram";
import type { ExportNode, ExportPicture } from "./model";

/** Text Mermaid shows as is: risky characters as `#code;` entities. */
export function mermaidText(text: string): string {
  const chars = [...text];
  const alnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
  let out = "";
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    // Mermaid reads labels as Markdown: `_` and `*` at a word's edge would start emphasis (`__proto__`); inside a word (`hot_idle`) they are plain.
    const emphasis = (ch === "_" || ch === "*") && !(alnum(chars[i - 1]) && alnum(chars[i + 1]));
    out += !emphasis && (/[A-Za-z0-9 _.,()|/+*=!?'\-×·]/.test(ch) || code > 0x7f) ? ch : `#${code};`;
  });
  return out;
}

export function toMermaid(p: ExportPicture, direction: "LR" | "TB" = "TB"): string {
  const ids = new Map<string, string>();
  let next = 0;
  for (const n of p.nodes) if (n.kind !== "initial") ids.set(n.id, `s${next++}`);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const lines = [...(p.sources ?? []).map((f) => `%% observed in ${f.replace(/[\r\n]/g, " ")}`), "stateDiagram-v2", `  direction ${direction}`];
  if (p.nodes.some((n) => n.kind === "history")) lines.push("  %% History states are drawn as states named H (shallow history) and H* (deep history): Mermaid has no history syntax.");
  // Statecharts: which block (a compound state's, or the top level) each line goes in.
  const children = new Map<string | undefined, ExportNode[]>();
  for (const n of p.nodes) {
    if (n.kind === "initial") continue;
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }
  const edgesIn = new Map<string | undefined, string[]>();
  const addTo = (block: string | undefined, line: string): void => {
    const list = edgesIn.get(block) ?? [];
    list.push(line);
    edgesIn.set(block, list);
  };
  // An edge between two children of one compound state is written inside it; any other at the top
  // level (Mermaid moves a state into the block an edge naming it is written in).
  const compoundParent = (a: ExportNode | undefined, b: ExportNode | undefined): string | undefined => {
    const parent = a?.parent;
    return parent !== undefined && parent === b?.parent && byId.get(parent)?.container === "compound" ? parent : undefined;
  };
  for (const e of p.edges) {
    const marker = byId.get(e.source);
    if (e.source === INITIAL_NODE || marker?.kind === "initial") {
      addTo(marker?.parent, `[*] --> ${ids.get(e.target) ?? "[*]"}`);
      continue;
    }
    const from = ids.get(e.source);
    const to = ids.get(e.target);
    if (!from || !to) continue;
    const label = e.labels.length ? ` : ${e.labels.map(mermaidText).join(" / ")}` : "";
    addTo(compoundParent(byId.get(e.source), byId.get(e.target)), `${from} --> ${to}${label}`);
  }
  const block = (parent: string | undefined, indent: string): void => {
    for (const n of children.get(parent) ?? []) state(n, indent);
    for (const line of edgesIn.get(parent) ?? []) lines.push(`${indent}${line}`);
    for (const n of children.get(parent) ?? []) {
      const inParallel = n.parent !== undefined && byId.get(n.parent)?.container === "parallel";
      if (n.final && !inParallel) lines.push(`${indent}${ids.get(n.id) ?? ""} --> [*]`);
    }
  };
  const state = (n: ExportNode, indent: string): void => {
    const id = ids.get(n.id) ?? "";
    const head = `${indent}state "${mermaidText(n.label)}" as ${id}`;
    if (n.container === "compound") {
      lines.push(`${head} {`);
      block(n.id, `${indent}  `);
      lines.push(`${indent}}`);
    } else if (n.container === "parallel") {
      // Regions side by side, separated by `--`; a history state goes with the first region.
      lines.push(`${head} {`);
      const kids = children.get(n.id) ?? [];
      const regions = kids.filter((k) => k.region);
      const others = kids.filter((k) => !k.region);
      regions.forEach((r, i) => {
        if (i > 0) lines.push(`${indent}  --`);
        state(r, `${indent}  `);
        if (i === 0) for (const o of others) state(o, `${indent}  `);
      });
      if (regions.length === 0) for (const o of others) state(o, `${indent}  `);
      lines.push(`${indent}}`);
    } else lines.push(head);
    for (const note of n.notes) lines.push(`${indent}${id} : ${mermaidText(note)}`);
  };
  block(undefined, "  ");
  // Looks, by class: the "any state" and group nodes dashed, never-seen states grey, unknown ones marked.
  lines.push("  classDef pseudo stroke-dasharray: 4 3");
  lines.push("  classDef unseen fill:#f3f4f6,color:#8c959f,stroke:#c9d1d9");
  const pseudo = p.nodes.filter((n) => n.id === ANY_NODE || n.kind === "fanin").map((n) => ids.get(n.id));
  const unseen = p.nodes.filter((n) => n.unseen).map((n) => ids.get(n.id));
  if (pseudo.length) lines.push(`  class ${pseudo.join(",")} pseudo`);
  if (unseen.length) lines.push(`  class ${unseen.join(",")} unseen`);
  return `${lines.join("\n")}\n`;
}

/** The same, as a Markdown fenced block. */
export function mermaidMarkdown(source: string): string {
  return `\`\`\`mermaid\n${source}\`\`\`\n`;
}
