/** The sandbox's timeline: steps, undo, redo, branches kept, jumps, and where it leaves the original path. */
import { describe, expect, it } from "vitest";
import { findProfile } from "../../shared/profiles";
import { ahead, branchTips, current, divergence, hops, initialContext, line, newTimeline, reduce, type SandboxCommand, type SandboxTimeline } from "../../shared/sandbox/timeline";

const iai = findProfile("iai-mcp")?.machine;
if (!iai) throw new Error("iai-mcp");

function start(original: { from: string; to: string }[] = []): SandboxTimeline {
  return newTimeline({ origin: "machine", instance: "daemon", state: "WAKE", context: initialContext(iai as never), tsMs: 1_000, history: [], original, label: "test" });
}

const apply = (t: SandboxTimeline, ...cmds: SandboxCommand[]): SandboxTimeline => cmds.reduce((acc, c) => reduce(acc, iai as never, c), t);
const send = (event: string, payload = {}): SandboxCommand => ({ type: "send", event, payload });

describe("sandbox timeline", () => {
  it("steps, with the virtual clock advanced by each step", () => {
    const t = apply(start(), send("idle_5min"), send("idle_30min", { sleep_eligible: true }));
    expect(current(t)).toMatchObject({ state: "SLEEP", tsMs: 3_000 });
    expect(line(t).map((n) => n.event)).toEqual(["idle_5min", "idle_30min"]);
  });

  it("undo and redo move along the line; undo at the start and redo at the end change nothing", () => {
    const t0 = start();
    expect(apply(t0, { type: "undo" })).toBe(t0);
    const t = apply(t0, send("idle_5min"), send("idle_30min", { sleep_eligible: true }), { type: "undo" }, { type: "undo" });
    expect(current(t).state).toBe("WAKE");
    expect(ahead(t).map((n) => n.event)).toEqual(["idle_5min", "idle_30min"]);
    const r = apply(t, { type: "redo" }, { type: "redo" });
    expect(current(r).state).toBe("SLEEP");
    expect(apply(r, { type: "redo" })).toBe(r);
  });

  it("an event sent after undo starts a branch; the old branch stays, and jumping there makes redo lead back to it", () => {
    const t = apply(start(), send("idle_5min"), send("idle_30min", { sleep_eligible: true }), { type: "undo" }, send("request_arrived"));
    expect(current(t).state).toBe("WAKE");
    expect(t.nodes).toHaveLength(3);
    const tips = branchTips(t);
    expect(tips.map((n) => n.event).sort()).toEqual(["idle_30min", "request_arrived"]);
    const old = tips.find((n) => n.event === "idle_30min");
    const back = apply(t, old ? { type: "jump", to: old.id } : { type: "jump" }, { type: "jump" });
    expect(current(back).state).toBe("WAKE");
    expect(ahead(back).map((n) => n.event)).toEqual(["idle_5min", "idle_30min"]);
  });

  it("blocked and ignored events are steps too, and move nothing", () => {
    const t = apply(start(), send("idle_5min"), send("idle_30min", { sleep_eligible: false }), send("wake_signal"));
    expect(line(t).map((n) => n.result.outcome)).toEqual(["taken", "guard-blocked", "ignored"]);
    expect(hops(t)).toEqual([{ from: "WAKE", to: "DROWSY", event: "idle_5min", node: 0 }]);
  });

  it("tells where the sandbox leaves the path it was forked from", () => {
    const base = start([
      { from: "WAKE", to: "DROWSY" },
      { from: "DROWSY", to: "SLEEP" },
    ]);
    expect(divergence(apply(base, send("idle_5min")))).toBeUndefined();
    const d = divergence(apply(base, send("idle_5min"), send("request_arrived")));
    expect(d).toEqual({ index: 1, ours: { from: "DROWSY", to: "WAKE", event: "request_arrived", node: 1 }, theirs: { from: "DROWSY", to: "SLEEP" } });
  });
});
