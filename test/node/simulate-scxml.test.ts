/**
 * SCXML's semantics, one point per file (test/fixtures/scxml, written for this project), checked
 * through the command a script would use: `fsm-inspector simulate FILE --events ... --json`.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, json, ROOT } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

const DIR = path.join(ROOT, "test", "fixtures", "scxml");
const CASES = JSON.parse(fs.readFileSync(path.join(DIR, "cases.json"), "utf8")) as Record<string, { events: string[]; configurations: string[][] }[]>;

describe("fsm-inspector simulate: SCXML semantics", () => {
  it("has a case for every file and a file for every case", () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".scxml")).map((f) => f.replace(/\.scxml$/, "")).sort();
    expect(Object.keys(CASES).sort()).toEqual(files);
  });

  for (const [name, cases] of Object.entries(CASES)) {
    for (const [i, c] of cases.entries()) {
      it(`${name}${cases.length > 1 ? ` #${i + 1}` : ""}: ${c.events.join(", ")}`, async () => {
        const r = await cli(["simulate", path.join(DIR, `${name}.scxml`), "--events", c.events.join(","), "--json"]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(json<{ configurations: string[][] }>(r)).toEqual({ configurations: c.configurations });
      });
    }
  }

  it("prints one line per event for people without --json", async () => {
    const r = await cli(["simulate", path.join(DIR, "parallel.scxml"), "--events", "connect,tick"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual(["start: worker.connection.offline, worker.job.idle", "connect: connect moves worker.connection.offline, worker.job.idle to worker.connection.online, worker.job.idle.", "tick: tick moves worker.connection.online, worker.job.idle to worker.connection.offline, worker.job.running."]);
  });
});

describe("fsm-inspector simulate: what it refuses", () => {
  it("a cond, executable content that raises or sends, a data model: exit 2, each element named with its line", async () => {
    const dir = tempDir();
    const file = path.join(dir, "guarded.scxml");
    fs.writeFileSync(
      file,
      [
        '<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="guarded" datamodel="ecmascript">',
        '  <datamodel><data id="n" expr="0"/></datamodel>',
        '  <state id="a">',
        '    <onentry><log label="entering"/></onentry>',
        '    <transition event="go" cond="n &gt; 1" target="b"/>',
        '    <transition event="poke"><raise event="go"/></transition>',
        "  </state>",
        '  <state id="b"><onexit><send event="late" delay="1s"/></onexit></state>',
        "</scxml>",
      ].join("\n"),
    );
    const r = await cli(["simulate", file, "--events", "go", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("cannot be simulated faithfully");
    expect(r.stderr).toContain(`${file}:2: <datamodel>`);
    expect(r.stderr).toContain(`${file}:5: <transition cond>: its cond "n > 1" is an expression`);
    expect(r.stderr).toContain(`${file}:6: <raise>: it raises an event`);
    expect(r.stderr).toContain(`${file}:8: <send>: it sends an event`);
    // <log> changes nothing: not named.
    expect(r.stderr).not.toContain("<log>");
  });

  it("an XState config with a code guard is refused; data guards and delays run", async () => {
    const dir = tempDir();
    const coded = path.join(dir, "coded.json");
    fs.writeFileSync(coded, JSON.stringify({ id: "m", initial: "a", states: { a: { on: { go: { target: "b", guard: "isReady" } } }, b: {} } }));
    const refused = await cli(["simulate", coded, "--events", "go"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/guard "isReady".*a named guard is code/);

    const timed = path.join(dir, "timed.json");
    fs.writeFileSync(timed, JSON.stringify({ id: "lease", initial: "idle", states: { idle: { on: { acquire: "held" } }, held: { initial: "fresh", after: { "30000": "expired" }, states: { fresh: { after: { "5000": "stale" } }, stale: {} } }, expired: { type: "final" } } }));
    const r = await cli(["simulate", timed, "--events", "acquire,+4s,+1s,+24999ms,+1ms,acquire", "--json"]);
    expect(r.stderr).toBe("");
    expect(json<{ configurations: string[][] }>(r).configurations).toEqual([["idle"], ["held.fresh"], ["held.fresh"], ["held.stale"], ["held.stale"], ["expired"], ["expired"]]);
  });

  it("usage errors: no file, an empty event name, a file that is not a machine", async () => {
    expect((await cli(["simulate"])).code).toBe(2);
    const empty = await cli(["simulate", path.join(DIR, "basic.scxml"), "--events", "start,,stop"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("empty name at position 2");
    const dir = tempDir();
    const bad = path.join(dir, "bad.scxml");
    fs.writeFileSync(bad, '<scxml xmlns="http://www.w3.org/2005/07/scxml" name="x"><state id="a"><transition event="e" target="nowhere"/></state></scxml>');
    const r = await cli(["simulate", bad, "--events", "e"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.scxml:1:\d+: error: .*"#nowhere": no state has the id "nowhere"/);
  });
});

describe("a profile of your own whose machine is a statechart", () => {
  it("check judges a log of paths and measures time in each container", async () => {
    const dir = tempDir();
    const profile = path.join(dir, "lease.profile.yaml");
    fs.writeFileSync(
      profile,
      [
        "id: lease",
        "title: Lease",
        "description: A lease with nested phases.",
        "machine:",
        "  id: lease",
        "  initial: idle",
        "  states:",
        "    idle: { on: { acquire: active } }",
        "    active:",
        "      initial: ready",
        "      on: { release: idle }",
        "      states:",
        "        ready: { on: { use: busy } }",
        "        busy: { on: { done: ready } }",
        "detect: { roots: ['.'], anyOf: ['lease*.jsonl'] }",
        "instances: { kind: single, id: lease }",
        "sources:",
        "  - kind: jsonl-log",
        "    glob: lease*.jsonl",
        "    kindField: kind",
        "    transitionKind: transition",
        "    from: from",
        "    to: to",
        "    ts: ts",
        "",
      ].join("\n"),
    );
    const lines = [
      { ts: "2026-06-01T10:00:00Z", kind: "transition", from: "idle", to: "active.ready" },
      { ts: "2026-06-01T10:00:02Z", kind: "transition", from: "active.ready", to: "active.busy" },
      { ts: "2026-06-01T10:00:07Z", kind: "transition", from: "active.busy", to: "idle" },
      { ts: "2026-06-01T10:00:08Z", kind: "transition", from: "idle", to: "active.busy" },
    ];
    fs.writeFileSync(path.join(dir, "lease-1.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const r = await cli(["check", dir, "--profile", profile, "--json"]);
    const report = json<{ instances: { transitions: { from: string; to: string; verdict: string }[]; dwell: Record<string, { p50Ms: number }> }[] }>(r);
    expect(report.instances[0]?.transitions.map((t) => `${t.from}->${t.to}:${t.verdict}`)).toEqual(["idle->active.ready:declared", "active.ready->active.busy:declared", "active.busy->idle:declared", "idle->active.busy:undeclared"]);
    expect(report.instances[0]?.dwell["active"]?.p50Ms).toBe(7000);
    expect(report.instances[0]?.dwell["active.busy"]?.p50Ms).toBe(5000);
    expect(r.code).toBe(1);
  });
});
