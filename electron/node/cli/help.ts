/**
 * The help of every command, in one small module: printing help (or dispatching a command) never
 * loads the code of the other commands.
 */

export const SERVE_HELP = `fsm-inspector serve [--port N] [--open] [--no-demo] [--demo-dir DIR] [--demo-interval MIN:MAX]

Serves FSM Inspector's UI at http://127.0.0.1:PORT/?token=... (loopback only; the token is new
each run and required for every data request: open the printed URL once, the page keeps the
token in that tab) and opens the live demo session.
  --port N               listen on port N (default: a free port)
  --open                 also open the URL in your default browser
  --no-demo              do not start the demo daemon
  --demo-dir DIR         let the demo write into DIR instead of a fresh temp folder
  --demo-interval A:B    demo writes every A..B ms (default 1000:2000)`;

export const REPLAY_HELP = `fsm-inspector replay <file-or-folder> [--profile P] [--time-zone ZONE] [--open] [--port N]

Serves FSM Inspector's UI as serve does (no demo), with a log, a folder of logs, a program's data
folder or a recording (.fsmrec) open to replay, and prints the URL. The profile is detected as
check does unless --profile names a built-in one; --time-zone (an IANA name such as Europe/Paris)
is the zone of timestamps written without one (default: the profile's, else UTC).
Exit code 2 when the target cannot be opened.`;

export const WATCH_HELP = `fsm-inspector watch <folder-or-file> [--profile P] [--json] [--history-bytes N]
fsm-inspector watch - --profile P [--json]
fsm-inspector watch --profile duckgres --connection postgres://user@host:5432/db [--interval MS] [--json]

Follows a program's artifacts as they change and prints each observation until Ctrl+C: with
--json one JSON object per line ({"kind": "state|transition|lock|signal|warning|event", ...}).
With "-", reads log lines from standard input until it ends, e.g.
  journalctl -u <exporter unit> -f | fsm-inspector watch - --profile jumpstarter
Watching never writes to, renames or locks the watched files.`;

export const CHECK_HELP = `fsm-inspector check <file-or-folder> [--profile P] [--json]
fsm-inspector check - --profile P [--json]

Checks a recorded trace against its machine: a JSONL or text log, a folder of daily logs
(.gz included), a folder of state snapshots or table dumps, or a program's data folder.
The profile is detected from the content unless --profile names one (a built-in id or a
profile file). "-" reads a log from standard input (--profile required).
Exit code: 0 everything conforms, 1 something does not, 2 the input cannot be read.`;

export const STEP_HELP = `fsm-inspector step --profile P --state S --event E [--payload JSON] [--context JSON] [--json]

Where does event E take the machine from state S? Prints the next state, the outcome (taken,
ignored, or guard-blocked with the guard and the payload it saw), a one-sentence explanation,
and what the machine remembers afterwards (its context). --context sets what it remembers
before the event (default: the machine's initial context), e.g. '{"endRequested": true}'.`;

export const SIMULATE_HELP = `fsm-inspector simulate <machine-file> --events e1,e2,... [--json]

Runs a machine file (SCXML, XState JSON or YAML; nested, parallel and history states) from its
initial state through the events, and prints the active atomic and final states after each. SCXML
files follow SCXML's semantics (descriptors match by prefix, document order, external transitions).
An item +5s, +250ms or +2m advances a virtual clock: the delayed ("after") transitions due fire.
--json prints {"configurations": [[...], ...]}: the state ids as written, sorted, after the initial
transition and after each item. A machine that depends on what is never evaluated here (a cond
expression, <raise>, <send>, <script>, <assign>, a data model, code guards) is refused: exit 2,
naming the element and its line.`;

export const DEMO_HELP = `fsm-inspector demo [--dir DIR] [--interval MIN:MAX]

Runs the simulated iai-mcp daemon alone: lifecycle_state.json, the daily JSONL log and the
.lifecycle.lock flock, in DIR (default: a fresh temp folder, removed on exit).`;

export const EXPORT_HELP = `fsm-inspector export --profile P --format svg|png|mermaid|dot|scxml|xstate [--observed LOG-OR-FOLDER]
                     [--theme light|dark] [--direction down|right] [--scale 1|2] [--with-sources] [-o FILE]

A machine's diagram: --profile is a built-in id or a machine or profile file. SVG and PNG are laid
out as the app lays it out. --observed draws what a log or folder shows: counts and thickness,
dwell p50/p95, undeclared transitions dashed, never-seen states and transitions grey (file paths
only with --with-sources). Writes to standard output without -o (PNG needs -o).
Exit code: 0 written, 2 the command line, the machine or the log cannot be used.`;
