/** Starting a sandbox: from a machine's initial state, a live instance's current state, a replay position. */
import type { FsmApi } from "../../../../shared/ipc/contract";
import type { MachineDefinition } from "../../../../shared/machine/definition";
import type { Observation, TransitionObservation } from "../../../../shared/trace/observation";
import { initialContext, type ForkHop, type SandboxStart } from "../../../../shared/sandbox/timeline";
import { parseIsoMs } from "../../../../shared/trace/time";
import { findProfile } from "../../../../shared/profiles";
import { shownInstance } from "../instances/listed";
import { useStore } from "../../store/store";
import { normalize } from "../../../../shared/machine/normalize";
import { startChart } from "../../../../shared/machine/chart-step";
import { formatConfiguration } from "../../../../shared/machine/chart";


/** The instance a sandbox of a machine stands for: a single-instance program's own (iai-mcp's "daemon"), else "sandbox". */
function machineInstance(profileId: string): string {
  const instances = findProfile(profileId)?.instances;
  return instances?.kind === "single" ? instances.id : "sandbox";
}

export function openMachineSandbox(profileId: string, machine: MachineDefinition, title: string): string {
  const tsMs = Date.now();
  const start: SandboxStart = { origin: "machine", instance: machineInstance(profileId), state: machine.initial, context: initialContext(machine), tsMs, history: [], original: [], label: `${title}, initial state` };
  // A statechart starts in its initial configuration (eventless transitions taken, delays started).
  const chart = normalize(machine).chart;
  if (chart) {
    const run = startChart(machine, tsMs);
    start.chart = run;
    start.state = formatConfiguration(chart, run.configuration);
  }
  return useStore.getState().openSandbox({ profileId, machine, start, title: `${profileId} · ${start.state}` });
}

/** A live instance's current state (its history so far comes along); the live view is not touched. */
export function openLiveSandbox(sessionId: string, instance: string): string | undefined {
  const s = useStore.getState();
  const view = s.views[sessionId];
  const state = view?.model.instances[instance]?.state;
  if (!view || !state) return undefined;
  const history: ForkHop[] = view.model.recent.filter((o) => o.instance === instance).map(hopOf);
  const start: SandboxStart = { origin: "live", instance, state, context: initialContext(view.machine), tsMs: Date.now(), history, original: [], label: `${view.summary.title}, ${instance} in ${state}`, live: { sessionId, afterSeq: view.model.seq } };
  return s.openSandbox({ profileId: view.summary.profileId, machine: view.machine, start, title: `${instance} · ${state}` });
}

function hopOf(o: { from: string; to: string; event?: string; ts?: string }): ForkHop {
  const h: ForkHop = { from: o.from, to: o.to };
  if (o.event !== undefined) h.event = o.event;
  if (o.ts !== undefined) h.ts = o.ts;
  return h;
}

const transitionsOf = (items: Observation[]): ForkHop[] => items.flatMap((o) => (o.kind === "transition" ? [hopOf(o)] : []));

/** A replay position: the instance at the cursor, the recording's history up to there, and what it did next (for the diff). */
export async function openReplaySandbox(api: FsmApi, sessionId: string, instance: string): Promise<string | undefined> {
  const s = useStore.getState();
  const view = s.views[sessionId];
  const replay = s.replays[sessionId];
  const state = view?.model.instances[instance]?.state;
  if (!view || !replay || !state) return undefined;
  const filter = { instance };
  const [before, after] = await Promise.all([
    api.replayPage({ sessionId, from: replay.position, count: 200, before: true, filter }),
    // A forward page starts after `from`.
    api.replayPage({ sessionId, from: replay.position, count: 200, filter }),
  ]);
  // The sandbox's own clock starts at the recording's time there (now, for a log without times).
  const at = (replay.ts ? parseIsoMs(replay.ts) : undefined) ?? Date.now();
  const start: SandboxStart = {
    origin: "replay",
    instance,
    state,
    context: initialContext(view.machine),
    tsMs: at,
    history: transitionsOf(before.items),
    original: transitionsOf(after.items),
    label: `${view.summary.title} at #${replay.position.toLocaleString("en")}, ${instance} in ${state}`,
  };
  return s.openSandbox({ profileId: view.summary.profileId, machine: view.machine, start, title: `${instance} · ${state} @#${replay.position}` });
}

/** Fork the session on screen: its selected instance (live, replay) or its machine (a machine opened to read). */
export async function forkActiveView(api: FsmApi): Promise<string | undefined> {
  const s = useStore.getState();
  const view = s.activeSessionId && !s.activeSandboxId ? s.views[s.activeSessionId] : undefined;
  if (!view) return undefined;
  const { summary, model } = view;
  if (summary.kind === "machine") return openMachineSandbox(summary.profileId, view.machine, summary.title);
  const instance = shownInstance(model, s.selectedInstance);
  if (!instance) return undefined;
  return summary.kind === "replay" ? openReplaySandbox(api, summary.id, instance) : openLiveSandbox(summary.id, instance);
}

/** What a live-forked instance did after the fork, from its session's latest transitions (empty once the session is closed). */
export function liveOriginal(recent: readonly TransitionObservation[] | undefined, instance: string, afterSeq: number): ForkHop[] {
  return (recent ?? []).filter((o) => o.instance === instance && o.seq > afterSeq).map(hopOf);
}
