/**
 * A sandbox run as the UI records it — the steps a user took on a private copy of a machine — and
 * the transitions those steps wrote: one per hop of a `taken` step's path (eventless transitions
 * can continue a step, each hop is its own transition). Pure: no I/O, no clock.
 */
import { FsmError } from "../errors";

/** One step a sandbox took (what the UI records). */
export interface SandboxStep {
  /** Virtual time of the step, epoch ms (the sandbox has its own clock; increasing). */
  tsMs: number;
  /** e.g. "daemon", a lease id, an ecluse session id, a duckgres worker id. */
  instance: string;
  /** The event injected. */
  event: string;
  payload: Record<string, unknown>;
  /** State before. */
  from: string;
  /** State after (== from when the event was ignored/blocked/targetless). */
  to: string;
  /** States passed through, from first, to last (eventless transitions can continue a step): each hop is its own transition. */
  path: string[];
  outcome: "taken" | "ignored" | "guard-blocked";
}

/** The profiles whose file formats a sandbox run can be written in. */
export const SANDBOX_PROFILE_IDS = ["iai-mcp", "jumpstarter", "ecluse", "duckgres"] as const;
export type SandboxProfileId = (typeof SANDBOX_PROFILE_IDS)[number];

export interface SandboxRun {
  profileId: SandboxProfileId | string;
  /** Virtual time the run started at, epoch ms. */
  startMs: number;
  steps: SandboxStep[];
  /** Instance -> its state when the run started. */
  initial: Record<string, string>;
}

/** One transition a run wrote: a hop of a taken step. */
export interface SandboxHop {
  instance: string;
  from: string;
  to: string;
  event: string;
  payload: Record<string, unknown>;
  tsMs: number;
  /** Index of the step in the run, and of the hop in the step's path. */
  step: number;
  hop: number;
}

export function isSandboxProfileId(id: string): id is SandboxProfileId {
  return (SANDBOX_PROFILE_IDS as readonly string[]).includes(id);
}

/** The profile a run names, or a clear refusal. */
export function sandboxProfileId(id: unknown): SandboxProfileId {
  if (typeof id === "string" && isSandboxProfileId(id)) return id;
  throw new FsmError({
    code: "sandbox-unknown-profile",
    message: `cannot write a sandbox run of profile ${JSON.stringify(id)}: only the built-in profiles have a file format to write.`,
    hint: `Use one of ${SANDBOX_PROFILE_IDS.join(", ")}, or save a recording instead.`,
  });
}

/** The (from, to) pairs a step wrote: one per hop of a taken step's path; none otherwise. */
export function hopsOf(step: Pick<SandboxStep, "outcome" | "path">): [string, string][] {
  if (step.outcome !== "taken" || step.path.length < 2) return [];
  const out: [string, string][] = [];
  for (let i = 1; i < step.path.length; i++) out.push([step.path[i - 1] as string, step.path[i] as string]);
  return out;
}

function badStep(index: number, message: string, hint = "The run does not hang together; export it again from the sandbox."): FsmError {
  return new FsmError({ code: "sandbox-bad-step", message: `step ${index + 1}: ${message}`, hint });
}

const OUTCOMES = new Set(["taken", "ignored", "guard-blocked"]);

/** Checks the shape of a step that may have come through IPC or JSON. */
function checkShape(step: SandboxStep, index: number): void {
  if (typeof step !== "object" || step === null) throw badStep(index, "is not a step.");
  if (typeof step.tsMs !== "number" || !Number.isFinite(step.tsMs) || step.tsMs < 0) throw badStep(index, `its time ${String(step.tsMs)} is not an epoch time in ms.`);
  if (typeof step.instance !== "string" || step.instance === "") throw badStep(index, "has no instance.");
  if (typeof step.event !== "string") throw badStep(index, "has no event.");
  if (typeof step.from !== "string" || step.from === "" || typeof step.to !== "string" || step.to === "") throw badStep(index, "has no from or to state.");
  if (!OUTCOMES.has(step.outcome)) throw badStep(index, `its outcome ${JSON.stringify(step.outcome)} is not taken, ignored or guard-blocked.`);
  if (!Array.isArray(step.path) || step.path.some((s) => typeof s !== "string" || s === "")) throw badStep(index, "its path is not a list of state names.");
  if (typeof step.payload !== "object" || step.payload === null || Array.isArray(step.payload)) throw badStep(index, "its payload is not an object.");
}

/**
 * Where each instance of a run is, step by step. `plan` checks a step against it (its shape, its
 * `from`, its path) without moving anything; `commit` moves the instance once the step is written.
 */
export class StepTracker {
  private readonly states = new Map<string, string>();
  private count = 0;

  constructor(initial: Record<string, string> | ReadonlyMap<string, string> = new Map()) {
    const entries = initial instanceof Map ? [...initial] : Object.entries(initial as Record<string, string>);
    for (const [instance, state] of entries) {
      if (instance === "" || typeof state !== "string" || state === "") {
        throw new FsmError({ code: "sandbox-bad-step", message: `the run's initial state of ${JSON.stringify(instance)} is ${JSON.stringify(state)}, not a state name.`, hint: "Export the run again from the sandbox." });
      }
      this.states.set(instance, state);
    }
  }

  /** The state of each instance known so far (initial ones first, then in order of first step). */
  get current(): ReadonlyMap<string, string> {
    return this.states;
  }

  /** The steps committed so far. */
  get steps(): number {
    return this.count;
  }

  /** The hops of the next step, after checking it; nothing moves. Throws an FsmError for a step that does not follow. */
  plan(step: SandboxStep): SandboxHop[] {
    const index = this.count;
    checkShape(step, index);
    const at = this.states.get(step.instance);
    if (at !== undefined && at !== step.from) throw badStep(index, `${step.instance} is in ${at}, but the step starts from ${step.from}.`);
    const hops = hopsOf(step);
    if (hops.length > 0) {
      if (step.path[0] !== step.from || step.path[step.path.length - 1] !== step.to) throw badStep(index, `its path ${step.path.join(" -> ")} does not go from ${step.from} to ${step.to}.`);
    } else if (step.to !== step.from) {
      throw badStep(index, `it is ${step.outcome} with no path, yet goes from ${step.from} to ${step.to}.`);
    }
    return hops.map(([from, to], hop) => ({ instance: step.instance, from, to, event: step.event, payload: step.payload, tsMs: step.tsMs, step: index, hop }));
  }

  /** The step is written: its instance is now in `to`. */
  commit(step: SandboxStep): void {
    this.states.set(step.instance, step.to);
    this.count += 1;
  }
}

/** Every hop of a run, in order, after checking every step. */
export function runHops(run: SandboxRun): SandboxHop[] {
  const tracker = new StepTracker(run.initial);
  const out: SandboxHop[] = [];
  for (const step of run.steps) {
    out.push(...tracker.plan(step));
    tracker.commit(step);
  }
  return out;
}

/**
 * Each instance's state when the run started: its initial state, else the `from` of its first
 * step. In that order: initial instances first, then the others as they first step.
 */
export function startStates(run: SandboxRun): Map<string, string> {
  const out = new Map<string, string>(Object.entries(run.initial));
  for (const s of run.steps) if (!out.has(s.instance)) out.set(s.instance, s.from);
  return out;
}

/** A payload value by name, own properties only (a payload came from a user: "__proto__" is just a name). */
export function payloadValue(payload: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(payload, key) ? payload[key] : undefined;
}

/** A payload value that is a non-empty string, else undefined. */
export function payloadString(payload: Record<string, unknown>, key: string): string | undefined {
  const v = payloadValue(payload, key);
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * The one instance of a single-instance profile (iai-mcp: the daemon), checking that a step is
 * about it: its files have no instance field, so a step of another instance could not be read back
 * as its own.
 */
export function checkSingleInstance(id: string, step: SandboxStep, index: number): void {
  if (step.instance !== id) throw badStep(index, `is about ${JSON.stringify(step.instance)}, but this profile has one instance, ${id}.`, `Step the ${id} only.`);
}
