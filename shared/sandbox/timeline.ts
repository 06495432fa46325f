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
import { chartStepResult, step, type StepResult } from "../machine/step";
import { advanceChart, chartRunAt, sendChart, type ChartRun } from "../machine/chart-step";
import { formatConfiguration, formatDelay } from "../machine/chart";
import { normalize } from "../machine/normalize";
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
  /** A statechart at the start: its history and the delays already running (absent: entered fresh from `state`). */
  chart?: ChartRun;
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
  /** A statechart after the step: what its history states remember, the delays running, its clock. */
  chart?: ChartRun;
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
  | { type: "jump"; to?: number }
  /** Statecharts: move the virtual clock on by `ms`; the delayed transitions due fire, in order. */
  | { type: "advance"; ms: number };

const START = "start";

export function newTimeline(start: SandboxStart, stepMs = 1000): SandboxTimeline {
  return { start, nodes: [], redoTo: {}, stepMs };
}

function node(t: SandboxTimeline, id: number | undefined): SandboxNode | undefined {
  return id === undefined ? undefined : t.nodes[id];
}

/** Where the sandbox is: its state, what it remembers, its virtual time (and a statechart's run). */
export function current(t: SandboxTimeline): { state: string; context: Context; tsMs: number; chart?: ChartRun } {
  const n = node(t, t.head);
  const at = n ? { state: n.result.next, context: n.result.context, tsMs: n.tsMs } : { state: t.start.state, context: t.start.context, tsMs: t.start.tsMs };
  const chart = n ? n.chart : t.start.chart;
  return chart ? { ...at, chart } : at;
}

/** A statechart's run where the sandbox is: the one kept, else the state entered fresh (its delays start now). */
export function chartRunNow(t: SandboxTimeline, def: MachineDefinition): ChartRun | undefined {
  const at = current(t);
  if (at.chart) return at.chart;
  if (!normalize(def).chart) return undefined;
  const run = chartRunAt(def, at.state, at.context);
  return run ? { ...run, nowMs: at.tsMs } : undefined;
}

/** Add a step after the head (a new branch when the head already had one). */
function append(t: SandboxTimeline, n: Omit<SandboxNode, "id" | "parent">): SandboxTimeline {
  const full: SandboxNode = { ...n, id: t.nodes.length };
  if (t.head !== undefined) full.parent = t.head;
  return { ...t, nodes: [...t.nodes, full], head: full.id, redoTo: setRedo(t.redoTo, t.head, full.id) };
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
      const chart = normalize(def).chart;
      const run = chart ? chartRunNow(t, def) : undefined;
      if (chart && run) {
        // A statechart's clock moves only when the user advances it: its delays are what time means there.
        const s = sendChart(def, run, cmd.event, payload);
        return append(t, { event: cmd.event, payload, result: chartStepResult(chart, s, at.state), tsMs: at.tsMs, chart: s.run });
      }
      return append(t, { event: cmd.event, payload, result: step(def, at.state, cmd.event, payload, at.context), tsMs: at.tsMs + t.stepMs });
    }
    case "advance": {
      const chart = normalize(def).chart;
      const run = chartRunNow(t, def);
      if (!chart || !run || !(cmd.ms >= 0) || !Number.isFinite(cmd.ms)) return t;
      const at = current(t);
      const r = advanceChart(def, run, cmd.ms);
      const path = [run.configuration, ...r.steps.flatMap((s) => s.path.slice(1))].map((c) => formatConfiguration(chart, c));
      const explanation = r.steps.length === 0 ? `${formatDelay(cmd.ms)} passed: no delayed transition was due.` : `${formatDelay(cmd.ms)} passed: ${r.steps.map((s) => s.explanation).join(" ")}`;
      const result: StepResult = { next: formatConfiguration(chart, r.run.configuration), outcome: r.steps.length > 0 ? "taken" : "ignored", path, explanation, context: r.run.context, assignments: r.steps.flatMap((s) => s.assignments), configuration: r.run.configuration };
      const edge = r.steps[0]?.edges[0];
      if (edge) result.edge = edge;
      return append(t, { event: `+${formatDelay(cmd.ms)}`, payload: {}, result, tsMs: at.tsMs + cmd.ms, chart: r.run });
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
