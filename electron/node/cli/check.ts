import { STDIN, resolveTarget, stdinTarget } from "../target/target";
import { runCheck } from "../check/run-check";
import { formatReport } from "../check/format";
import { writeReportJson } from "../check/write-json";
import { flagString, UsageError, type ParsedArgs } from "./args";
import { resolveProfileArg } from "./profile-arg";
import { terminalText } from "../../../shared/terminal-text";

export async function runCheckCommand(args: ParsedArgs): Promise<number> {
  const [target, ...extra] = args.positionals;
  if (!target) throw new UsageError("which file or folder? Usage: fsm-inspector check <file-or-folder> [--profile P] [--json]");
  if (extra.length) throw new UsageError(`one file or folder at a time (got also: ${extra.join(" ")})`);
  const json = args.flags.has("json");
  const profileArg = flagString(args, "profile");
  const profile = profileArg ? await resolveProfileArg(profileArg) : undefined;
  const resolved = target === STDIN ? stdinTarget(profile, process.cwd()) : await resolveTarget(target, profile);
  const tty = process.stderr.isTTY === true && !json;
  let lastDraw = 0;
  const report = await runCheck(resolved, {
    keepDetails: json,
    stdin: process.stdin,
    onProgress: tty
      ? (file, bytes, size) => {
          const now = Date.now();
          if (now - lastDraw < 100 && bytes < size) return;
          lastDraw = now;
          const pct = size ? Math.min(100, Math.round((bytes / size) * 100)) : 100;
          process.stderr.write(`\rreading ${terminalText(file)} ${pct}%\x1b[K`);
        }
      : undefined,
  });
  if (tty) process.stderr.write("\r\x1b[K");
  if (json) await writeReportJson(report, process.stdout);
  else process.stdout.write(`${formatReport(report, process.stdout.isTTY === true)}\n`);
  return report.conforms ? 0 : 1;
}
