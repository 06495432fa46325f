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
import { appendLogLine, withLifecycleLock, writeStateFile, type IaiStateRecord, LOG_DIR, STATE_FILE } from "./iai-writer";

const SLEEP_STEPS = ["SCHEMA_MINE", "KNOB_TUNE", "DREAM_DECAY", "OPTIMIZE_LANCE", "COMPACT_RECORDS"];
const BUMPS = new Set(["heartbeat_refresh", "request_arrived", "wake_signal"]);

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

  constructor(
    readonly dir: string,
    private readonly random: () => number = Math.random,
    private readonly clock: DaemonClock = { now: () => Date.now() },
  ) {
    const profile = findProfile("iai-mcp");
    if (!profile) throw new Error("built-in profile iai-mcp is missing");
    this.machine = profile.machine;
    const ts = this.ts();
    this.record = {
      current_state: this.machine.initial,
      since_ts: ts,
      last_activity_ts: ts,
      wrapper_event_seq: 0,
      sleep_cycle_progress: null,
      quarantine: null,
      shadow_run: false,
    };
  }

  get state(): string {
    return this.record.current_state;
  }

  /** Create the folder layout and the first state file, or carry on from the state file there (a restart). */
  init(): void {
    fs.mkdirSync(path.join(this.dir, LOG_DIR), { recursive: true });
    try {
      const existing = JSON.parse(fs.readFileSync(path.join(this.dir, STATE_FILE), "utf8")) as IaiStateRecord;
      if (typeof existing.current_state === "string") {
        this.record = existing;
        return;
      }
    } catch {
      // No state yet (or unreadable): start fresh, as a new install does.
    }
    withLifecycleLock(this.dir, () => writeStateFile(this.dir, this.record));
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
    appendLogLine(this.dir, { ts: this.ts(), event: "sleep_step_started", step: name, step_num: stepNum });
    const duration = Math.round(this.random() * 3000) / 1000;
    appendLogLine(this.dir, { ts: this.ts(), event: "sleep_step_completed", step: name, step_num: stepNum, duration_sec: duration });
    this.sleepStep += 1;
  }

  /** One dispatch: the whole read-compute-write under the lifecycle lock, as the real daemon. */
  dispatch(event: string, payload: Payload = {}): DispatchResult {
    return withLifecycleLock(this.dir, () => {
      const from = this.record.current_state;
      const result = step(this.machine, from, event, payload);
      const bump = BUMPS.has(event);
      if (result.outcome !== "taken" && !bump) return { event, from, to: from, taken: false };
      const ts = this.ts();
      const next: IaiStateRecord = { ...this.record };
      if (bump) {
        next.last_activity_ts = ts;
        next.wrapper_event_seq += 1;
      }
      if (result.outcome === "taken") {
        next.current_state = result.next;
        next.since_ts = ts;
      }
      this.record = next;
      writeStateFile(this.dir, next);
      if (result.outcome !== "taken") return { event, from, to: from, taken: false };
      const logFile = appendLogLine(this.dir, {
        ts: this.ts(),
        event: "state_transition",
        from,
        to: result.next,
        trigger: event,
      });
      return { event, from, to: result.next, taken: true, logFile };
    });
  }
}
