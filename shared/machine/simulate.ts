/**
 * `simulate`: run a machine from its initial state through a list of events and report the active
 * atomic and final states after each — for scripts and conformance tests (SCXML's W3C semantics
 * for SCXML files, XState's for XState configs). A machine whose behaviour depends on something
 * never evaluated here (a cond expression, executable content that raises or sends events, a
 * data model, code guards) is refused, never answered wrongly. Pure.
 */
import type { MachineDefinition } from "./definition";
import { normalize } from "./normalize";
import { get } from "../dict";
import { advanceChart, sendChart, startChart, type ChartRun } from "./chart-step";
import { formatConfiguration } from "./chart";
import { step } from "./step";

/** Why a machine cannot be simulated faithfully: which element, where. */
export interface Refusal {
  element: string;
  line?: number;
  why: string;
}

/** A virtual-time step in an event list: `+5s`, `+250ms`, `+2m` (the delayed transitions due by then fire). */
export function parseAdvance(token: string): number | undefined {
  const m = /^\+(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(token.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n;
}

const EVALUATED_GUARDS = new Set(["payload", "not", "event"]);
const EFFECT_ACTION = /^(?:xstate\.)?(?:raise|send|sendTo|sendParent|forwardTo|emit|enqueueActions|spawnChild)\b/i;

/** Guards and actions of an XState config whose effect is code (never evaluated here). */
export function definitionRefusals(def: MachineDefinition): Refusal[] {
  const out: Refusal[] = [];
  for (const e of normalize(def).edges) {
    const where = e.from === "*" ? "a root-level transition" : `state "${e.from}"`;
    if (e.guard && !EVALUATED_GUARDS.has(e.guard.type)) out.push({ element: `guard "${e.guard.type}" (${where}, ${e.event || "eventless"})`, why: "a named guard is code, which is never run here" });
    for (const a of e.actions ?? []) if (EFFECT_ACTION.test(a.type)) out.push({ element: `action "${a.type}" (${where})`, why: "it raises or sends an event" });
  }
  return out;
}

export interface Simulation {
  /** After the initial transition, then after each event: the active atomic and final state ids, sorted. */
  configurations: string[][];
  /** One line per item for people: `start: a, b`, `e1 → c`. */
  lines: string[];
}

/** Run `def` through `items` (event names, or `+5s`-style advances of the virtual clock). */
export function simulate(def: MachineDefinition, items: readonly string[]): Simulation {
  const m = normalize(def);
  const chart = m.chart;
  if (!chart) return simulateFlat(def, m.initial, items);
  const scxml = def.eventMatching === "scxml";
  const idOf = (path: string): string => {
    const node = get(chart.nodes, path);
    return scxml ? (node?.id ?? node?.key ?? path) : path;
  };
  const ids = (run: ChartRun): string[] => run.configuration.map(idOf).sort();
  let run = startChart(def);
  const configurations = [ids(run)];
  const lines = [`start: ${formatConfiguration(chart, run.configuration)}`];
  for (const item of items) {
    const ms = parseAdvance(item);
    if (ms !== undefined) {
      const r = advanceChart(def, run, ms);
      run = r.run;
      lines.push(`${item}: ${r.steps.length === 0 ? "no delayed transition due" : r.steps.map((s) => s.explanation).join(" ")} → ${formatConfiguration(chart, run.configuration)}`);
    } else {
      const s = sendChart(def, run, item);
      run = s.run;
      lines.push(`${item}: ${s.explanation}`);
    }
    configurations.push(ids(run));
  }
  return { configurations, lines };
}

/** A flat machine: one state at a time, stepped by step() (no delays to advance). */
function simulateFlat(def: MachineDefinition, initial: string, items: readonly string[]): Simulation {
  let state = initial;
  const configurations = [[state]];
  const lines = [`start: ${state}`];
  for (const item of items) {
    if (parseAdvance(item) !== undefined) lines.push(`${item}: no delayed transitions in a flat machine → ${state}`);
    else {
      const r = step(def, state, item);
      state = r.next;
      lines.push(`${item}: ${r.explanation}`);
    }
    configurations.push([state]);
  }
  return { configurations, lines };
}
