/**
 * Sandbox runs for the tests, made the way the sandbox makes them: each event dispatched through
 * the built-in profile's machine with the pure step(), recording from, to, path and outcome.
 * Also how to read a written file or folder back (check's reader) and compare.
 */
import { step as machineStep } from "../../../shared/machine/step";
import type { Payload } from "../../../shared/machine/guards";
import { findProfile } from "../../../shared/profiles";
import { hopsOf, type SandboxRun, type SandboxStep } from "../../../shared/sandbox/run";
import { resolveTarget } from "../../../electron/node/target/target";
import { readTarget } from "../../../electron/node/check/read-target";

export const T0 = Date.parse("2026-06-10T23:58:00Z");

/** One thing the user does: [instance, event, payload?, seconds after the previous step]. */
export type Action = [instance: string, event: string, payload?: Payload, afterS?: number];

export class RunBuilder {
  readonly steps: SandboxStep[] = [];
  private readonly at = new Map<string, string>();
  private t: number;

  constructor(
    readonly profileId: string,
    readonly initial: Record<string, string>,
    readonly startMs = T0,
  ) {
    for (const [k, v] of Object.entries(initial)) this.at.set(k, v);
    this.t = startMs;
  }

  /** Dispatches one event to an instance (starting at the machine's initial state when it has none). */
  step(instance: string, event: string, payload: Payload = {}, afterS = 1): SandboxStep {
    const profile = findProfile(this.profileId);
    if (!profile) throw new Error(`no profile ${this.profileId}`);
    const from = this.at.get(instance) ?? profile.machine.initial;
    const r = machineStep(profile.machine, from, event, payload);
    this.t += afterS * 1000;
    const s: SandboxStep = { tsMs: this.t, instance, event, payload: { ...payload }, from, to: r.next, path: r.path, outcome: r.outcome };
    this.steps.push(s);
    this.at.set(instance, r.next);
    return s;
  }

  /**
   * A step whose path the test gives (several hops, as eventless transitions would make): the
   * writers must write each hop as its own transition whatever the machine.
   */
  path(instance: string, event: string, path: string[], afterS = 1): SandboxStep {
    const from = path[0] as string;
    const to = path[path.length - 1] as string;
    this.t += afterS * 1000;
    const s: SandboxStep = { tsMs: this.t, instance, event, payload: {}, from, to, path, outcome: "taken" };
    this.steps.push(s);
    this.at.set(instance, to);
    return s;
  }

  all(actions: Action[]): this {
    for (const [instance, event, payload, afterS] of actions) this.step(instance, event, payload ?? {}, afterS ?? 1);
    return this;
  }

  run(): SandboxRun {
    return { profileId: this.profileId, startMs: this.startMs, steps: this.steps, initial: { ...this.initial } };
  }
}

/** The (instance, from, to) of every hop, in order. */
export function hopTriples(steps: readonly SandboxStep[]): [string, string, string][] {
  return steps.flatMap((s) => hopsOf(s).map(([from, to]): [string, string, string] => [s.instance, from, to]));
}

/** What check's reader (the same as replay's) reads back from a file or folder: its profile and its transitions in trace order. */
export async function readBack(target: string): Promise<{ profile: string; transitions: [string, string, string][]; problems: string[] }> {
  const t = await resolveTarget(target);
  const transitions: [string, string, string][] = [];
  const problems: string[] = [];
  for await (const batch of readTarget(t)) {
    for (const { obs } of batch) {
      if (obs.kind === "transition") transitions.push([obs.instance, obs.from, obs.to]);
      if (obs.kind === "warning") problems.push(`${obs.code}: ${obs.message}`);
    }
  }
  return { profile: t.profile.id, transitions, problems };
}

/** iai-mcp: a full sleep cycle and back, blocked and ignored events, WAKE -> WAKE, a run across midnight UTC, one made-up two-hop step. */
export function iaiRun(startMs = T0): RunBuilder {
  const b = new RunBuilder("iai-mcp", { daemon: "WAKE" }, startMs).all([
    ["daemon", "idle_5min"],
    ["daemon", "idle_30min", { sleep_eligible: false }], // guard-blocked
    ["daemon", "heartbeat_refresh"], // DROWSY -> WAKE
    ["daemon", "heartbeat_refresh"], // ignored in WAKE (but bumps the state file)
    ["daemon", "idle_5min"],
    ["daemon", "idle_30min", { sleep_eligible: true }, 40],
    ["daemon", "wake_signal"], // ignored in SLEEP
    ["daemon", "sleep_cycle_done", { still_idle: true }, 90], // past midnight
    ["daemon", "wake_signal"],
    ["daemon", "request_arrived"], // WAKE -> WAKE, logged
  ]);
  b.path("daemon", "idle_30min", ["WAKE", "DROWSY", "SLEEP"]);
  b.step("daemon", "tick"); // ignored
  return b;
}

/** jumpstarter: three leases stepped in turn, multi-hop paths through eventless transitions, a targetless taken event, ignored events. */
export function jumpstarterRun(startMs = T0): RunBuilder {
  return new RunBuilder("jumpstarter", { "c130c5d7-db1c-lease-001": "CREATED" }, startMs).all([
    ["c130c5d7-db1c-lease-001", "start"],
    ["c130c5d7-db1c-lease-001", "request_end"], // STARTING: recorded, no transition
    ["lease-002", "start"], // another lease, from CREATED
    ["c130c5d7-db1c-lease-001", "before_hook_done"], // STARTING -> BEFORE_LEASE -> READY
    ["lease-002", "before_hook_failed", { onFailure: "warn" }],
    ["lease-002", "start"], // ignored in READY
    ["c130c5d7-db1c-lease-001", "after_hook_done"], // READY -> ENDING -> AFTER_LEASE -> RELEASING -> DONE
    ["lease-002", "request_end"],
    ["lease-002", "after_hook_done", { skip_after_lease: true }], // ENDING -> RELEASING -> DONE
    ["lease-003", "fail"],
    ["lease-003", "start"], // ignored in FAILED
  ]);
}

/** ecluse: sessions reserved, committed, marked pending, removed, a slot reused, an ignored event, one up as a two-hop step. */
export function ecluseRun(startMs = T0): RunBuilder {
  const b = new RunBuilder("ecluse", {}, startMs).all([
    ["feat-auth", "reserve", { mode: "compose", branch: "feat/auth" }],
    ["fix-cache", "reserve"],
    ["feat-auth", "commit"],
    ["fix-cache", "remove"],
    ["feat-auth", "commit"], // ignored: already active
    ["feat-auth", "mark_pending"],
    ["feat-auth", "remove"],
    ["fix-cache", "reserve"],
  ]);
  b.path("docs-site", "up", ["absent", "pending", "active"]);
  b.step("fix-cache", "commit");
  return b;
}

/** duckgres: three workers through reservation, activation, a hot-idle claim, draining, retirement; a fenced-out event; a two-hop step. */
export function duckgresRun(startMs = T0): RunBuilder {
  const b = new RunBuilder("duckgres", { "1": "spawning", "2": "spawning", "3": "spawning" }, startMs).all([
    ["1", "reserve"],
    ["2", "publish_idle"],
    ["1", "activate"],
    ["1", "activated"],
    ["1", "go_idle"],
    ["1", "claim", { owner_cp_instance_id: "cp-2" }],
    ["3", "drain"],
    ["3", "mark_lost"], // ignored: draining only retires
    ["3", "retire"],
    ["2", "reserve"],
  ]);
  b.path("1", "activate", ["reserved", "activating", "hot"]);
  b.step("2", "retire", { retire_reason: "shutdown" });
  return b;
}

export const RUNS: Record<"iai-mcp" | "jumpstarter" | "ecluse" | "duckgres", (startMs?: number) => RunBuilder> = {
  "iai-mcp": iaiRun,
  jumpstarter: jumpstarterRun,
  ecluse: ecluseRun,
  duckgres: duckgresRun,
};
