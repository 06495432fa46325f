/**
 * A sandbox's timeline: every step the user made, as a tree — undo moves back to the parent,
 * redo forward to the child last visited, and an event sent from an earlier step starts a new
 * branch while the old one stays, viewable. Each step is a step() of the machine (XState's own
 * functions), so what the sandbox shows is what step, check and live mean. Pure: the virtual clock
 * is part of the timeline, advanced by each step; nothing here reads a clock.
 */
import type { Json, MachineDefinition } from "../machine/definition";
import type { Payload } from "../machine/guards";
import type { Context } from "../machine/actions";
import { step, type StepResult } from "../machine/step";
import { dict } from "../dict";
import type { SandboxRun, SandboxStep } from "./run";

/** A transition the sandbox was forked after or beside: the recorded or live path. */
export interface ForkHop {
  from: string;
  to: string;
  event?: string;
  ts?: string;
}

export interface SandboxStart {
  /** Where the copy was made: the machine's initial state, a live instance, a replay position. */
  origin: "machine" | "live" | "replay";
  /** The instance the sandbox stands for (a lease id, "daemon", a worker id). */
  instance: string;
  state: string;
  context: Context;
  /** Virtual time of the start, epoch ms. */
  tsMs: number;
  /** The transitions that led there (a replay's recorded history), oldest first. */
  history: ForkHop[];
  /** What the original did next (the recording after the fork point, or the live instance since): compared with the sandbox's path. */
  original: ForkHop[];
  /** Human words for where it came from: "iai-mcp, initial state", "replay of x.jsonl at #1,204". */
  label: string;
  /** A live fork: the session and the last observation seen at the fork (what the instance did after it is the original). */
  live?: { sessionId: string; afterSeq: number };
}

export interface SandboxNode {
  id: number;
  /** The step before (undefined: the start). */
  parent?: number;
  event: string;
  payload: Payload;
  result: StepResult;
  /** Virtual time of the step, epoch ms. */
  tsMs: number;
}

export interface SandboxTimeline {
  start: SandboxStart;
  nodes: SandboxNode[];
  /** The step the sandbox is at (undefined: the start). */
  head?: number;
  /** For each step (and "start"), the child redo goes to: the one made or visited last. */
  redoTo: Record<string, number>;
  /** Virtual milliseconds between two steps. */
  stepMs: number;
}

export type SandboxCommand =
  | { type: "send"; event: string; payload?: Payload }
  | { type: "undo" }
  | { type: "redo" }
  /** Go to a step (any branch) or, with undefined, to the start. */
  | { type: "jump"; to?: number };

const START = "start";

export function newTimeline(start: SandboxStart, stepMs = 1000): SandboxTimeline {
  return { start, nodes: [], redoTo: {}, stepMs };
}

function node(t: SandboxTimeline, id: number | undefined): SandboxNode | undefined {
  return id === undefined ? undefined : t.nodes[id];
}

/** Where the sandbox is: its state, what it remembers, its virtual time. */
export function current(t: SandboxTimeline): { state: string; context: Context; tsMs: number } {
  const n = node(t, t.head);
  return n ? { state: n.result.next, context: n.result.context, tsMs: n.tsMs } : { state: t.start.state, context: t.start.context, tsMs: t.start.tsMs };
}

/** The steps from the start to the head, oldest first (the line on screen). */
export function line(t: SandboxTimeline): SandboxNode[] {
  const out: SandboxNode[] = [];
  for (let n = node(t, t.head); n; n = node(t, n.parent)) out.push(n);
  return out.reverse();
}

/** The steps redo would replay from the head, in order (the branch last visited). */
export function ahead(t: SandboxTimeline): SandboxNode[] {
  const out: SandboxNode[] = [];
  for (let id = t.redoTo[t.head === undefined ? START : String(t.head)]; id !== undefined; id = t.redoTo[String(id)]) {
    const n = t.nodes[id];
    if (!n) break;
    out.push(n);
  }
  return out;
}

/** The last step of every branch (steps nobody continued), newest first. */
export function branchTips(t: SandboxTimeline): SandboxNode[] {
  const parents = new Set(t.nodes.map((n) => n.parent));
  return t.nodes.filter((n) => !parents.has(n.id)).reverse();
}

function setRedo(redoTo: Record<string, number>, parent: number | undefined, child: number): Record<string, number> {
  return { ...redoTo, [parent === undefined ? START : String(parent)]: child };
}

/** The timeline after one command; the same object when the command changes nothing. */
export function reduce(t: SandboxTimeline, def: MachineDefinition, cmd: SandboxCommand): SandboxTimeline {
  switch (cmd.type) {
    case "send": {
      const at = current(t);
      const payload = cmd.payload ?? {};
      const result = step(def, at.state, cmd.event, payload, at.context);
      const n: SandboxNode = { id: t.nodes.length, event: cmd.event, payload, result, tsMs: at.tsMs + t.stepMs };
      if (t.head !== undefined) n.parent = t.head;
      const next: SandboxTimeline = { ...t, nodes: [...t.nodes, n], head: n.id, redoTo: setRedo(t.redoTo, t.head, n.id) };
      return next;
    }
    case "undo": {
      const n = node(t, t.head);
      if (!n) return t;
      const next: SandboxTimeline = { ...t };
      if (n.parent === undefined) delete next.head;
      else next.head = n.parent;
      return next;
    }
    case "redo": {
      const to = t.redoTo[t.head === undefined ? START : String(t.head)];
      return to === undefined ? t : { ...t, head: to };
    }
    case "jump": {
      if (cmd.to === t.head) return t;
      if (cmd.to === undefined) {
        const next = { ...t };
        delete next.head;
        return next;
      }
      if (!t.nodes[cmd.to]) return t;
      // Redo from each step on the way leads back here.
      let redoTo = t.redoTo;
      for (let n = node(t, cmd.to); n; n = node(t, n.parent)) redoTo = setRedo(redoTo, n.parent, n.id);
      return { ...t, head: cmd.to, redoTo };
    }
  }
}

/** The transitions of the sandbox's line, one per hop (eventless continuations included). */
export function hops(t: SandboxTimeline): (ForkHop & { node: number })[] {
  const out: (ForkHop & { node: number })[] = [];
  for (const n of line(t)) {
    const p = n.result.path;
    for (let i = 1; i < p.length; i++) out.push({ from: p[i - 1] as string, to: p[i] as string, event: n.event, node: n.id });
  }
  return out;
}

/** Where the sandbox's path leaves the original's (by default the one it was forked with; a live fork's grows): the first hop that differs, or undefined when one follows the other. */
export function divergence(t: SandboxTimeline, theirs: readonly ForkHop[] = t.start.original): { index: number; ours?: ForkHop; theirs?: ForkHop } | undefined {
  const ours = hops(t);
  const n = Math.min(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i] as ForkHop;
    const b = theirs[i] as ForkHop;
    if (a.from !== b.from || a.to !== b.to) return { index: i, ours: a, theirs: b };
  }
  return undefined;
}

/** The initial context of a machine, as a null-prototype table. */
export function initialContext(def: MachineDefinition): Context {
  return dict<Json>(Object.entries(def.context ?? {}));
}

/** The sandbox's line as a run to write in its profile's format (shared/sandbox/run.ts). */
export function runOf(t: SandboxTimeline, profileId: string): SandboxRun {
  return { profileId, startMs: t.start.tsMs, initial: { [t.start.instance]: t.start.state }, steps: line(t).map((n) => stepOf(t, n)) };
}

/** One node as a run's step: where it started, where it went, the states it passed. */
export function stepOf(t: SandboxTimeline, n: SandboxNode): SandboxStep {
  const before = n.parent !== undefined ? (t.nodes[n.parent]?.result.next ?? t.start.state) : t.start.state;
  return { tsMs: n.tsMs, instance: t.start.instance, event: n.event, payload: { ...n.payload }, from: before, to: n.result.next, path: n.result.outcome === "taken" ? [...n.result.path] : [before], outcome: n.result.outcome };
}
