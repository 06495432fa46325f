/**
 * fsm-inspector: the command line. `serve` runs the app in a browser; the other commands do the
 * non-visual work from a terminal or CI. Exit codes: 0 ok, 1 something does not conform,
 * 2 the input or the command line cannot be used. Each command's code is loaded only when that
 * command runs, so a quick `step` never pays for the server, Postgres or the file watchers.
 */
import { FsmError, formatUserError } from "../../../shared/errors";
import { parseArgs, type ParsedArgs } from "./args";
import { CHECK_HELP, DEMO_HELP, EXPORT_HELP, REPLAY_HELP, SERVE_HELP, SIMULATE_HELP, STEP_HELP, WATCH_HELP } from "./help";
import { packageVersion } from "./paths";
import { terminalText } from "../../../shared/terminal-text";

const help = (): string => `FSM Inspector ${packageVersion()} — watch, replay and check lifecycle state machines.

Usage: fsm-inspector <command> [options]

Commands:
  serve       serve the app in a browser on 127.0.0.1 (with the live demo)
  replay      serve the app in a browser with a log, folder or recording open to replay
  watch       follow a program's files (or table) live and print each observation
  check       check a recorded log, folder or data folder against its machine
  step        where does an event take a machine from a state?
  simulate    run a machine file (SCXML, XState) through events; print each configuration
  export      a machine's diagram as SVG, PNG, Mermaid, DOT, SCXML or XState JSON
  profiles    list the built-in profiles
  demo        run the demo daemon alone, writing iai-mcp files into a folder
  help        show this help

${SERVE_HELP}

${REPLAY_HELP}

${WATCH_HELP}

${CHECK_HELP}

${STEP_HELP}

${SIMULATE_HELP}

${EXPORT_HELP}

${DEMO_HELP}`;

interface Command {
  valued: string[];
  booleans: string[];
  /** Short forms: `-o` for `output`. */
  aliases?: Record<string, string>;
  run(args: ParsedArgs): Promise<number>;
}

const COMMANDS = new Map<string, Command>([
  ["serve", { valued: ["port", "demo-dir", "demo-interval"], booleans: ["open", "no-demo", "help"], run: async (a) => (await import("./serve")).runServe(a) }],
  ["replay", { valued: ["profile", "port", "time-zone"], booleans: ["open", "help"], run: async (a) => (await import("./replay")).runReplay(a) }],
  ["demo", { valued: ["dir", "interval"], booleans: ["help"], run: async (a) => (await import("./demo")).runDemo(a) }],
  ["check", { valued: ["profile"], booleans: ["json", "help"], run: async (a) => (await import("./check")).runCheckCommand(a) }],
  ["watch", { valued: ["profile", "history-bytes", "connection", "interval"], booleans: ["json", "help"], run: async (a) => (await import("./watch")).runWatchCommand(a) }],
  ["step", { valued: ["profile", "state", "event", "payload", "context"], booleans: ["json", "help"], run: async (a) => (await import("./step")).runStepCommand(a) }],
  ["simulate", { valued: ["events"], booleans: ["json", "help"], run: async (a) => (await import("./simulate")).runSimulateCommand(a) }],
  ["export", { valued: ["profile", "format", "observed", "theme", "direction", "scale", "output"], booleans: ["with-sources", "help"], aliases: { "-o": "output" }, run: async (a) => (await import("./export")).runExportCommand(a) }],
  ["profiles", { valued: [], booleans: ["json", "help"], run: async (a) => (await import("./profiles")).runProfilesCommand(a) }],
]);

/** A reader that goes away (`watch --json | head -3`) ends the command quietly, as for any Unix tool. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  quietOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const cmd = COMMANDS.get(name);
  if (!cmd) {
    process.stderr.write(`fsm-inspector: unknown command "${terminalText(name)}". Run "fsm-inspector help" for the list.\n`);
    return 2;
  }
  try {
    const args = parseArgs(rest, cmd.valued, cmd.booleans, cmd.aliases);
    if (args.flags.has("help")) {
      process.stdout.write(`${help()}\n`);
      return 0;
    }
    return await cmd.run(args);
  } catch (err) {
    // The one place a command's failure is told: what, in which file and line, and what to do (exit 2).
    const message = err instanceof FsmError ? formatUserError(err) : err instanceof Error ? err.message : String(err);
    // Line by line: a list of problems keeps its lines; anything else that could move the cursor is shown as an escape.
    process.stderr.write(`fsm-inspector ${terminalText(name)}: ${message.split("\n").map(terminalText).join("\n")}\n`);
    return 2;
  }
}
