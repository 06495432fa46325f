/**
 * fsm-inspector: the command line. `serve` runs the app in a browser; the other commands do the
 * non-visual work from a terminal or CI. Exit codes: 0 ok, 1 something does not conform,
 * 2 the input or the command line cannot be used.
 */
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import { parseArgs, UsageError } from "./args";
import { packageVersion } from "./paths";
import { runServe, SERVE_HELP } from "./serve";
import { runDemo, DEMO_HELP } from "./demo";
import { runCheckCommand, CHECK_HELP } from "./check";
import { runStepCommand, STEP_HELP } from "./step";
import { runWatchCommand, WATCH_HELP } from "./watch";

const HELP = `FSM Inspector ${packageVersion()} — watch, replay and check lifecycle state machines.

Usage: fsm-inspector <command> [options]

Commands:
  serve       serve the app in a browser on 127.0.0.1 (with the live demo)
  watch       follow a program's files (or table) live and print each observation
  check       check a recorded log, folder or data folder against its machine
  step        where does an event take a machine from a state?
  profiles    list the built-in profiles
  demo        run the demo daemon alone, writing iai-mcp files into a folder
  help        show this help

${SERVE_HELP}

${WATCH_HELP}

${CHECK_HELP}

${STEP_HELP}

${DEMO_HELP}`;

interface Command {
  valued: string[];
  booleans: string[];
  run(args: ReturnType<typeof parseArgs>): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { valued: ["port", "demo-dir", "demo-interval"], booleans: ["open", "no-demo", "help"], run: runServe },
  demo: { valued: ["dir", "interval"], booleans: ["help"], run: runDemo },
  check: { valued: ["profile"], booleans: ["json", "help"], run: runCheckCommand },
  watch: { valued: ["profile", "history-bytes", "connection", "interval"], booleans: ["json", "help"], run: runWatchCommand },
  step: { valued: ["profile", "state", "event", "payload"], booleans: ["json", "help"], run: runStepCommand },
  profiles: {
    valued: [],
    booleans: ["json", "help"],
    async run(args) {
      if (args.flags.has("json")) {
        process.stdout.write(`${JSON.stringify(BUILTIN_PROFILES.map((p) => ({ id: p.id, title: p.title, description: p.description })), null, 2)}\n`);
      } else {
        for (const p of BUILTIN_PROFILES) process.stdout.write(`${p.id.padEnd(14)} ${p.title}\n`);
      }
      return 0;
    },
  },
};

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`fsm-inspector: unknown command "${name}". Run "fsm-inspector help" for the list.\n`);
    return 2;
  }
  try {
    const args = parseArgs(rest, cmd.valued, cmd.booleans);
    if (args.flags.has("help")) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    return await cmd.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`fsm-inspector ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`fsm-inspector ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
