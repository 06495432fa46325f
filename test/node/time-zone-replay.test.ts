/**
 * Timestamps without a zone, read in the zone the user or the profile chose, with real files:
 * a jumpstarter log in Rich's format and an iai-mcp log with ISO times without an offset, replayed
 * with a zone (the session says which) and without one (UTC); `check` with a profile file that
 * sets its `timeZone`; times that carry their own offset left alone. And the profile fields
 * `timeZone` and `sensitiveFields` validated with precise messages.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import { TraceSession } from "../../electron/node/session/trace-session";
import type { IndexProgress } from "../../shared/ipc/replay";
import { formatDiagnostic } from "../../shared/machine/diagnostics";
import { findProfile } from "../../shared/profiles";
import { loadDefinitionText } from "../../shared/profiles/load";
import type { Observation } from "../../shared/trace/observation";
import { cli, json } from "../helpers/cli";
import { tempDir, waitFor } from "../helpers/tmp";

const RICH = [
  "[11/25/26 10:00:00] DEBUG    Starting new lease: lease-1",
  "[11/25/26 10:00:00] DEBUG    Lease lifecycle transition: CREATED -> STARTING",
  "[11/25/26 10:00:05] DEBUG    Lease lifecycle transition: STARTING -> READY",
  "                    DEBUG    Lease lifecycle transition: READY -> ENDING",
  "[11/25/26 10:01:00] DEBUG    Lease lifecycle transition: ENDING -> RELEASING",
  "[11/25/26 10:01:01] DEBUG    Lease lifecycle transition: RELEASING -> DONE",
];

let backend: Backend | undefined;
const progress = new Map<string, IndexProgress>();
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

function newBackend(): Backend {
  backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher() }, cacheDir: tempDir(), configDir: tempDir() });
  backend.subscribe("indexProgress", (p) => progress.set(p.sessionId, p));
  return backend;
}

async function transitionTimes(b: Backend, sessionId: string): Promise<(string | undefined)[]> {
  await waitFor(() => (progress.get(sessionId)?.state === "done" ? true : undefined), "indexing", 30_000);
  const page = await b.handlers.replayPage({ sessionId, from: 0, count: 100 });
  return page.items.filter((o): o is Extract<Observation, { kind: "transition" }> => o.kind === "transition").map((o) => o.ts);
}

describe("timestamps without a zone", () => {
  it("reads Rich times in the zone chosen when opening, else UTC, and the session says which", async () => {
    const dir = tempDir();
    const log = path.join(dir, "exporter.log");
    fs.writeFileSync(log, `${RICH.join("\n")}\n`);
    const b = newBackend();
    const utc = await b.handlers.openLog({ path: log, profileId: "jumpstarter" });
    expect(utc.timeZone).toBe("UTC");
    expect(await transitionTimes(b, utc.id)).toEqual(["2026-11-25T10:00:00.000Z", "2026-11-25T10:00:05.000Z", "2026-11-25T10:00:05.000Z", "2026-11-25T10:01:00.000Z", "2026-11-25T10:01:01.000Z"]);
    const ny = await b.handlers.openLog({ path: log, profileId: "jumpstarter", timeZone: "America/New_York" });
    expect(ny.timeZone).toBe("America/New_York");
    expect(await transitionTimes(b, ny.id)).toEqual(["2026-11-25T15:00:00.000Z", "2026-11-25T15:00:05.000Z", "2026-11-25T15:00:05.000Z", "2026-11-25T15:01:00.000Z", "2026-11-25T15:01:01.000Z"]);
    await expect(b.handlers.openLog({ path: log, profileId: "jumpstarter", timeZone: "Mars/Olympus" })).rejects.toThrow('"Mars/Olympus" is not an IANA time zone name.');
  }, 60_000);

  it("reads ISO times without an offset in the zone, and leaves times with one alone", async () => {
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-07-01.jsonl");
    const lines = [
      { ts: "2026-07-01T10:00:00.123456", event: "state_transition", from: "WAKE", to: "DROWSY", trigger: "idle_5min" },
      { ts: "2026-07-01T10:05:00+00:00", event: "state_transition", from: "DROWSY", to: "WAKE", trigger: "heartbeat_refresh" },
    ];
    fs.writeFileSync(log, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    const b = newBackend();
    const paris = await b.handlers.openLog({ path: log, timeZone: "Europe/Paris" });
    expect(await transitionTimes(b, paris.id)).toEqual(["2026-07-01T08:00:00.123Z", "2026-07-01T10:05:00.000Z"]);
    const utc = await b.handlers.openLog({ path: log });
    expect(await transitionTimes(b, utc.id)).toEqual(["2026-07-01T10:00:00.123Z", "2026-07-01T10:05:00.000Z"]);
  }, 60_000);

  it("uses the time zone a profile file sets, in check", async () => {
    const dir = tempDir();
    const log = path.join(dir, "exporter.log");
    fs.writeFileSync(log, `${RICH.join("\n")}\n`);
    const profileFile = path.join(dir, "tokyo.json");
    fs.writeFileSync(profileFile, JSON.stringify({ ...findProfile("jumpstarter"), id: "jumpstarter-tokyo", timeZone: "Asia/Tokyo" }, null, 2));
    const r = await cli(["check", log, "--profile", profileFile, "--json"]);
    expect(r.code).toBe(0);
    const doc = json<{ instances: { transitions: { ts: string | null }[] }[] }>(r);
    expect(doc.instances.flatMap((i) => i.transitions.map((t) => t.ts))).toEqual(["2026-11-25T01:00:00.000Z", "2026-11-25T01:00:05.000Z", "2026-11-25T01:00:05.000Z", "2026-11-25T01:01:00.000Z", "2026-11-25T01:01:01.000Z"]);
  }, 60_000);

  it("says in a live session which zone it reads such times in", () => {
    const profile = findProfile("jumpstarter");
    if (!profile) throw new Error("no jumpstarter profile");
    expect(new TraceSession({ id: "a", title: "a", kind: "live", profile, root: tempDir(), clock: Date.now }).summary.timeZone).toBe("UTC");
    expect(new TraceSession({ id: "b", title: "b", kind: "live", profile: { ...profile, timeZone: "Europe/Berlin" }, root: tempDir(), clock: Date.now }).summary.timeZone).toBe("Europe/Berlin");
  });
});

describe("profile fields timeZone and sensitiveFields", () => {
  const base = findProfile("iai-mcp");
  const text = (extra: Record<string, unknown>): string => JSON.stringify({ ...base, ...extra }, null, 2);
  const problems = (t: string): string[] => loadDefinitionText(t, "my.profile.json").diagnostics.map(formatDiagnostic);
  const lineOf = (t: string, needle: string): number => t.split("\n").findIndex((l) => l.includes(needle)) + 1;

  it("accepts an IANA zone and dotted field paths", () => {
    const t = text({ timeZone: "America/Argentina/Buenos_Aires", sensitiveFields: ["org_id", "owner.org_id"] });
    const r = loadDefinitionText(t, "my.profile.json");
    expect(r.diagnostics).toEqual([]);
    expect(r.profile).toMatchObject({ timeZone: "America/Argentina/Buenos_Aires", sensitiveFields: ["org_id", "owner.org_id"] });
  });

  it("refuses a zone that is not an IANA name, with the line, column and a suggestion", () => {
    const typo = text({ timeZone: "Europe/Pariss" });
    expect(problems(typo)).toEqual([`my.profile.json:${lineOf(typo, '"timeZone"')}:3: error: "timeZone" is "Europe/Pariss", which is not an IANA time zone name (at /timeZone). Did you mean Europe/Paris?`]);
    const offset = text({ timeZone: "+02:00" });
    expect(problems(offset)).toEqual([
      `my.profile.json:${lineOf(offset, '"timeZone"')}:3: error: "timeZone" is "+02:00", which is not an IANA time zone name (at /timeZone). Write the zone's name, e.g. "Europe/Paris" (a fixed offset such as "+02:00" does not follow summer time; for a fixed one write "Etc/GMT-2" for +02:00).`,
    ]);
    expect(problems(text({ timeZone: 2 }))[0]).toMatch(/error: "timeZone" of the profile must be a non-empty string, but it is number 2 \(at \/timeZone\)/);
  });

  it("refuses a sensitive field that is not a field path, and warns about one listed twice", () => {
    const t = text({ sensitiveFields: ["org_id", "owner..id", "org_id"] });
    expect(problems(t)).toEqual([
      `my.profile.json:${lineOf(t, '"owner..id"')}:5: error: "sensitiveFields" holds "owner..id", which is not a field path (an empty name between dots) (at /sensitiveFields/1). Write dotted field names, e.g. "org_id" or "owner.org_id".`,
      `my.profile.json:${lineOf(t, '"owner..id"') + 1}:5: warning: "sensitiveFields" lists "org_id" twice (at /sensitiveFields/2). Remove the second one.`,
    ]);
    expect(problems(text({ sensitiveFields: "org_id" }))[0]).toMatch(/"sensitiveFields" of the profile must be a list of strings/);
  });
});
