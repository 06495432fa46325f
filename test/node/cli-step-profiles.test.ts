import { describe, expect, it } from "vitest";
import { cli, json } from "../helpers/cli";

describe("fsm-inspector profiles", () => {
  it("lists the four built-in profiles", async () => {
    const r = await cli(["profiles"]);
    expect(r.code).toBe(0);
    for (const id of ["iai-mcp", "jumpstarter", "ecluse", "duckgres"]) expect(r.stdout).toContain(id);
    const list = json<{ id: string }[]>(await cli(["profiles", "--json"]));
    expect(list.map((p) => p.id)).toEqual(["iai-mcp", "jumpstarter", "ecluse", "duckgres"]);
  });
});

describe("fsm-inspector step", () => {
  it("prints next, outcome, guard and an explanation as JSON", async () => {
    const taken = json<Record<string, unknown>>(await cli(["step", "--profile", "iai-mcp", "--state", "DROWSY", "--event", "idle_30min", "--payload", '{"sleep_eligible": true}', "--json"]));
    expect(taken).toMatchObject({ next: "SLEEP", outcome: "taken", guard: null });
    expect(String(taken["explanation"])).toMatch(/idle_30min moves DROWSY to SLEEP/);

    const blocked = json<Record<string, unknown>>(await cli(["step", "--profile", "iai-mcp", "--state", "DROWSY", "--event", "idle_30min", "--payload", '{"sleep_eligible": false}', "--json"]));
    expect(blocked).toMatchObject({ next: "DROWSY", outcome: "guard-blocked", guard: "sleep_eligible", payload: { sleep_eligible: false } });

    const ignored = json<Record<string, unknown>>(await cli(["step", "--profile", "iai-mcp", "--state", "SLEEP", "--event", "tick", "--json"]));
    expect(ignored).toMatchObject({ next: "SLEEP", outcome: "ignored", guard: null });
  });

  it("follows a jumpstarter hook failure through the ending phase", async () => {
    const r = json<Record<string, unknown>>(await cli(["step", "--profile", "jumpstarter", "--state", "READY", "--event", "after_hook_failed", "--payload", '{"onFailure":"exit"}', "--json"]));
    expect(r).toMatchObject({ next: "DONE", outcome: "taken", path: ["READY", "ENDING", "AFTER_LEASE", "RELEASING", "DONE"] });
    const deferred = json<Record<string, unknown>>(await cli(["step", "--profile", "jumpstarter", "--state", "STARTING", "--event", "request_end", "--json"]));
    expect(deferred).toMatchObject({ next: "STARTING", outcome: "taken" });
    expect(String(deferred["explanation"])).toMatch(/end requested/);
  });

  it.each([
    [["step", "--profile", "nope", "--state", "A", "--event", "b"], /unknown profile "nope".*iai-mcp/s],
    [["step", "--profile", "iai-mcp", "--state", "AWAKE", "--event", "tick"], /"AWAKE" is not a state of iai-mcp\. States: WAKE, DROWSY, SLEEP, HIBERNATION/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "tick", "--payload", "{oops"], /--payload is not valid JSON/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "tick", "--payload", "[1]"], /--payload must be a JSON object/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE"], /--event is required/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "x", "--bogus"], /unknown option --bogus/],
  ])("refuses %j with exit code 2 and a clear message", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
