/**
 * Stuck instances: an instance whose time in its state is past a limit — the profile's (ecluse's
 * pending > 15 min), a state's own `meta.maxDwellMs` (a user can add it to any profile), or by
 * default three times the 99th percentile of that state's observed stays, once there are at
 * least MIN_SAMPLES of them. Pure: "now" is a parameter.
 */
import type { MachineDefinition } from "../machine/definition";
import type { Profile } from "../profiles/profile";
import type { Dict } from "../dict";
import { get } from "../dict";
import { formatDuration, parseIsoMs } from "./time";
import { percentile } from "./stats";
import type { SessionModel } from "./session-model";

/** Stays of a state needed before its p99 sets a limit. */
export const MIN_SAMPLES = 20;
export const P99_FACTOR = 3;

export interface StuckLimit {
  ms: number;
  /** Where the limit comes from, for people. */
  from: "profile" | "state" | "p99";
}

export interface StuckInstance {
  id: string;
  state: string;
  inStateMs: number;
  limit: StuckLimit;
}

/** A state's own limit, written in the machine: `"meta": { "maxDwellMs": 60000 }`. */
function stateLimit(machine: MachineDefinition, state: string): number | undefined {
  const def = Object.hasOwn(machine.states, state) ? machine.states[state] : undefined;
  const v = def?.meta?.["maxDwellMs"];
  return typeof v === "number" && v > 0 ? v : undefined;
}

/** The limit for each state: the state's own, the profile's, else p99 × 3 of enough observed stays. */
export function stuckLimit(profile: Pick<Profile, "machine" | "warnings">, dwell: Dict<number[]>, state: string): StuckLimit | undefined {
  const own = stateLimit(profile.machine, state);
  if (own !== undefined) return { ms: own, from: "state" };
  const w = profile.warnings;
  if (w?.pendingState === state && w.pendingAfterMs !== undefined) return { ms: w.pendingAfterMs, from: "profile" };
  const samples = get(dwell, state) ?? [];
  if (samples.length < MIN_SAMPLES) return undefined;
  const sorted = Float64Array.from(samples).sort();
  return { ms: percentile(sorted, 99) * P99_FACTOR, from: "p99" };
}

/** The instances past their state's limit at `now`, longest over first. Final states are never stuck. */
export function stuckInstances(profile: Pick<Profile, "machine" | "warnings">, model: SessionModel, now: number): StuckInstance[] {
  if (Number.isNaN(now)) return [];
  const finals = new Set(Object.entries(profile.machine.states).flatMap(([name, s]) => (s.type === "final" ? [name] : [])));
  const limits = new Map<string, StuckLimit | undefined>();
  const out: StuckInstance[] = [];
  for (const inst of Object.values(model.instances)) {
    if (!inst.state || finals.has(inst.state) || !inst.since) continue;
    const since = parseIsoMs(inst.since);
    if (since === undefined) continue;
    if (!limits.has(inst.state)) limits.set(inst.state, stuckLimit(profile, model.dwell, inst.state));
    const limit = limits.get(inst.state);
    const inStateMs = now - since;
    if (limit && inStateMs > limit.ms) out.push({ id: inst.id, state: inst.state, inStateMs, limit });
  }
  return out.sort((a, b) => b.inStateMs - b.limit.ms - (a.inStateMs - a.limit.ms));
}

const FROM: Record<StuckLimit["from"], string> = { profile: "the profile's limit", state: "the state's maxDwellMs", p99: "3 × the 99th percentile of its observed stays" };

/** One sentence: who, where, how long, past which limit and why that limit. */
export function stuckMessage(s: StuckInstance): string {
  return `${s.id} has been in ${s.state} for ${formatDuration(s.inStateMs)}, past ${formatDuration(s.limit.ms)} (${FROM[s.limit.from]}).`;
}
