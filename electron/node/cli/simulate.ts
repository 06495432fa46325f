/**
 * `fsm-inspector simulate <machine-file> --events e1,e2,... [--json]`: the active atomic and final
 * states after the initial transition and after each event, for scripts and conformance tests.
 * SCXML files run with SCXML's semantics; XState configs with XState's. Refuses (exit 2) a machine
 * whose behaviour depends on something never evaluated here, naming the element and its line.
 */
import { FsmError } from "../../../shared/errors";
import { formatDiagnostic, hasErrors } from "../../../shared/machine/diagnostics";
import { parseDocument } from "../../../shared/machine/document";
import { importScxml } from "../../../shared/machine/formats/scxml";
import { importXState } from "../../../shared/machine/formats/xstate-json";
import { definitionRefusals, simulate, type Refusal } from "../../../shared/machine/simulate";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { terminalJson, terminalText } from "../../../shared/terminal-text";
import { readRegularFile } from "../fs/regular-file";
import { flagString, UsageError, type ParsedArgs } from "./args";

const USAGE = "Usage: fsm-inspector simulate <machine-file> --events e1,e2,... [--json]";
const MAX_MACHINE_BYTES = 16 * 1024 * 1024;

export async function runSimulateCommand(args: ParsedArgs): Promise<number> {
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw new UsageError(`a machine file is required (SCXML, XState JSON or YAML). ${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(" ")}. ${USAGE}`);
  const list = flagString(args, "events") ?? "";
  const items = list.trim() === "" ? [] : list.split(",").map((e) => e.trim());
  const empty = items.findIndex((e) => e === "");
  if (empty >= 0) throw new UsageError(`--events has an empty name at position ${empty + 1}; separate event names with single commas`);
  let text: string;
  try {
    text = await readRegularFile(file, MAX_MACHINE_BYTES);
  } catch (err) {
    throw new FsmError({ code: "unreadable", message: `cannot read ${file}: ${(err as Error).message}.`, file });
  }
  const { definition, refusals } = loadMachine(text, file);
  if (refusals.length > 0) {
    const shown = refusals.slice(0, 10).map((r) => `${file}${r.line !== undefined ? `:${r.line}` : ""}: ${r.element}: ${r.why}`);
    throw new FsmError({
      code: "cannot-simulate",
      message: `${file}: the machine's behaviour depends on what simulate never evaluates, so it cannot be simulated faithfully:\n${shown.join("\n")}${refusals.length > 10 ? `\n(and ${refusals.length - 10} more)` : ""}`,
      hint: "Remove or replace these elements (a cond by an event that says the outcome, a <raise> by the event it raises in --events), or step the machine in the app's sandbox, which asks for each guard.",
    });
  }
  const sim = simulate(definition, items);
  if (args.flags.has("json")) process.stdout.write(`${terminalJson({ configurations: sim.configurations })}\n`);
  else process.stdout.write(`${sim.lines.map(terminalText).join("\n")}\n`);
  return 0;
}

function loadMachine(text: string, file: string): { definition: MachineDefinition; refusals: Refusal[] } {
  const fail = (diagnostics: readonly Parameters<typeof formatDiagnostic>[0][]): never => {
    const errors = diagnostics.filter((d) => d.severity === "error");
    throw new FsmError({ code: "bad-machine", message: (errors.length > 0 ? errors : diagnostics).slice(0, 10).map(formatDiagnostic).join("\n") || `${file} holds no machine.` });
  };
  if (file.toLowerCase().endsWith(".scxml") || file.toLowerCase().endsWith(".xml") || /^\uFEFF?\s*</.test(text)) {
    const r = importScxml(text, file, { semantics: true });
    if (!r.definition || hasErrors(r.diagnostics)) return fail(r.diagnostics);
    return { definition: r.definition, refusals: [...r.unevaluated, ...definitionRefusals(r.definition).filter((x) => !x.element.startsWith("guard"))] };
  }
  const doc = parseDocument(text, file);
  if (!("value" in doc)) return fail(doc.diagnostics);
  const r = importXState(doc.value, file, doc.locate);
  const diagnostics = [...doc.diagnostics, ...r.diagnostics];
  if (!r.definition || hasErrors(diagnostics)) return fail(diagnostics);
  return { definition: r.definition, refusals: definitionRefusals(r.definition) };
}
