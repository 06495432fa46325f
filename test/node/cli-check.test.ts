/**
 * `fsm-inspector check` on logs written in the real formats: the real iai-mcp fixture, crafted
 * traces with every verdict, and bad input (malformed lines, unknown states, empty and binary
 * files, a 10 MB line) — each reported with file and line, reading goes on, nothing crashes.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { cli, json } from "../helpers/cli";
import { readTsv as tsv } from "../shared/parsers/fixture-files";
import { tempDir } from "../helpers/tmp";
import type { CheckReport } from "../../electron/node/check/report";

const FIX = path.join(import.meta.dirname, "..", "fixtures");


/** A compact iai-mcp log line, as lifecycle_event_log.py writes it. */
function line(ts: string, from: string, to: string, trigger: string): string {
  return JSON.stringify({ ts, event: "state_transition", from, to, trigger });
}

describe("check on the real iai-mcp data folder", () => {
  it("recovers all 231 transitions the real daemon logged, in order, all declared", async () => {
    const r = await cli(["check", path.join(FIX, "iai-mcp", "home"), "--json"]);
    expect(r.code).toBe(0);
    const report = json<CheckReport>(r);
    expect(report.profile).toBe("iai-mcp");
    expect(report.instances).toHaveLength(1);
    const inst = report.instances[0];
    const want = tsv(path.join(FIX, "iai-mcp", "expected-transitions.tsv"));
    expect(inst?.transitions.map((t) => [t.ts, t.from, t.to, t.event])).toEqual(want.map((w) => [w["ts"], w["from"], w["to"], w["trigger"]]));
    expect(inst?.counts).toEqual({ declared: 231, undeclared: 0, fromMismatch: 0, unknownState: 0, gap: 0 });
    expect(inst?.finalState).toBe("WAKE");
    expect(inst?.eventCounts).toMatchObject({ sleep_step_started: 198, sleep_step_completed: 197, shadow_run_warning: 13, quarantine_entered: 2, quarantine_lifted: 2 });
    expect(inst?.dwell["WAKE"]?.count).toBeGreaterThan(50);
    expect(inst?.edges["WAKE->WAKE"]).toBe(35);
    expect(report.gaps).toHaveLength(1);
    expect(report.gaps[0]?.message).toMatch(/31 day\(s\) of logs are missing/);
    expect(report.errors).toEqual([]);
  });

  it("reads the folder of daily logs itself, and one .gz file, detecting the profile from content", async () => {
    const logs = path.join(FIX, "iai-mcp", "home", ".iai-mcp", "logs");
    const folder = json<CheckReport>(await cli(["check", logs, "--json"]));
    expect(folder.instances[0]?.transitions).toHaveLength(231);
    const gz = await cli(["check", path.join(logs, "lifecycle-events-2026-05-09.jsonl.gz"), "--json"]);
    expect(gz.code).toBe(0);
    expect(json<CheckReport>(gz).instances[0]?.transitions).toHaveLength(13);
  });

  it("prints a readable summary", async () => {
    const r = await cli(["check", path.join(FIX, "iai-mcp", "home")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/daemon: 231 transitions \(231 declared\), final state WAKE/);
    expect(r.stdout).toMatch(/Everything conforms/);
  });
});

describe("check verdicts on crafted traces", () => {
  it("classifies declared, undeclared, from-mismatch, unknown-state and gap", async () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    fs.writeFileSync(
      path.join(logs, "lifecycle-events-2026-06-01.jsonl"),
      [
        line("2026-06-01T10:00:00+00:00", "WAKE", "DROWSY", "idle_5min"), // declared
        line("2026-06-01T10:05:00.5+00:00", "DROWSY", "HIBERNATION", "idle_30min"), // undeclared
        line("2026-06-01T10:06:00+00:00", "SLEEP", "HIBERNATION", "sleep_cycle_done"), // from-mismatch (was HIBERNATION)
        line("2026-06-01T10:07:00+00:00", "HIBERNATION", "COMA", "tick"), // unknown-state
      ].join("\n") + "\n",
    );
    fs.writeFileSync(path.join(logs, "lifecycle-events-2026-06-05.jsonl"), line("2026-06-05T09:00:00+00:00", "WAKE", "DROWSY", "idle_5min") + "\n"); // after missing days: gap
    const r = await cli(["check", dir, "--profile", "iai-mcp", "--json"]);
    expect(r.code).toBe(1);
    const t = json<CheckReport>(r).instances[0]?.transitions ?? [];
    expect(t.map((x) => x.verdict)).toEqual(["declared", "undeclared", "from-mismatch", "unknown-state", "gap"]);
    expect(t.map((x) => x.line)).toEqual([1, 2, 3, 4, 1]);
    expect(json<CheckReport>(r).instances[0]?.counts).toEqual({ declared: 1, undeclared: 1, fromMismatch: 1, unknownState: 1, gap: 1 });
    const human = await cli(["check", dir, "--profile", "iai-mcp"]);
    expect(human.stdout).toMatch(/undeclared DROWSY → HIBERNATION \(idle_30min\) at lifecycle-events-2026-06-01\.jsonl:2/);
  });
});

describe("check on bad input", () => {
  it("reports each bad line with file and line and goes on", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle-events-2026-06-01.jsonl");
    const huge = `{"ts":"2026-06-01T10:00:02+00:00","event":"note","blob":"${"x".repeat(10 * 1024 * 1024)}"}`;
    fs.writeFileSync(
      file,
      [
        line("2026-06-01T10:00:00+00:00", "WAKE", "DROWSY", "idle_5min"),
        '{"ts": "2026-06-01T10:00:01+00:00", "event": "state_transition", "from": "DROWSY"', // cut short
        "not json at all",
        huge,
        '{"ts":"2026-06-01T10:00:03+00:00","event":"state_transition","from":"DROWSY","to":"SLEEP","trigger":"idle_30min","extra":{"unknown":"field"}}',
        '{"ts":"2026-06-01T10:00:04+00:00","event":"mystery_kind","x":1}',
        "[1,2,3]",
        '{"ts":"2026-06-01T10:00:05+00:00","event":"state_transition","from":"SLEEP"}',
      ].join("\r\n") + "\r\n",
    );
    const r = await cli(["check", file, "--profile", "iai-mcp", "--json"]);
    expect(r.code).toBe(1);
    const report = json<CheckReport>(r);
    expect(report.errors.map((e) => [path.basename(e.file), e.line])).toEqual([
      ["lifecycle-events-2026-06-01.jsonl", 2],
      ["lifecycle-events-2026-06-01.jsonl", 3],
      ["lifecycle-events-2026-06-01.jsonl", 4],
      ["lifecycle-events-2026-06-01.jsonl", 7],
      ["lifecycle-events-2026-06-01.jsonl", 8],
    ]);
    expect(report.errors[0]?.message).toMatch(/line 2 is not valid JSON/);
    expect(report.errors[2]?.message).toMatch(/line 4 is 10\.0 MB long/);
    expect(report.errors[4]?.message).toMatch(/state_transition without string "from" and "to"/);
    const inst = report.instances[0];
    expect(inst?.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(["WAKE->DROWSY", "DROWSY->SLEEP"]);
    expect(inst?.eventCounts).toEqual({ mystery_kind: 1 }); // unknown kinds are shown, not dropped
  });

  it("reports an empty file and a binary file, and still reads the good one beside them", async () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, "lifecycle-events-2026-06-01.jsonl"), "");
    fs.writeFileSync(path.join(logs, "lifecycle-events-2026-06-02.jsonl"), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x0a, 0x01]));
    fs.writeFileSync(path.join(logs, "lifecycle-events-2026-06-03.jsonl.gz"), zlib.gzipSync(line("2026-06-03T10:00:00+00:00", "WAKE", "DROWSY", "idle_5min") + "\n"));
    const r = await cli(["check", dir, "--profile", "iai-mcp", "--json"]);
    expect(r.code).toBe(1);
    const report = json<CheckReport>(r);
    expect(report.errors.map((e) => e.message)).toEqual([expect.stringMatching(/2026-06-01\.jsonl is empty/), expect.stringMatching(/2026-06-02\.jsonl is a binary file/)]);
    expect(report.instances[0]?.transitions).toHaveLength(1);
  });

  it("reports a corrupt .gz archive and keeps what came before", async () => {
    const dir = tempDir();
    const good = zlib.gzipSync(Array.from({ length: 50 }, (_, i) => line(`2026-06-01T10:${String(i).padStart(2, "0")}:00+00:00`, i % 2 ? "DROWSY" : "WAKE", i % 2 ? "WAKE" : "DROWSY", i % 2 ? "heartbeat_refresh" : "idle_5min")).join("\n") + "\n");
    const file = path.join(dir, "lifecycle-events-2026-06-01.jsonl.gz");
    fs.writeFileSync(file, good.subarray(0, good.length - 12));
    const r = await cli(["check", file, "--profile", "iai-mcp", "--json"]);
    expect(r.code).toBe(1);
    const report = json<CheckReport>(r);
    expect(report.errors[0]?.message).toMatch(/reading stopped/);
  });

  it.each([
    [["check", "/no/such/place"], /does not exist/],
    [["check"], /which file or folder/],
  ])("exits 2 when the input cannot be read: %j", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("exits 2 with what it looked for when a folder holds nothing it knows", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "notes.txt"), "hello\n");
    const r = await cli(["check", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a data folder of a known program.*--profile \(one of iai-mcp, jumpstarter, ecluse, duckgres\)/s);
  });
});

describe("check streams", () => {
  it("reads a 200,000-line log without holding it in memory, in reasonable time", async () => {
    const dir = tempDir();
    const file = path.join(dir, "lifecycle-events-2026-06-01.jsonl");
    const fd = fs.openSync(file, "w");
    const states = ["WAKE", "DROWSY"];
    let chunk = "";
    for (let i = 0; i < 200_000; i++) {
      const from = states[i % 2] ?? "WAKE";
      const to = states[(i + 1) % 2] ?? "WAKE";
      chunk += line(new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString().replace("Z", "+00:00"), from, to, from === "WAKE" ? "idle_5min" : "heartbeat_refresh") + "\n";
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = "";
      }
    }
    fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const r = await cli(["check", file, "--profile", "iai-mcp"], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/200000 transitions \(200000 declared\)/);
  });
});
