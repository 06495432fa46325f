/**
 * An iai-mcp lifecycle log for replay tests: `n` lines one step apart, transitions around the cycle
 * WAKE → DROWSY → SLEEP → HIBERNATION, a sleep step every 3rd line, optionally an undeclared jump
 * to SLEEP at line index `odd` and an unparseable line at index `bad` — and the daemon's state
 * after each line, as the file says it.
 */
import fs from "node:fs";
import { CYCLE, TRIGGERS } from "./iai-lines";

export interface CycleLogOptions {
  /** 0-based index of an undeclared jump to SLEEP. */
  odd?: number;
  /** 0-based index of a line that is not JSON. */
  bad?: number;
  /** Time of the first line (default 2026-06-10T00:00Z) and between lines (default 1 s). */
  startMs?: number;
  stepMs?: number;
  /** The fields of the sleep step at index i (default: step "X", step_num i). */
  stepFields?: (i: number) => Record<string, unknown>;
}

export function writeCycleLog(file: string, n: number, opts: CycleLogOptions = {}): { states: string[] } {
  const lines: string[] = [];
  const states: string[] = [];
  let at = 0;
  let state: string = "WAKE";
  for (let i = 0; i < n; i++) {
    const ts = new Date((opts.startMs ?? Date.UTC(2026, 5, 10)) + i * (opts.stepMs ?? 1000)).toISOString();
    if (i === opts.bad) lines.push("{this is not json");
    else if (i % 3 === 2) lines.push(JSON.stringify({ ts, event: "sleep_step_started", ...(opts.stepFields ? opts.stepFields(i) : { step: "X", step_num: i }) }));
    else if (i === opts.odd) {
      lines.push(JSON.stringify({ ts, event: "state_transition", from: state, to: "SLEEP", trigger: "odd" }));
      state = "SLEEP";
      at = 2;
    } else {
      const to = CYCLE[(at + 1) % 4] as string;
      lines.push(JSON.stringify({ ts, event: "state_transition", from: state, to, trigger: TRIGGERS[at] }));
      state = to;
      at = (at + 1) % 4;
    }
    states.push(state);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return { states };
}
