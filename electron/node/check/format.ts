/** The human summary of a check report. */
import path from "node:path";
import { formatDuration } from "../../../shared/trace/time";
import { terminalText as t } from "../../../shared/terminal-text";
import type { CheckReport } from "./report";

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function formatReport(r: CheckReport, color: boolean): string {
  const c = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  const lines = r.files.reduce((s, f) => s + f.lines, 0);
  out.push(`${c("1", t(r.profile))} · ${t(r.target)}`);
  const names = r.files.map((f) => t(path.basename(f.file)));
  const shown = names.length > 6 ? [...names.slice(0, 3), "…", ...names.slice(-2)] : names;
  out.push(c("2", `  ${plural(r.files.length, "file")}, ${plural(lines, "line")}: ${shown.join(", ")}`));
  for (const inst of r.instances) {
    const total = Object.values(inst.counts).reduce((s, n) => s + n, 0);
    const bad = inst.counts.undeclared + inst.counts.fromMismatch + inst.counts.unknownState;
    const parts = [`${inst.counts.declared} declared`];
    if (inst.counts.undeclared) parts.push(c("31", `${inst.counts.undeclared} undeclared`));
    if (inst.counts.fromMismatch) parts.push(c("31", `${inst.counts.fromMismatch} from-mismatch`));
    if (inst.counts.unknownState) parts.push(c("31", `${inst.counts.unknownState} unknown-state`));
    if (inst.counts.gap) parts.push(c("33", `${inst.counts.gap} after a gap`));
    const events = Object.entries(inst.eventCounts);
    const otherLines = events.length ? `other lines: ${events.map(([n, k]) => `${t(n)} ×${k}`).join(", ")}` : "";
    if (total === 0 && inst.finalState === null) {
      out.push(c("2", `· ${t(inst.id)}: no transitions${otherLines ? `; ${otherLines}` : ""}`));
      continue;
    }
    const mark = bad ? c("31", "✘") : c("32", "✔");
    out.push(`${mark} ${t(inst.id)}: ${plural(total, "transition")} (${parts.join(", ")}), final state ${inst.finalState !== null ? t(inst.finalState) : "unknown"}`);
    for (const tr of inst.transitions.filter((x) => x.verdict !== "declared" && x.verdict !== "gap").slice(0, 10)) {
      out.push(`    ${c("31", tr.verdict)} ${t(tr.from)} → ${t(tr.to)}${tr.event ? ` (${t(tr.event)})` : ""} at ${t(path.basename(tr.file))}:${tr.line ?? "?"}${tr.ts ? ` ${t(tr.ts)}` : ""}`);
    }
    const dwell = Object.entries(inst.dwell);
    if (dwell.length) {
      out.push(c("2", `    time in state (p50 / p95 / max): ${dwell.map(([s, d]) => `${t(s)} ${formatDuration(d.p50Ms)} / ${formatDuration(d.p95Ms)} / ${formatDuration(d.maxMs)} (n=${d.count})`).join("; ")}`));
    }
    if (otherLines) out.push(c("2", `    ${otherLines}`));
  }
  for (const g of r.gaps.slice(0, 10)) out.push(c("33", `  gap: ${t(g.message)} (${t(path.basename(g.file))}${g.line !== null ? `:${g.line}` : ""})`));
  if (r.gaps.length > 10) out.push(c("33", `  … and ${r.gaps.length - 10} more gaps`));
  for (const e of r.errors.slice(0, 20)) out.push(c("31", `  error: ${t(path.basename(e.file))}${e.line !== null ? `:${e.line}` : ""}: ${t(e.message)}`));
  if (r.errors.length > 20) out.push(c("31", `  … and ${r.errors.length - 20} more errors (--json lists them all)`));
  for (const w of r.warnings.slice(0, 10)) out.push(c("33", `  warning: ${t(path.basename(w.file))}${w.line !== null ? `:${w.line}` : ""}: ${t(w.message)}`));
  if (r.warnings.length > 10) out.push(c("33", `  … and ${r.warnings.length - 10} more warnings (--json lists them all)`));
  for (const n of r.notes) out.push(c("2", `  note: ${t(n)}`));
  out.push(r.conforms ? c("32", "Everything conforms to the machine.") : c("31", "Something does not conform (see above)."));
  return out.join("\n");
}
