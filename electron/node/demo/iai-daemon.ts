/**
 * A simulated iai-mcp daemon: picks plausible events for its current state and dispatches them
 * through the real machine (the built-in profile and the pure step()), writing real-format
 * artifacts. Clock and randomness are injected so tests can drive it deterministically.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { step } from "../../../shared/machine/step";
import type { Payload } from "../../../shared/machine/guards";
import { findProfile } from "../../../shared/profiles";
import { pythonIso } from "../../../shared/trace/time";
import { iaiDispatch, iaiDispatchWrites, iaiTransitionLine, initialIaiRecord, type IaiStateRecord } from "../../../shared/sandbox/iai-mcp";
import { IaiFiles } from "../sandbox/iai-files";

const SLEEP_STEPS = ["SCHEMA_MINE", "KNOB_TUNE", "DREAM_DECAY", "OPTIMIZE_LANCE", "COMPACT_RECORDS"];

export interface DaemonClock {
  now(): number;
}

export interface DispatchResult {
  event: string;
  from: string;
  to: string;
  taken: boolean;
  /** The log file the transition line went to, when one was written. */
  logFile?: string;
}

export class IaiDemoDaemon {
  private record: IaiStateRecord;
  private sleepStep = 0;
  private lastUs = 0;
  private readonly machine;
  private files: IaiFiles | undefined;

  constructor(
    readonly dir: string,
    private readonly random: () => number = Math.random,
    private readonly clock: DaemonClock = { now: () => Date.now() },
  ) {
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("built-in profile iai-mcp is missing");
    this.machine = profile.machine;
    this.record = initialIaiRecord(this.machine.initial, this.ts());
  }

  /** The data folder's files (the folder is created on first use). */
  private get io(): IaiFiles {
    this.files ??= IaiFiles.open(this.dir);
    return this.files;
  }

  get state(): string {
    return this.record.current_state;
  }

  /** Create the folder layout and the first state file, or carry on from the state file there (a restart). */
  init(): void {
    fs.mkdirSync(path.join(this.dir, "logs"), { recursive: true });
    let existing: IaiStateRecord | undefined;
    try {
      existing = this.io.readState();
    } catch {
      // Unreadable: start fresh, as a new install does.
    }
    if (existing) {
      this.record = existing;
      return;
    }
    this.io.withLifecycleLock(() => this.io.writeState(this.record));
  }

  /** Write the daemon's pid file `.locked` (not a flock; deleted on clean exit). */
  writePidFile(pid: number): void {
    const body = { pid, hostname: os.hostname(), started_at: this.ts(), schema_version: 1 };
    fs.writeFileSync(path.join(this.dir, ".locked"), JSON.stringify(body), { mode: 0o600 });
  }

  removePidFile(): void {
    fs.rmSync(path.join(this.dir, ".locked"), { force: true });
  }

  /** Microsecond timestamps like Python's datetime.now(timezone.utc).isoformat(). */
  private ts(): string {
    let us = Math.floor(this.clock.now()) * 1000 + Math.floor(this.random() * 1000);
    if (us <= this.lastUs) us = this.lastUs + 1;
    this.lastUs = us;
    return pythonIso(Math.floor(us / 1000), us % 1000);
  }

  private pick<T>(options: ReadonlyArray<readonly [number, T]>): T {
    const total = options.reduce((s, [w]) => s + w, 0);
    let r = this.random() * total;
    for (const [w, v] of options) {
      r -= w;
      if (r <= 0) return v;
    }
    const last = options[options.length - 1];
    if (!last) throw new Error("pick() needs options");
    return last[1];
  }

  /** Choose the next event for the current state and dispatch it. */
  tick(): DispatchResult {
    switch (this.record.current_state) {
      case "WAKE":
        return this.dispatch(this.pick([[6, "idle_5min"], [3, "request_arrived"], [1, "heartbeat_refresh"]] as const));
      case "DROWSY": {
        const choice = this.pick([[5, "sleep"], [1, "not-eligible"], [3, "heartbeat"]] as const);
        if (choice === "heartbeat") return this.dispatch("heartbeat_refresh");
        return this.dispatch("idle_30min", { sleep_eligible: choice === "sleep" });
      }
      case "SLEEP":
        if (this.sleepStep < 2) {
          this.runSleepStep();
          return { event: "sleep_step", from: "SLEEP", to: "SLEEP", taken: false };
        }
        this.sleepStep = 0;
        if (this.pick([[7, true], [3, false]] as const)) return this.dispatch("sleep_cycle_done", { still_idle: true });
        return this.dispatch("request_arrived");
      default:
        return this.dispatch(this.pick([[6, "wake_signal"], [4, "request_arrived"]] as const));
    }
  }

  private runSleepStep(): void {
    const name = SLEEP_STEPS[this.sleepStep % SLEEP_STEPS.length] ?? "SCHEMA_MINE";
    const stepNum = this.sleepStep + 1;
    this.io.appendLog({ ts: this.ts(), event: "sleep_step_started", step: name, step_num: stepNum });
    const duration = Math.round(this.random() * 3000) / 1000;
    this.io.appendLog({ ts: this.ts(), event: "sleep_step_completed", step: name, step_num: stepNum, duration_sec: duration });
    this.sleepStep += 1;
  }

  /** One dispatch: the whole read-compute-write under the lifecycle lock, as the real daemon. */
  dispatch(event: string, payload: Payload = {}): DispatchResult {
    return this.io.withLifecycleLock(() => {
      const from = this.record.current_state;
      const result = step(this.machine, from, event, payload);
      const d = { event, outcome: result.outcome, path: result.outcome === "taken" ? [from, result.next] : [from] };
      // Only a taken transition or an activity event writes the state file (a new inode); the rest are no-ops.
      if (!iaiDispatchWrites(d)) return { event, from, to: from, taken: false };
      const written = iaiDispatch(this.record, d, this.ts());
      if (written.record) {
        this.record = written.record;
        this.io.writeState(written.record);
      }
      let logFile: string | undefined;
      for (const [a, b] of written.hops) logFile = this.io.appendLog(iaiTransitionLine(this.ts(), a, b, event));
      if (logFile === undefined) return { event, from, to: from, taken: false };
      return { event, from, to: result.next, taken: true, logFile };
    });
  }
}
