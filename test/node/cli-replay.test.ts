/**
 * `fsm-inspector replay` as a real process: it serves the app with the log (or recording) open as
 * a replay session and no demo, prints the URL and when indexing is done, answers the contract on
 * its WebSocket, and stops on SIGTERM; a target it cannot open (missing, a recording from a newer
 * version, an unknown profile or time zone) is refused with exit code 2 and a clear message,
 * before anything listens.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ReplayFrame } from "../../shared/ipc/replay";
import type { SessionSummary } from "../../shared/ipc/views";
import { ROOT, cli } from "../helpers/cli";
import { tempDir, waitFor } from "../helpers/tmp";
import { connectClient } from "../helpers/ws-client";

function writeLog(file: string, n: number): void {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ts = new Date(Date.UTC(2026, 5, 10) + i * 1000).toISOString();
    out.push(JSON.stringify({ ts, event: "state_transition", from: i % 2 ? "DROWSY" : "WAKE", to: i % 2 ? "WAKE" : "DROWSY", trigger: i % 2 ? "heartbeat_refresh" : "idle_5min" }));
  }
  fs.writeFileSync(file, `${out.join("\n")}\n`);
}

describe("fsm-inspector replay", () => {
  it("serves the app with the log open to replay, and stops on SIGTERM", async () => {
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeLog(log, 5000);
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "fsm-inspector.mjs"), "replay", log, "--time-zone", "Europe/Paris"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FSM_INSPECTOR_CACHE_DIR: path.join(dir, "cache") } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const url = await waitFor(() => /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1], `the URL in:\n${out}`, 60_000);
      // Printed right after the URL, maybe in the next chunk of output.
      const replaying = `Replaying ${log}: profile iai-mcp (file content); times without a zone are read as Europe/Paris.`;
      await waitFor(() => out.includes(replaying) || undefined, `"${replaying}" in:\n${out}`, 10_000);
      await waitFor(() => out.includes("Indexed 5000 observations (5000 transitions, 0 anomalies, 0 bad lines)") || undefined, `indexing in:\n${out}`, 60_000);
      expect(out).not.toContain("Demo daemon");
      const parsed = new URL(url);
      const client = await connectClient(Number(parsed.port), parsed.searchParams.get("token") ?? "");
      const sessions = await client.call("listSessions");
      expect(sessions.ok).toBe(true);
      const list = (sessions as { ok: true; value: SessionSummary[] }).value;
      expect(list.map((s) => [s.kind, s.target, s.profileId, s.timeZone])).toEqual([["replay", log, "iai-mcp", "Europe/Paris"]]);
      const frame = await client.call("replaySeek", { sessionId: list[0]?.id, to: { position: 5000 } });
      expect(frame.ok && (frame.value as ReplayFrame).model.instances["daemon"]?.state).toBe("WAKE");
      await client.close();
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 120_000);

  it("refuses with exit code 2 what it cannot open, saying why", async () => {
    const dir = tempDir();
    const missing = await cli(["replay", path.join(dir, "nothing.jsonl")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`fsm-inspector replay: ${path.join(dir, "nothing.jsonl")}: ${path.join(dir, "nothing.jsonl")} does not exist.`);
    expect(missing.stdout).not.toContain("serving on");

    const future = path.join(dir, "future.fsmrec");
    const header = { format: "fsm-inspector-recording", version: 7, createdAt: "2030-01-01T00:00:00Z", app: { name: "FSM Inspector", version: "9" }, session: { title: "t", kind: "live", target: "/x", profileId: "iai-mcp" }, profile: { id: "iai-mcp", machine: {} }, redacted: {} };
    fs.writeFileSync(future, gzipSync(`${JSON.stringify(header)}\n`));
    const newer = await cli(["replay", future]);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain("future.fsmrec was saved by a newer FSM Inspector (recording format version 7); this one reads version 1. Update FSM Inspector to open it.");

    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    writeLog(log, 3);
    const zone = await cli(["replay", log, "--time-zone", "Europe/Pariss"]);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toContain('"Europe/Pariss" is not an IANA time zone name. Did you mean Europe/Paris?');
    const profile = await cli(["replay", log, "--profile", "nope"]);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain('replay --profile takes a built-in profile (iai-mcp, jumpstarter, ecluse, duckgres), not "nope"');
    const none = await cli(["replay"]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining("which log, folder or recording?") as string]);
  }, 120_000);
});
