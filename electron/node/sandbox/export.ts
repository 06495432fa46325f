/**
 * "Export the sandbox run as a log": the run written in its profile's own format
 * (shared/sandbox/export.ts), so that `fsm-inspector check` and replay read it back with the
 * profile detected and every transition declared.
 */
import fs from "node:fs";
import path from "node:path";
import { FsmError } from "../../../shared/errors";
import { sandboxExport } from "../../../shared/sandbox/export";
import type { SandboxRun } from "../../../shared/sandbox/run";
import { ConfinedFolder, symlinkRefusal } from "./confined-folder";
import { realPathOrAncestor, refuseWatched } from "./watched";

export interface ExportOptions {
  /** Folders other sessions watch: the export is never written into one. */
  watched?: readonly string[];
  /** jumpstarter: start each line with `%(asctime)s` in UTC (default true; false writes the exporter's default format, without times). */
  timestamps?: boolean;
}

/**
 * Writes a sandbox run in its profile's format at `outPath` and returns the files written.
 * - iai-mcp and jumpstarter: `outPath` is a **file** (a JSONL lifecycle log; an exporter text log),
 *   written atomically (temp file + rename); an existing regular file there is replaced.
 * - ecluse and duckgres: `outPath` is a **folder**, created (or an existing empty one), holding
 *   the successive snapshots (`0001.json` …; `snapshot-1.csv` …).
 * Refuses (FsmError) an unknown profile, a run whose steps do not follow each other, a log with no
 * transition in it, a path that is (or is inside) a watched folder, a folder that holds files
 * already, and symbolic links (the file, or the export folder, being one).
 */
export async function exportSandboxRun(run: SandboxRun, outPath: string, opts: ExportOptions = {}): Promise<{ files: string[] }> {
  const content = sandboxExport(run, opts.timestamps !== undefined ? { timestamps: opts.timestamps } : {});
  const abs = path.resolve(outPath);
  const watched = opts.watched ?? [];
  if (content.kind === "file") {
    if (content.transitions === 0) {
      throw new FsmError({
        code: "sandbox-nothing-to-export",
        message: `the sandbox run took no transition yet: a ${content.profileId} log of it would be empty, and no reader could tell what it is.`,
        hint: "Step the sandbox first (ignored and blocked events write nothing to the program's log).",
      });
    }
    const dir = path.dirname(abs);
    // Beside a watched folder is fine; inside one is not.
    refuseWatched(dir, watched, { mayContain: true, what: "the export's folder" });
    refuseWatched(abs, watched, { what: "the export" });
    // The folder the user chose may be reached through a link (a system's /tmp is one); the file itself may not be one.
    const folder = ConfinedFolder.open(realPathOrAncestor(dir));
    return { files: [folder.replace(path.basename(abs), content.text, { mode: 0o644 })] };
  }
  refuseWatched(abs, watched, { what: "the export folder" });
  const st = (() => {
    try {
      return fs.lstatSync(abs);
    } catch {
      return undefined;
    }
  })();
  if (st?.isSymbolicLink()) throw symlinkRefusal(abs);
  if (st && !st.isDirectory()) throw new FsmError({ code: "sandbox-not-folder", message: `${abs} is a file; this profile's run is exported as a folder of snapshots.`, file: abs, hint: "Choose a new folder name." });
  if (st && fs.readdirSync(abs).length > 0) {
    throw new FsmError({ code: "sandbox-not-empty", message: `${abs} is not empty: snapshots written there would be read together with what it holds.`, file: abs, hint: "Choose a new (or empty) folder." });
  }
  if (!st && !fs.existsSync(realPathOrAncestor(path.dirname(abs)))) throw new FsmError({ code: "not-found", message: `${path.dirname(abs)} does not exist.`, file: abs, hint: "Choose a folder that exists." });
  const folder = ConfinedFolder.open(abs, { create: true });
  return { files: content.files.map((f) => folder.replace(f.name, f.text, { mode: 0o644 })) };
}
