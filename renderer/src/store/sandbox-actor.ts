/**
 * A sandbox is an XState actor: its logic is the pure timeline reducer (shared/sandbox/timeline.ts,
 * each step a step() of the machine through XState's own functions), its snapshot the timeline.
 * Components bind to it with @xstate/react's useSelector.
 */
import { createActor, fromTransition, type ActorRefFrom } from "xstate";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { reduce, type SandboxCommand, type SandboxTimeline } from "../../../shared/sandbox/timeline";

export function sandboxLogic(machine: MachineDefinition) {
  return fromTransition((t: SandboxTimeline, cmd: SandboxCommand) => reduce(t, machine, cmd), ({ input }: { input: SandboxTimeline }) => input);
}

export type SandboxActor = ActorRefFrom<ReturnType<typeof sandboxLogic>>;

/** A started sandbox actor at the given timeline. */
export function startSandbox(machine: MachineDefinition, timeline: SandboxTimeline): SandboxActor {
  return createActor(sandboxLogic(machine), { input: timeline }).start();
}
