import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp";
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
    [["step", "--profile", "nope", "--state", "A", "--event", "b"], /Unknown profile "nope".*iai-mcp/s],
    [["step", "--profile", "iai-mcp", "--state", "AWAKE", "--event", "tick"], /"AWAKE" is not a state of iai-mcp\. States: WAKE, DROWSY, SLEEP, HIBERNATION/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "tick", "--payload", "{oops"], /--payload is not valid JSON/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "tick", "--payload", "[1]"], /--payload must be a JSON object/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE"], /--event is required/],
    [["step", "--profile", "iai-mcp", "--state", "WAKE", "--event", "x", "--bogus"], /unknown option --bogus/],
    // A profile file's problems: where (file:line:column), what, and how to fix it, one per line.
    [["check", "README.md", "--profile", path.join(import.meta.dirname, "..", "fixtures", "formats", "not-a-profile.json")], /not-a-profile\.json:1:\d+: error: .*\n {2}.*not-a-profile\.json:1:\d+: error: "id" must be a string/],
  ])("refuses %j with exit code 2 and a clear message", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});

describe("profiles and machines of the user's own", () => {
  const FORMATS = path.join(import.meta.dirname, "..", "fixtures", "formats");

  it("steps an SCXML machine and an XState export", async () => {
    const scxml = json<Record<string, unknown>>(await cli(["step", "--profile", path.join(FORMATS, "vending.scxml"), "--state", "idle", "--event", "coin", "--json"]));
    expect(scxml).toMatchObject({ next: "paying", outcome: "taken" });
    const r = await cli(["step", "--profile", path.join(FORMATS, "stately-v4-fetch.json"), "--state", "nope", "--event", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"nope" is not a state of/);
  });

  it("checks a text log with a YAML profile", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "daemon-1.log"), ["2026-06-01T10:00:00 phase starting -> running", "2026-06-01T10:00:05 heartbeat", "2026-06-01T10:00:40 phase running -> stopped"].join("\n") + "\n");
    const r = await cli(["check", dir, "--profile", path.join(FORMATS, "my-daemon.profile.yaml"), "--json"]);
    expect(r.code).toBe(0);
    const report = json<{ profile: string; instances: { transitions: { from: string; to: string; verdict: string }[]; dwell: Record<string, { p50Ms: number }> }[] }>(r);
    expect(report.profile).toBe("my-daemon");
    expect(report.instances[0]?.transitions.map((t) => `${t.from}->${t.to}:${t.verdict}`)).toEqual(["starting->running:declared", "running->stopped:declared"]);
    expect(report.instances[0]?.dwell["running"]?.p50Ms).toBe(40_000); // the profile breaks the trace after 60 s without a line (gapAfterMs)
  });

  it("refuses a broken profile file with its file, line and what is wrong", async () => {
    const dir = tempDir();
    const file = path.join(dir, "broken.profile.yaml");
    fs.writeFileSync(file, ["id: broken", "title: Broken", "description: x", "machine:", "  id: m", "  initial: A", "  states:", "    A:", "      on:", "        go: Z", "detect: { roots: ['.'], anyOf: ['*.log'] }", "instances: { kind: single, id: d }", "sources: []", ""].join("\n"));
    const r = await cli(["step", "--profile", file, "--state", "A", "--event", "go"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.profile\.yaml:10:\d+: error: .*"Z"/);
  });
});
