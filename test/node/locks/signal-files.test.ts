/**
 * Signal and heartbeat files (iai-mcp's `wake.signal` and `wrappers/heartbeat-<pid>-<uuid>.json`):
 * appearance, change, removal, age from the JSON time field or the mtime, staleness driven by an
 * injected clock (stale, warning, refreshed, cleared), bounded content, and close().
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { boundedFields, signalTime, SignalFilesSource } from "../../../electron/node/sources/signal-files";
import type { SignalSource } from "../../../shared/profiles/profile";
import type { NewObservation, SignalObservation, WarningObservation } from "../../../shared/trace/observation";
import { tempDir, waitFor } from "../../helpers/tmp";

type Signal = Omit<SignalObservation, "seq">;
type Warning = Omit<WarningObservation, "seq">;

const WAKE: SignalSource = { kind: "signal", glob: "wake.signal", meaning: "a request to wake a hibernated daemon" };
const HEARTBEAT: SignalSource = { kind: "signal", glob: "wrappers/heartbeat-*.json", staleAfterMs: 90_000, meaning: "a wrapper's heartbeat" };
const T0 = Date.parse("2026-06-10T10:00:00Z");

function collect(): { items: NewObservation[]; signals: () => Signal[]; last: () => Signal | undefined; warnings: () => Warning[]; emit: (o: NewObservation[]) => void } {
  const items: NewObservation[] = [];
  const signals = (): Signal[] => items.filter((o): o is Signal => o.kind === "signal");
  return { items, signals, last: () => signals().at(-1), warnings: () => items.filter((o): o is Warning => o.kind === "warning"), emit: (o) => items.push(...o) };
}

/** A clock the test moves by hand. */
function manualClock(start: number): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

describe("signalTime and boundedFields", () => {
  it("takes the most specific time field, ISO or epoch seconds / milliseconds", () => {
    expect(signalTime({ requested_at: "2026-06-10T10:00:00+00:00", wrapper_pid: 7 })).toEqual({ field: "requested_at", ms: T0 });
    expect(signalTime({ started_at: "2026-06-10T09:00:00Z", last_heartbeat: "2026-06-10T10:00:00.5Z" })).toEqual({ field: "last_heartbeat", ms: T0 + 500 });
    expect(signalTime({ ts: T0 / 1000 })).toEqual({ field: "ts", ms: T0 });
    expect(signalTime({ ts: T0 })).toEqual({ field: "ts", ms: T0 });
    expect(signalTime({ ts: "not a time", created_at: "2026-06-10T10:00:00Z" })).toEqual({ field: "created_at", ms: T0 });
    expect(signalTime({ pid: 3 })).toBeUndefined();
    expect(signalTime([1, 2])).toBeUndefined();
  });

  it("keeps small content as is, cuts long strings and drops fields beyond the budget", () => {
    expect(boundedFields({ a: 1, b: "x" }, 4096, 20)).toEqual({ a: 1, b: "x" });
    expect(boundedFields(5, 4096, 1)).toEqual({ value: 5 });
    const big = boundedFields({ a: "y".repeat(2000), b: 1, c: "z".repeat(600) }, 700, 2700);
    expect(big["a"]).toBe(`${"y".repeat(512)}… (2000 characters)`);
    expect(big["b"]).toBe(1);
    expect(big["c"]).toBeUndefined();
    expect(big["…"]).toBe("1 more field(s) not shown: the file is 2700 bytes");
    expect(JSON.stringify(big).length).toBeLessThan(800);
  });
});

describe("SignalFilesSource", () => {
  it("reports wake.signal appearing (age from requested_at, its fields) and disappearing", async () => {
    const dir = tempDir("signals-");
    const file = path.join(dir, "wake.signal");
    const clock = manualClock(T0);
    const c = collect();
    const src = new SignalFilesSource(dir, WAKE, c.emit, clock.now, { recheckMs: 10, pollMs: 40 });
    try {
      await src.start();
      expect(c.items).toEqual([]);
      const content = { requested_at: iso(T0 - 2500), wrapper_pid: 4242, wrapper_uuid: "5f0c9a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f" };
      fs.writeFileSync(file, JSON.stringify(content));
      const seen = await waitFor(() => c.last(), "wake.signal to be seen");
      expect(seen).toEqual({
        kind: "signal",
        path: file,
        present: true,
        ageMs: 2500,
        ageFrom: "requested_at",
        fields: content,
        ts: "2026-06-10T10:00:00.000Z",
        tsFrom: "observed",
        source: { file },
      });
      // No staleAfterMs: never stale, however old.
      clock.advance(3_600_000);
      await new Promise((r) => setTimeout(r, 60));
      expect(c.items).toHaveLength(1);

      fs.unlinkSync(file);
      const gone = await waitFor(() => (c.last()?.present === false ? c.last() : undefined), "wake.signal to be gone");
      expect(gone).toEqual({ kind: "signal", path: file, present: false, ts: "2026-06-10T11:00:00.000Z", tsFrom: "observed", source: { file } });
      expect(c.warnings()).toEqual([]);
    } finally {
      await src.close();
    }
  });

  it("marks a heartbeat 100 s old stale with a warning, and clears both when it is refreshed", async () => {
    const dir = tempDir("signals-");
    fs.mkdirSync(path.join(dir, "wrappers"));
    const file = path.join(dir, "wrappers", "heartbeat-4242-5f0c9a8e.json");
    fs.writeFileSync(file, JSON.stringify({ wrapper_pid: 4242, last_heartbeat: iso(T0 - 100_000) }));
    const clock = manualClock(T0);
    const c = collect();
    const src = new SignalFilesSource(dir, HEARTBEAT, c.emit, clock.now, { recheckMs: 10, pollMs: 40 });
    try {
      await src.start();
      expect(c.last()).toMatchObject({ path: file, present: true, stale: true, ageMs: 100_000, ageFrom: "last_heartbeat" });
      expect(c.warnings()).toEqual([
        {
          kind: "warning",
          code: "stale-heartbeat",
          key: `stale-heartbeat:${file}`,
          message: `wrappers/heartbeat-4242-5f0c9a8e.json is stale: its last_heartbeat is 100 s ago, more than 90 s. The program that refreshes it has stopped or hung; check it, or delete ${file} if that program is gone.`,
          ts: "2026-06-10T10:00:00.000Z",
          tsFrom: "observed",
          source: { file },
        },
      ]);

      fs.writeFileSync(file, JSON.stringify({ wrapper_pid: 4242, last_heartbeat: iso(T0) }));
      await waitFor(() => (c.last()?.stale === false ? true : undefined), "the refreshed heartbeat");
      expect(c.last()).toMatchObject({ present: true, stale: false, ageMs: 0 });
      expect(c.warnings().at(-1)).toMatchObject({ code: "stale-heartbeat", key: `stale-heartbeat:${file}`, cleared: true });
      expect(c.warnings()).toHaveLength(2);
    } finally {
      await src.close();
    }
  });

  it("turns stale when time passes with no refresh, and clears when the file is removed", async () => {
    const dir = tempDir("signals-");
    const clock = manualClock(T0);
    const c = collect();
    // The folder does not exist yet: the heartbeat arrives later.
    const src = new SignalFilesSource(dir, HEARTBEAT, c.emit, clock.now, { recheckMs: 10, pollMs: 30 });
    try {
      await src.start();
      fs.mkdirSync(path.join(dir, "wrappers"));
      const file = path.join(dir, "wrappers", "heartbeat-7-abc.json");
      fs.writeFileSync(file, JSON.stringify({ ts: iso(T0 - 80_000) }));
      await waitFor(() => c.last(), "the heartbeat");
      expect(c.last()).toMatchObject({ present: true, stale: false, ageMs: 80_000, ageFrom: "ts" });
      expect(c.warnings()).toEqual([]);

      clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(c.signals()).toHaveLength(1); // still fresh: nothing new

      clock.advance(6_000); // 91 s old
      await waitFor(() => (c.last()?.stale ? true : undefined), "the heartbeat to turn stale");
      expect(c.last()).toMatchObject({ present: true, stale: true, ageMs: 91_000 });
      expect(c.warnings()).toEqual([expect.objectContaining({ code: "stale-heartbeat", key: `stale-heartbeat:${file}` })]);
      expect(c.warnings()[0]?.cleared).toBeUndefined();

      fs.unlinkSync(file);
      await waitFor(() => (c.last()?.present === false ? true : undefined), "the heartbeat to be gone");
      expect(c.warnings().at(-1)).toMatchObject({ key: `stale-heartbeat:${file}`, cleared: true });
    } finally {
      await src.close();
    }
  });

  it("takes the age from the mtime when the file has no time field, and says the JSON is bad when it is", async () => {
    const dir = tempDir("signals-");
    const file = path.join(dir, "wake.signal");
    fs.writeFileSync(file, "");
    const mtime = new Date(T0 - 7000);
    fs.utimesSync(file, mtime, mtime);
    const c = collect();
    const src = new SignalFilesSource(dir, WAKE, c.emit, () => T0, { recheckMs: 10, pollMs: 40 });
    try {
      await src.start();
      expect(c.last()).toMatchObject({ present: true, ageMs: 7000, ageFrom: "mtime" });
      expect(c.last()?.fields).toBeUndefined();

      fs.writeFileSync(file, "{half");
      await waitFor(() => c.warnings()[0], "the bad-JSON warning");
      expect(c.warnings()[0]).toMatchObject({ code: "bad-line", key: `bad:${file}`, source: { file } });
      expect(c.warnings()[0]?.message).toContain(`${file} is not valid JSON (`);
      expect(c.last()?.ageFrom).toBe("mtime");

      fs.writeFileSync(file, JSON.stringify({ requested_at: iso(T0 - 1000) }));
      await waitFor(() => (c.last()?.ageFrom === "requested_at" ? true : undefined), "the fixed file");
      expect(c.last()?.ageMs).toBe(1000);
      expect(c.warnings().at(-1)).toMatchObject({ key: `bad:${file}`, cleared: true });
    } finally {
      await src.close();
    }
  });

  it("reports each matching file on its own and ignores other names", async () => {
    const dir = tempDir("signals-");
    fs.mkdirSync(path.join(dir, "wrappers"));
    const c = collect();
    const src = new SignalFilesSource(dir, HEARTBEAT, c.emit, () => T0, { recheckMs: 10, pollMs: 40 });
    try {
      await src.start();
      fs.writeFileSync(path.join(dir, "wrappers", "heartbeat-1-a.json"), JSON.stringify({ ts: iso(T0) }));
      fs.writeFileSync(path.join(dir, "wrappers", "heartbeat-2-b.json"), JSON.stringify({ ts: iso(T0 - 95_000) }));
      fs.writeFileSync(path.join(dir, "wrappers", "notes.txt"), "x");
      await waitFor(() => (new Set(c.signals().map((s) => s.path)).size === 2 ? true : undefined), "two heartbeats");
      const byName = new Map(c.signals().map((s) => [path.basename(s.path), s]));
      expect(byName.get("heartbeat-1-a.json")?.stale).toBe(false);
      expect(byName.get("heartbeat-2-b.json")?.stale).toBe(true);
      expect(c.warnings().map((w) => w.key)).toEqual([`stale-heartbeat:${path.join(dir, "wrappers", "heartbeat-2-b.json")}`]);
      expect(c.signals().some((s) => s.path.endsWith("notes.txt"))).toBe(false);
    } finally {
      await src.close();
    }
  });

  it("close() leaves no timer and emits nothing afterwards", async () => {
    const dir = tempDir("signals-");
    const c = collect();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const src = new SignalFilesSource(dir, WAKE, c.emit, () => T0, { recheckMs: 10, pollMs: 40 });
      await src.start();
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      await src.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    fs.writeFileSync(path.join(dir, "wake.signal"), "{}");
    await new Promise((r) => setTimeout(r, 80));
    expect(c.items).toEqual([]);
  });
});
