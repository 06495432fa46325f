/**
 * Example statecharts shipped with the app, to read and try: not profiles (they watch nothing),
 * opened like a built-in profile's machine by their id (`example:lease`). Pure data.
 */
import type { MachineDefinition } from "../definition";
import lease from "./lease.json";
import worker from "./worker.json";

export interface ExampleMachine {
  /** `example:<machine id>`: what openMachine takes, never a profile's id. */
  id: string;
  title: string;
  description: string;
  machine: MachineDefinition;
}

/** The prefix of an example's id. */
export const EXAMPLE_PREFIX = "example:";

export const EXAMPLE_MACHINES: readonly ExampleMachine[] = [
  { id: `${EXAMPLE_PREFIX}lease`, title: "Example: lease (nested)", description: lease.description, machine: lease as MachineDefinition },
  { id: `${EXAMPLE_PREFIX}worker`, title: "Example: worker (parallel)", description: worker.description, machine: worker as unknown as MachineDefinition },
];

export function findExample(id: string): ExampleMachine | undefined {
  return EXAMPLE_MACHINES.find((e) => e.id === id);
}
