/**
 * `fsm-inspector replay <file-or-folder>`: serve mode with that log, folder of logs, data folder or
 * recording open as a replay session (no demo), and the URL printed. A target that cannot be
 * opened is said so before anything listens (exit 2).
 */
import { formatUserError } from "../../../shared/errors";
import { BUILTIN_PROFILES, findProfile } from "../../../shared/profiles";
import { terminalText } from "../../../shared/terminal-text";
import { formatDuration } from "../../../shared/trace/time";
import { createBackend } from "../backend";
import { flagInt, flagString, UsageError, type ParsedArgs } from "./args";
import { openInBrowser } from "./open-browser";
import { packageVersion, sourceDemoLauncher } from "./paths";
import { startServer, untilStopped } from "./serve";

export async function runReplay(args: ParsedArgs): Promise<number> {
  const [target, ...extra] = args.positionals;
  if (!target) throw new UsageError("which log, folder or recording? Usage: fsm-inspector replay <file-or-folder> [--profile P] [--time-zone ZONE] [--open] [--port N]");
  if (extra.length) throw new UsageError(`one file or folder at a time (got also: ${extra.join(" ")})`);
  const port = flagInt(args, "port", 0) ?? 0;
  const profileId = flagString(args, "profile");
  if (profileId !== undefined && !findProfile(profileId)) {
    throw new UsageError(`replay --profile takes a built-in profile (${BUILTIN_PROFILES.map((p) => p.id).join(", ")}), not "${profileId}"; a profile file of your own works with check and watch`);
  }
  const timeZone = flagString(args, "time-zone");
  const backend = createBackend({ mode: "serve", version: packageVersion(), demo: { launcher: sourceDemoLauncher() } });
  let opened;
  try {
    opened = await backend.handlers.openLog({ path: target, ...(profileId !== undefined ? { profileId } : {}), ...(timeZone !== undefined ? { timeZone } : {}) });
  } catch (err) {
    await backend.dispose();
    throw err;
  }
  const started = Date.now();
  backend.subscribe("indexProgress", (p) => {
    if (p.sessionId !== opened.id || p.state === "indexing") return;
    if (p.state === "failed") process.stderr.write(`Indexing ${terminalText(opened.target)} failed: ${terminalText(p.error ? formatUserError(p.error) : "unknown error")}\n`);
    else process.stdout.write(`Indexed ${p.observations} observations (${p.transitions} transitions, ${p.anomalies} anomalies, ${p.badLines} bad lines) in ${formatDuration(Date.now() - started)}.\n`);
  });
  const serving = await startServer(backend, port);
  process.stdout.write(`FSM Inspector is serving on ${serving.server.url}\n`);
  const how = opened.detectedBy === "recording" ? "a recording" : `profile ${opened.profileId} (${opened.detectedBy ?? "chosen"})`;
  process.stdout.write(`Replaying ${terminalText(opened.target)}: ${how}; times without a zone are read as ${opened.timeZone ?? "UTC"}.\n`);
  process.stdout.write("Open the URL above in a browser. Press Ctrl+C to stop.\n");
  if (args.flags.has("open")) openInBrowser(serving.server.url);
  await untilStopped(serving);
  return 0;
}
