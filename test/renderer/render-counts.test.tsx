// @vitest-environment happy-dom
/**
 * A batch of observations draws again only the panels whose piece of the model it changed: the
 * real App and store, each panel wrapped to count its renders, three kinds of batch (another line
 * of a known instance, a transition, a lock) — and a fleet of 2,000 instances where one batch of
 * 50 transitions still draws the untouched panels zero times.
 */
import { act, createElement, type ComponentType } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FsmApi } from "../../shared/ipc/contract";
import type { SessionSummary } from "../../shared/ipc/views";
import type { Observation } from "../../shared/trace/observation";
import { applyAll, emptyModel } from "../../shared/trace/session-model";
import { requireProfile } from "../../shared/profiles";

// React's act() warns unless the test environment says it is one.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const renders = new Map<string, number>();
function counted<P extends object>(name: string, C: ComponentType<P>): ComponentType<P> {
  const Wrapped = (props: P): React.ReactNode => {
    renders.set(name, (renders.get(name) ?? 0) + 1);
    return createElement(C, props);
  };
  return Wrapped;
}

// Each panel counted where the App imports it; the diagram (xyflow needs a real layout) only counted.
vi.doMock("../../renderer/src/graph/MachineDiagram", () => ({ MachineDiagram: counted("MachineDiagram", () => null) }));
const COUNTED = [
  ["../../renderer/src/features/instances/InstancePanel", "InstancePanel"],
  ["../../renderer/src/features/locks/LockPanel", "LockPanel"],
  ["../../renderer/src/features/timeline/TransitionList", "TransitionList"],
  ["../../renderer/src/features/timeline/EventList", "EventList"],
  ["../../renderer/src/features/warnings/SessionWarnings", "SessionWarnings"],
  ["../../renderer/src/features/header/Header", "Header"],
  ["../../renderer/src/features/sessions/SessionBar", "SessionBar"],
] as const;
for (const [path, name] of COUNTED) {
  vi.doMock(path, async (original) => {
    const mod = (await original()) as Record<string, ComponentType<object>>;
    return { ...mod, [name]: counted(name, mod[name] as ComponentType<object>) };
  });
}

const { App } = await import("../../renderer/src/app/App");
const { useStore } = await import("../../renderer/src/store/store");

const PROFILE = requireProfile("ecluse");
const SUMMARY: SessionSummary = { id: "s1", title: "fleet", target: "/tmp/x", profileId: PROFILE.id, kind: "live", openedAt: "2026-06-10T00:00:00.000Z", instanceLabel: "session" };
const T0 = Date.UTC(2026, 5, 10);
let seq = 0;
const at = (i: number): string => new Date(T0 + i * 1000).toISOString();
const transition = (instance: string, from: string, to: string): Observation => ({ kind: "transition", seq: ++seq, instance, from, to, ts: at(seq), tsFrom: "artifact", source: { file: "/tmp/x/state.json" } });
const line = (instance: string): Observation => ({ kind: "event", seq: ++seq, instance, name: "heartbeat", ts: at(seq), tsFrom: "artifact", source: { file: "/tmp/x/log.jsonl", line: seq } });
const lock = (): Observation => ({ kind: "lock", seq: ++seq, path: "/tmp/x/.lock", holders: [], waiters: [], ts: at(seq), tsFrom: "observed", source: { file: "/tmp/x/.lock" } });

const api = new Proxy({}, { get: () => () => new Promise(() => undefined) }) as unknown as FsmApi;
let root: Root | undefined;

function open(instances: number): void {
  const first: Observation[] = [];
  for (let i = 0; i < instances; i++) first.push(transition(`w${i}`, "absent", "pending"));
  const model = applyAll(emptyModel(), first);
  act(() => {
    useStore.getState().setConnection("open");
    useStore.getState().setSessions([SUMMARY]);
    useStore.getState().loadSnapshot({ summary: SUMMARY, machine: PROFILE.machine, model });
  });
  const el = document.createElement("div");
  document.body.append(el);
  act(() => {
    root = createRoot(el);
    root.render(createElement(App, { api }));
  });
}

/** Renders of each panel while `items` are applied as one batch. */
function batch(items: Observation[]): Record<string, number> {
  renders.clear();
  act(() => useStore.getState().applyObservations(SUMMARY.id, items));
  return Object.fromEntries(renders);
}

beforeEach(() => {
  renders.clear();
  seq = 0;
});
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = "";
});
// Test files may share a worker: leave the store and the modules as they were.
afterAll(() => {
  useStore.setState(useStore.getInitialState(), true);
  vi.doUnmock("../../renderer/src/graph/MachineDiagram");
  for (const [path] of COUNTED) vi.doUnmock(path);
  vi.resetModules();
});

describe("what a batch of observations draws again", () => {
  it("only the panels whose piece of the model changed", () => {
    open(3);
    // Opened: every panel drawn.
    for (const name of ["InstancePanel", "LockPanel", "TransitionList", "EventList", "SessionWarnings", "Header", "MachineDiagram"]) expect(renders.get(name), name).toBeGreaterThan(0);

    // Another line of a known instance: its last time (the instance list), the lines, the diagram's model.
    expect(batch([line("w1")])).toEqual({ InstancePanel: 1, EventList: 1, MachineDiagram: 1 });
    // A transition of an instance that is not the one shown: the list, the transitions, the diagram.
    expect(batch([transition("w2", "pending", "up")])).toEqual({ InstancePanel: 1, TransitionList: 1, MachineDiagram: 1 });
    // A lock: its panel only.
    expect(batch([lock()])).toEqual({ LockPanel: 1 });
    // The shown instance moving: the same panels (the diagram lights its new state).
    expect(batch([transition("w0", "pending", "up")])).toEqual({ InstancePanel: 1, TransitionList: 1, MachineDiagram: 1 });
    // Nothing new: nothing drawn.
    expect(batch([])).toEqual({});
  });

  it("a fleet of 2,000: a batch of 50 transitions draws each changed panel once and the others not at all", () => {
    open(2000);
    const items = Array.from({ length: 50 }, (_, i) => transition(`w${100 + i}`, "pending", "up"));
    const counts = batch(items);
    expect(counts).toEqual({ InstancePanel: 1, TransitionList: 1, MachineDiagram: 1 });
    const model = useStore.getState().views[SUMMARY.id]?.model;
    expect(model?.instances["w120"]?.state).toBe("up");
  });
});
