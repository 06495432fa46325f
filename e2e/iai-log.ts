/**
 * A large iai-mcp lifecycle log in the real format (one compact JSON line per transition or sleep
 * step, Python isoformat times with microseconds and +00:00), with anomalies at known lines — and,
 * read back independently of the app, the daemon's state after every line.
 */
import fs from "node:fs";

const CYCLE = ["WAKE", "DROWSY", "SLEEP", "HIBERNATION"] as const;
const TRIGGERS = ["idle_5min", "idle_30min", "sleep_cycle_done", "wake_signal"] as const;
/** A target the machine declares no transition to, from each state. */
const UNDECLARED_TO: Record<string, string> = { WAKE: "SLEEP", DROWSY: "HIBERNATION", SLEEP: "DROWSY", HIBERNATION: "SLEEP" };
const STEPS = ["SCHEMA_MINE", "KNOB_TUNE", "CONSOLIDATE"];

export interface LogPlan {
  lines: number;
  /** 1-based lines of each kind of anomaly. */
  undeclared: number[];
  fromMismatch: number[];
  badLines: number[];
  /** A transition to a state the machine does not have (and, on the next transition line, from it). */
  unknownState?: number;
  /** A silence of `ms` before this line. */
  silence?: { line: number; ms: number };
}

function pythonIso(ms: number): string {
  const base = new Date(ms).toISOString().slice(0, 19);
  return `${base}.${String((ms % 1000) * 1000 + 123).padStart(6, "0")}+00:00`;
}

/** Writes the log; one line a second from 2026-06-10 00:00 UTC (plus the silence). */
export function writeIaiLog(file: string, plan: LogPlan): void {
  const undeclared = new Set(plan.undeclared);
  const mismatch = new Set(plan.fromMismatch);
  const bad = new Set(plan.badLines);
  const out: string[] = [];
  let state: string = "WAKE";
  let ms = Date.UTC(2026, 5, 10);
  let step = 0;
  for (let line = 1; line <= plan.lines; line++) {
    ms += plan.silence?.line === line ? plan.silence.ms : 1000;
    const ts = pythonIso(ms);
    const at = CYCLE.indexOf(state as (typeof CYCLE)[number]);
    if (bad.has(line)) out.push(`{"ts": "${ts}", "event": "state_transition", "from": `);
    else if (undeclared.has(line)) {
      const to = UNDECLARED_TO[state] ?? "WAKE";
      out.push(JSON.stringify({ ts, event: "state_transition", from: state, to, trigger: "odd_jump" }));
      state = to;
    } else if (mismatch.has(line)) {
      // The line says the daemon left a state it was not in.
      const claimed = CYCLE[(Math.max(0, at) + 2) % 4] as string;
      const to = CYCLE[(Math.max(0, at) + 3) % 4] as string;
      out.push(JSON.stringify({ ts, event: "state_transition", from: claimed, to, trigger: TRIGGERS[(Math.max(0, at) + 2) % 4] }));
      state = to;
    } else if (plan.unknownState === line) {
      out.push(JSON.stringify({ ts, event: "state_transition", from: state, to: "LIMBO", trigger: "odd_jump" }));
      state = "LIMBO";
    } else if (at < 0) {
      // Back from an unknown state: request_arrived goes to WAKE from anywhere.
      out.push(JSON.stringify({ ts, event: "state_transition", from: state, to: "WAKE", trigger: "request_arrived" }));
      state = "WAKE";
    } else if (line % 3 === 0) {
      const name = step % 2 === 0 ? "sleep_step_started" : "sleep_step_completed";
      const fields = step % 2 === 0 ? { step: STEPS[step % 3], step_num: step } : { step: STEPS[(step - 1) % 3], step_num: step - 1, duration_sec: 3.25 };
      out.push(JSON.stringify({ ts, event: name, ...fields }));
      step++;
    } else {
      const to = CYCLE[(at + 1) % 4] as string;
      out.push(JSON.stringify({ ts, event: "state_transition", from: state, to, trigger: TRIGGERS[at] }));
      state = to;
    }
  }
  fs.writeFileSync(file, out.join("\n") + "\n");
}

export interface LogFacts {
  /** The daemon's state after each line (index = line - 1). */
  stateAfter: string[];
  /** 1-based lines that log a transition (bad lines excluded), ascending. */
  transitionLines: number[];
  /** Each transition line's from and to, by line. */
  moves: Map<number, { from: string; to: string }>;
  /** Each line's time (epoch ms), or NaN for a line that cannot be read. */
  timeMs: number[];
}

/** Reads a log back as a person would: the state after each line is the `to` of the last transition line. */
export function readFacts(file: string): LogFacts {
  const stateAfter: string[] = [];
  const transitionLines: number[] = [];
  const timeMs: number[] = [];
  const moves = new Map<number, { from: string; to: string }>();
  let state = "";
  const lines = fs.readFileSync(file, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((text, i) => {
    let doc: { ts?: string; event?: string; from?: string; to?: string } | undefined;
    try {
      doc = JSON.parse(text) as { ts?: string; event?: string; from?: string; to?: string };
    } catch {
      doc = undefined;
    }
    if (doc?.event === "state_transition" && typeof doc.to === "string") {
      state = doc.to;
      transitionLines.push(i + 1);
      moves.set(i + 1, { from: String(doc.from), to: doc.to });
    }
    stateAfter.push(state);
    timeMs.push(doc?.ts ? Date.parse(doc.ts) : NaN);
  });
  return { stateAfter, transitionLines, moves, timeMs };
}
