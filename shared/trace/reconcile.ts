/**
 * Warnings a live session raises on its own, from what its sources say (pure: time is a parameter):
 * - "sources disagree": a single-instance program's state file says one state while its log's last
 *   transition ended in another, for longer than a grace period (a writer between its two writes
 *   is normal; one stuck there is not);
 * - "pending too long": an instance (an ecluse session) has stayed in the pending state longer
 *   than the profile allows — its owner probably crashed (the profile's `pendingHint` says how to
 *   recover it).
 */
import path from "./posix-path";
import type { Profile } from "../profiles/profile";
import type { NewObservation, Observation } from "./observation";
import { KeyedWarnings, type Raised } from "./keyed-warnings";
import { formatDuration, parseIsoMs } from "./time";

interface Seen {
  state: string;
  file: string;
  line?: number;
}

export class Reconciler {
  private readonly fromStateFile = new Map<string, Seen>();
  private readonly fromLog = new Map<string, Seen>();
  private readonly disagreeSince = new Map<string, number>();
  private readonly warnings = new KeyedWarnings();
  private readonly pendingSince = new Map<string, number>();
  private readonly graceMs: number;
  private readonly pendingState: string | undefined;
  private readonly pendingAfterMs: number;
  private readonly pendingHint: string | undefined;
  private readonly singleInstance: boolean;

  constructor(profile: Profile) {
    this.graceMs = profile.warnings?.disagreeGraceMs ?? 2000;
    this.pendingState = profile.warnings?.pendingState;
    this.pendingAfterMs = profile.warnings?.pendingAfterMs ?? 15 * 60_000;
    this.pendingHint = profile.warnings?.pendingHint;
    this.singleInstance = profile.instances.kind === "single";
  }

  /** Take note of an observation; returns warnings to raise or clear now. */
  observe(o: Observation, nowMs: number): NewObservation[] {
    if (o.kind === "state") {
      if (this.singleInstance) this.fromStateFile.set(o.instance, { state: o.state, file: o.source.file ?? "" });
      this.notePending(o.instance, o.state, o.since ?? o.ts, nowMs);
    } else if (o.kind === "transition") {
      const seen: Seen = { state: o.to, file: o.source.file ?? o.source.table ?? "" };
      if (o.source.line !== undefined) seen.line = o.source.line;
      this.fromLog.set(o.instance, seen);
      this.notePending(o.instance, o.to, o.ts, nowMs);
    } else return [];
    return this.tick(nowMs);
  }

  private notePending(instance: string, state: string, since: string | undefined, nowMs: number): void {
    if (this.pendingState === undefined) return;
    if (state === this.pendingState) {
      if (!this.pendingSince.has(instance)) this.pendingSince.set(instance, (since !== undefined ? parseIsoMs(since) : undefined) ?? nowMs);
    } else this.pendingSince.delete(instance);
  }

  /** Re-evaluate with the clock (call every second or so). */
  tick(nowMs: number): NewObservation[] {
    const out: NewObservation[] = [];
    const ts = new Date(nowMs).toISOString();
    // Raised once (their message counts the time), cleared once.
    const raise = (key: string, w: Raised): void => {
      const o = this.warnings.has(key) ? undefined : this.warnings.raise(key, w, ts);
      if (o) out.push(o);
    };
    const clear = (key: string, message: string): void => {
      const o = this.warnings.clear(key, message, ts);
      if (o) out.push(o);
    };

    for (const [instance, file] of this.fromStateFile) {
      const log = this.fromLog.get(instance);
      const key = `disagree:${instance}`;
      if (!log || log.state === file.state) {
        this.disagreeSince.delete(instance);
        clear(key, `${instance}: the state file and the log agree again.`);
        continue;
      }
      const since = this.disagreeSince.get(instance) ?? nowMs;
      this.disagreeSince.set(instance, since);
      if (nowMs - since >= this.graceMs) {
        const where = `${path.basename(log.file)}${log.line !== undefined ? `:${log.line}` : ""}`;
        raise(key, {
          code: "sources-disagree",
          instance,
          message: `Sources disagree: ${path.basename(file.file)} says ${file.state}, but the last logged transition (${where}) ended in ${log.state} — for ${formatDuration(nowMs - since)} now.`,
          source: { file: file.file },
        });
      }
    }

    for (const [instance, since] of this.pendingSince) {
      const key = `pending:${instance}`;
      if (nowMs - since >= this.pendingAfterMs) {
        raise(key, {
          code: "pending-too-long",
          instance,
          message: `${instance} has been ${this.pendingState} for ${formatDuration(nowMs - since)}: its operation may have crashed.${this.pendingHint ? ` ${this.pendingHint.replaceAll("{instance}", instance)}` : ""}`,
          source: {},
        });
      }
    }
    for (const key of this.warnings.keys()) {
      if (!key.startsWith("pending:")) continue;
      const instance = key.slice("pending:".length);
      if (!this.pendingSince.has(instance)) clear(key, `${instance} is no longer ${this.pendingState}.`);
    }
    return out;
  }
}
