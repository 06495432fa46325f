/** The instance list's choice and order: only what something is known of, filtered and sorted. */
import { describe, expect, it } from "vitest";
import { applyAll, emptyModel } from "../../shared/trace/session-model";
import type { Observation } from "../../shared/trace/observation";
import { listedIds, queryInstances, NO_QUERY } from "../../renderer/src/features/instances/listed";
import type { SandboxCommand } from "../../shared/sandbox/timeline";

const T0 = Date.parse("2026-06-10T10:00:00Z");
const iso = (ms: number): string => new Date(ms).toISOString();

function model() {
  const items: Observation[] = [
    // jumpstarter's fallback instance: an event line, no state ever.
    { kind: "event", seq: 1, instance: "exporter", name: "hook output", tsFrom: "artifact", source: {} },
    { kind: "transition", seq: 2, instance: "lease-b", from: "CREATED", to: "STARTING", ts: iso(T0), tsFrom: "artifact", source: {}, verdict: "declared" },
    { kind: "transition", seq: 3, instance: "lease-a", from: "CREATED", to: "STARTING", ts: iso(T0 + 60_000), tsFrom: "artifact", source: {}, verdict: "declared" },
    { kind: "transition", seq: 4, instance: "lease-a", from: "STARTING", to: "READY", ts: iso(T0 + 120_000), tsFrom: "artifact", source: {}, verdict: "declared" },
    { kind: "state", seq: 5, instance: "constructor", state: "READY", since: iso(T0 - 3_600_000), tsFrom: "artifact", source: {} },
  ];
  return applyAll(emptyModel(), items);
}

describe("the instance list", () => {
  it("leaves out an instance nothing is known of (no state, no transition)", () => {
    const m = model();
    expect(m.instanceOrder).toContain("exporter");
    expect(listedIds(m)).toEqual(["lease-b", "lease-a", "constructor"]);
  });

  it("filters by text, by state and by time in state, and sorts", () => {
    const m = model();
    const now = T0 + 30 * 60_000;
    expect(queryInstances(m, { ...NO_QUERY, text: "lease" }, now)).toEqual(["lease-b", "lease-a"]);
    expect(queryInstances(m, { ...NO_QUERY, state: "READY" }, now)).toEqual(["lease-a", "constructor"]);
    expect(queryInstances(m, { ...NO_QUERY, minMs: 29 * 60_000 }, now)).toEqual(["lease-b", "constructor"]);
    expect(queryInstances(m, { ...NO_QUERY, sort: "name" }, now)).toEqual(["constructor", "lease-a", "lease-b"]);
    expect(queryInstances(m, { ...NO_QUERY, sort: "longest" }, now)).toEqual(["constructor", "lease-b", "lease-a"]);
    expect(queryInstances(m, { ...NO_QUERY, sort: "state" }, now)).toEqual(["constructor", "lease-a", "lease-b"]);
  });
});

describe("observations that came before their session's snapshot", () => {
  it("are dropped with the session when it closes (no pile-up)", async () => {
    const { useStore } = await import("../../renderer/src/store/store");
    const summary = { id: "s1", title: "t", target: "/x", profileId: "iai-mcp", kind: "live" as const, openedAt: iso(T0) };
    useStore.getState().setSessions([summary]);
    useStore.getState().applyObservations("s1", [{ kind: "event", seq: 1, instance: "daemon", name: "x", tsFrom: "artifact", source: {} }]);
    expect(useStore.getState().early["s1"]).toHaveLength(1);
    useStore.getState().setSessions([]);
    expect(useStore.getState().early["s1"]).toBeUndefined();
  });
});

describe("a sandbox drawn as a session", () => {
  it("lights the state the sandbox is in: after blocked steps, undo, and with a forked history that ends elsewhere", async () => {
    const { sandboxModel } = await import("../../renderer/src/features/sandbox/sandbox-model");
    const { findProfile } = await import("../../shared/profiles");
    const { newTimeline, reduce, current, initialContext } = await import("../../shared/sandbox/timeline");
    const machine = findProfile("iai-mcp")?.machine;
    if (!machine) throw new Error("iai-mcp");
    const start = newTimeline({ origin: "replay", instance: "daemon", state: "SLEEP", context: initialContext(machine), tsMs: T0, history: [{ from: "WAKE", to: "DROWSY" }], original: [], label: "t" });
    let t = start;
    const cmds: SandboxCommand[] = [{ type: "send", event: "idle_30min", payload: { sleep_eligible: false } }, { type: "send", event: "sleep_cycle_done", payload: { still_idle: true } }, { type: "undo" }, { type: "send", event: "wake_signal" }];
    for (const cmd of cmds) t = reduce(t, machine, cmd);
    expect(sandboxModel(start).instances["daemon"]?.state).toBe("SLEEP");
    expect(sandboxModel(t).instances["daemon"]?.state).toBe(current(t).state);
  });
});

describe("stuck warnings beside the program's own", () => {
  it("an instance already warned about as pending too long is not listed again as stuck; the others are", async () => {
    const { notWarnedYet } = await import("../../renderer/src/features/warnings/use-stuck");
    const limit = { ms: 900_000, from: "profile" as const };
    const stuck = [
      { id: "fix-api", state: "pending", inStateMs: 1e9, limit },
      { id: "other", state: "pending", inStateMs: 1e9, limit },
    ];
    const warned = [{ kind: "warning" as const, code: "pending-too-long" as const, instance: "fix-api", message: "m", seq: 1, tsFrom: "observed" as const, source: {} }];
    expect(notWarnedYet(stuck, warned).map((s) => s.id)).toEqual(["other"]);
    expect(notWarnedYet(stuck, []).map((s) => s.id)).toEqual(["fix-api", "other"]);
  });
});
