/**
 * `fsm-inspector export`: a machine's diagram in SVG, PNG, Mermaid, Graphviz DOT, SCXML or XState
 * JSON — the declared machine, or what a log or folder shows of it (`--observed`): counts, dwell,
 * undeclared transitions. SVG and PNG use the same elk layout as the app, computed in-process.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { EXPORT_FORMATS, FORMAT_INFO, exportText, isExportFormat, prepareExport } from "../../../shared/diagram/export/formats";
import { terminalText } from "../../../shared/terminal-text";
import { resolveTarget } from "../target/target";
import { layoutWithElk } from "../export/layout";
import { observedMachine } from "../export/observe";
import { svgToPng } from "../export/png";
import { embedFonts, fontFilesFor } from "../export/fonts";
import { flagString, UsageError, type ParsedArgs } from "./args";
import { resolveProfileArg } from "./profile-arg";

const USAGE = "Usage: fsm-inspector export --profile P --format svg|png|mermaid|dot|scxml|xstate [--observed LOG-OR-FOLDER] [--theme light|dark] [--direction down|right] [--scale 1|2] [--with-sources] [-o FILE]";

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be ${allowed.join(" or ")}, got "${v}"`);
  return v as T;
}

export async function runExportCommand(args: ParsedArgs): Promise<number> {
  if (args.positionals.length) throw new UsageError(`unexpected ${args.positionals.join(" ")}. ${USAGE}`);
  const profileArg = flagString(args, "profile");
  const format = flagString(args, "format");
  if (!profileArg) throw new UsageError(`--profile is required (a built-in id or a machine or profile file). ${USAGE}`);
  if (!format) throw new UsageError(`--format is required. ${USAGE}`);
  if (!isExportFormat(format)) throw new UsageError(`unknown format "${format}": use one of ${EXPORT_FORMATS.join(", ")}`);
  const out = flagString(args, "output");
  if (format === "png" && !out) throw new UsageError("PNG is binary: give -o FILE.png");
  const theme = choice(args, "theme", ["light", "dark"] as const, "light");
  const direction = choice(args, "direction", ["down", "right"] as const, "down") === "right" ? "RIGHT" : "DOWN";
  const scale = Number(choice(args, "scale", ["1", "2"] as const, "1"));
  const observedArg = flagString(args, "observed");
  if (observedArg && !FORMAT_INFO[format].observed) throw new UsageError(`${FORMAT_INFO[format].label} carries the declared machine only; --observed works with svg, png, mermaid and dot`);
  const profile = await resolveProfileArg(profileArg);
  const observed = observedArg ? await observedMachine(await resolveTarget(observedArg, profile)) : undefined;
  const req = { machine: profile.machine, title: observed ? `${profile.title} — observed` : profile.title, theme, direction, ...(observed ? { observed } : {}) } as const;
  const { picture, layoutRequest } = prepareExport(req);
  if (observed && args.flags.has("with-sources")) picture.sources = observed.sources;
  const layout = FORMAT_INFO[format].needsLayout ? await layoutWithElk(layoutRequest) : undefined;
  let bytes: Uint8Array | string;
  if (format === "png") {
    const svg = exportText("svg", req, picture, layout);
    bytes = await svgToPng(svg, scale, await fontFilesFor(svg));
  } else if (format === "svg") bytes = await embedFonts(exportText("svg", req, picture, layout));
  else bytes = exportText(format, req, picture, layout);
  if (out) {
    await fs.writeFile(path.resolve(out), bytes);
    process.stderr.write(`wrote ${terminalText(out)} (${FORMAT_INFO[format].label}${observed ? ", observed" : ""})\n`);
  } else process.stdout.write(bytes);
  return 0;
}
