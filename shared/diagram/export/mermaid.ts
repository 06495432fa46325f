/**
 * Mermaid stateDiagram-v2. Every state gets a generated id (`s0`, `s1` …) and its name as a
 * quoted description, so any name — spaces, dashes, dots, quotes, unicode, Mermaid's own words
 * (`state`, `end`, `note`, `direction`) — is just text; characters Mermaid reads as syntax are
 * written as its `#code;` entities. Pure.
 */
import { ANY_NODE, INITIAL_NODE } from "../diagram";
import type { ExportPicture } from "./model";

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
  const lines = [...(p.sources ?? []).map((f) => `%% observed in ${f.replace(/[\r\n]/g, " ")}`), "stateDiagram-v2", `  direction ${direction}`];
  let next = 0;
  for (const n of p.nodes) {
    if (n.kind === "initial") continue;
    const id = `s${next++}`;
    ids.set(n.id, id);
    lines.push(`  state "${mermaidText(n.label)}" as ${id}`);
    for (const note of n.notes) lines.push(`  ${id} : ${mermaidText(note)}`);
  }
  for (const e of p.edges) {
    if (e.source === INITIAL_NODE) {
      lines.push(`  [*] --> ${ids.get(e.target) ?? "[*]"}`);
      continue;
    }
    const from = ids.get(e.source);
    const to = ids.get(e.target);
    if (!from || !to) continue;
    const label = e.labels.length ? ` : ${e.labels.map(mermaidText).join(" / ")}` : "";
    lines.push(`  ${from} --> ${to}${label}`);
  }
  for (const n of p.nodes) if (n.final) lines.push(`  ${ids.get(n.id) ?? ""} --> [*]`);
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
