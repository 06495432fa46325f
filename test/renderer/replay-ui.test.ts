/**
 * The replay UI's logic without a browser: where things are on the scrubber, playback over the
 * axis, times in a zone, recording file names and download errors, the pacing of seeks (one per
 * frame, the latest of a drag, every key press), and the controller that turns frames into the
 * session's view model.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FsmApi } from "../../shared/ipc/contract";
import type { IndexProgress, ReplayFrame, SeekTarget, Timeline } from "../../shared/ipc/replay";
import { findProfile } from "../../shared/profiles";
import { applyAll, emptyModel } from "../../shared/trace/session-model";
import type { Observation } from "../../shared/trace/observation";
import { axisOfX, describeMarkers, realMsAtAxis, xOfAxis } from "../../renderer/src/features/replay/timeline-geometry";
import { axisPerMs, playbackAxis } from "../../renderer/src/features/replay/playback";
import { formatClock, formatDateTime, utcOffset, zoneLabel } from "../../renderer/src/features/time/format-time";
import { downloadRecording, recordingFileName, recordingUrl } from "../../renderer/src/features/recording/save-recording";
import { Seeker } from "../../renderer/src/features/replay/seeker";
import { Refresher } from "../../renderer/src/features/replay/refresher";
import { END, ReplayController } from "../../renderer/src/features/replay/replay-controller";
import { useStore } from "../../renderer/src/store/store";

function timeline(over: Partial<Timeline> = {}): Timeline {
  return {
    sessionId: "r1",
    total: 10,
    axisLength: 1000,
    timed: true,
    firstMs: Date.UTC(2026, 5, 10),
    lastMs: Date.UTC(2026, 5, 10) + 1000,
    silenceCapMs: 60_000,
    silences: [],
    transitions: [1, 2, 3, 4],
    anomalies: [0, 2, 0, 1],
    markers: [
      { position: 3, axis: 300, kind: "undeclared", instance: "daemon" },
      { position: 4, axis: 400, kind: "bad-line", instance: null },
      { position: 9, axis: 900, kind: "gap", instance: "daemon" },
    ],
    markersCut: false,
    names: { instances: ["daemon"], states: ["A", "B"], events: ["go"] },
    ...over,
  };
}

describe("the scrubber's geometry", () => {
  it("maps the axis across the width and back", () => {
    for (const axis of [0, 250, 500, 1000]) expect(axisOfX(xOfAxis(axis, 1000, 416), 1000, 416)).toBeCloseTo(axis, 6);
    expect(axisOfX(-50, 1000, 416)).toBe(0);
    expect(axisOfX(5000, 1000, 416)).toBe(1000);
  });

  it("tells the real time at a point of the axis, adding back what shortened silences lasted", () => {
    const first = Date.UTC(2026, 5, 10);
    const t = { firstMs: first, silenceCapMs: 60_000, silences: [{ at: 100_000, realMs: 3 * 3600_000 }] };
    expect(realMsAtAxis(t, 50_000)).toBe(first + 50_000);
    expect(realMsAtAxis(t, 200_000)).toBe(first + 200_000 + 3 * 3600_000 - 60_000);
    expect(realMsAtAxis({ ...t, firstMs: null }, 5)).toBeNull();
  });

  it("describes what is under the pointer", () => {
    const ms = timeline().markers;
    expect(describeMarkers([ms[0] as (typeof ms)[number]])).toBe("undeclared transition (daemon) at #3 — click to go there");
    expect(describeMarkers(ms)).toBe("3 anomalies here: 1 undeclared transition, 1 bad line, 1 gap — click to go to the first");
  });
});

describe("playback", () => {
  it("moves along the axis at the speed: the recording's own pace, or ten observations a second at 1× without times", () => {
    expect(playbackAxis(1000, 2000, 10, true, 1e9)).toEqual({ axis: 21_000, end: false });
    expect(axisPerMs(1, false) * 1000).toBe(10);
    expect(playbackAxis(0, 1000, 100, false, 5000)).toEqual({ axis: 1000, end: false });
    expect(playbackAxis(900, 1000, 1, true, 1000)).toEqual({ axis: 1000, end: true });
  });
});

describe("times", () => {
  it("reads an instant in UTC, and says which zone is shown", () => {
    const ms = Date.UTC(2026, 5, 10, 13, 5, 2, 7);
    expect(formatClock(ms, true)).toBe("13:05:02.007");
    expect(formatDateTime(ms, true)).toBe("2026-06-10 13:05:02");
    expect(formatDateTime(ms, true, true)).toBe("2026-06-10 13:05:02.007");
    expect(zoneLabel(true)).toBe("UTC");
    expect(utcOffset(ms, false)).toMatch(/^UTC[+-]\d\d:\d\d$/);
    expect(zoneLabel(false, ms)).toMatch(/^local time \(/);
    expect(formatClock(NaN, true)).toBe("—");
  });
});

describe("recordings", () => {
  it("names the file after the session and asks serve mode for exactly the redactions chosen", () => {
    expect(recordingFileName("Demo: simulated iai-mcp daemon")).toBe("Demo-simulated-iai-mcp-daemon.fsmrec");
    expect(recordingFileName("../../etc/passwd")).toBe("etc-passwd.fsmrec");
    expect(recordingFileName("::")).toBe("recording.fsmrec");
    expect(recordingUrl("s 1", { paths: true, sensitive: true })).toBe("/api/recording?session=s+1&paths=1&sensitive=1");
    expect(recordingUrl("s1", {})).toBe("/api/recording?session=s1");
  });

  it("passes the server's own words on when it refuses, and sends the token as a bearer", async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const refusing = (status: number, body: string): typeof fetch =>
      (async (url: string | URL | Request, init?: RequestInit) => {
        seen.push({ url: String(url), auth: new Headers(init?.headers).get("authorization") });
        return new Response(body, { status });
      }) as typeof fetch;
    await expect(downloadRecording({ sessionId: "s1", title: "x", redact: {}, token: "tok", fetchImpl: refusing(404, JSON.stringify({ code: "no-session", message: "No open session with id s1.", hint: "Pick one from the session list." })) })).rejects.toMatchObject({
      code: "no-session",
      message: "The recording could not be made: No open session with id s1.",
      hint: "Pick one from the session list.",
    });
    expect(seen[0]).toEqual({ url: "/api/recording?session=s1", auth: "Bearer tok" });
    await expect(downloadRecording({ sessionId: "s1", title: "x", redact: {}, token: "tok", fetchImpl: refusing(403, "403 Forbidden: wrong token.") })).rejects.toMatchObject({ code: "save-failed", message: expect.stringContaining("403: 403 Forbidden: wrong token.") as string, hint: expect.stringContaining("access token") as string });
    await expect(downloadRecording({ sessionId: "s1", title: "x", redact: {}, token: undefined })).rejects.toMatchObject({ code: "no-token" });
  });
});

/** A frame scheduler run by hand, and a send whose answers the test releases. */
function harness() {
  const frames: (() => void)[] = [];
  const sent: SeekTarget[] = [];
  const answers: ((f: ReplayFrame) => void)[] = [];
  let position = 0;
  const seeker = new Seeker(
    (to) => {
      sent.push(to);
      return new Promise<ReplayFrame>((resolve) => answers.push(resolve));
    },
    () => position,
    (fn) => frames.push(fn),
  );
  const frame = (): void => frames.splice(0).forEach((f) => f());
  const answer = async (p: number): Promise<void> => {
    position = p;
    answers.shift()?.({ position: p } as ReplayFrame);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { seeker, sent, frame, answer };
}

describe("seeks paced for the screen", () => {
  it("sends only the latest point of a drag, at most one per frame and one at a time", async () => {
    const h = harness();
    h.seeker.jump({ target: () => ({ axis: 1 }) });
    h.seeker.jump({ target: () => ({ axis: 2 }) });
    expect(h.sent).toEqual([]);
    h.frame();
    expect(h.sent).toEqual([{ axis: 2 }]);
    h.seeker.jump({ target: () => ({ axis: 3 }) });
    h.seeker.jump({ target: () => ({ axis: 4 }) });
    h.frame();
    expect(h.sent).toHaveLength(1); // the first is still on its way
    await h.answer(20);
    h.frame();
    expect(h.sent).toEqual([{ axis: 2 }, { axis: 4 }]);
    await h.answer(40);
    expect(h.seeker.idle).toBe(true);
  });

  it("counts every step, each from where the one before it landed", async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) h.seeker.step({ target: (from) => ({ step: "next", what: "transition", from }) });
    h.frame();
    await h.answer(5);
    h.frame();
    await h.answer(9);
    h.frame();
    await h.answer(12);
    expect(h.sent).toEqual([
      { step: "next", what: "transition", from: 0 },
      { step: "next", what: "transition", from: 5 },
      { step: "next", what: "transition", from: 9 },
    ]);
  });
});

describe("a fetch paced while indexing goes on", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at most once a period, once more after a request made during a run, and at once when asked", async () => {
    let runs = 0;
    const r = new Refresher(async () => {
      runs++;
    }, 1000, () => Date.now());
    r.request();
    r.request(); // during the run: once more, a period after it
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    r.request();
    r.request();
    await vi.advanceTimersByTimeAsync(499);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(10);
    r.request(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(3);
  });
});

describe("the replay controller", () => {
  const profile = findProfile("iai-mcp");
  if (!profile) throw new Error("iai-mcp profile");
  const obs = (seq: number, from: string, to: string): Observation => ({ kind: "transition", seq, instance: "daemon", from, to, tsFrom: "artifact", source: { line: seq } });
  const calls: { name: string; arg: unknown }[] = [];
  let api: FsmApi;

  beforeEach(() => {
    calls.length = 0;
    const models = [emptyModel(), applyAll(emptyModel(), [obs(1, "WAKE", "DROWSY")]), applyAll(emptyModel(), [obs(1, "WAKE", "DROWSY"), obs(2, "DROWSY", "SLEEP")])];
    const frameAt = (p: number, scope: "upto" | "all"): ReplayFrame => ({ sessionId: "r1", position: p, total: 2, axis: p * 1000, ts: null, model: models[p] ?? emptyModel(), scope, current: p > 0 ? obs(p, "x", "y") : null });
    api = {
      replayTimeline: async (arg) => {
        calls.push({ name: "replayTimeline", arg });
        return timeline({ sessionId: "r1", total: 2 });
      },
      replaySeek: async (arg) => {
        calls.push({ name: "replaySeek", arg });
        const to = arg.to;
        const p = "position" in to ? Math.min(2, to.position) : "axis" in to ? Math.min(2, Math.floor(to.axis / 1000)) : to.step === "next" ? Math.min(2, to.from + 1) : Math.max(0, to.from - 1);
        return frameAt(p, arg.scope ?? "upto");
      },
      replayPage: async (arg) => {
        calls.push({ name: "replayPage", arg });
        return { sessionId: "r1", positions: [2], items: [obs(2, "DROWSY", "SLEEP")], matching: 1 };
      },
    } as Partial<FsmApi> as FsmApi;
    useStore.setState({ sessions: [], views: {}, replays: {}, errors: [] });
    useStore.getState().setSessions([{ id: "r1", title: "Replay", target: "/x.jsonl", profileId: "iai-mcp", kind: "replay", openedAt: "2026-06-10T00:00:00Z" }]);
    useStore.getState().loadSnapshot({ summary: { id: "r1", title: "Replay", target: "/x.jsonl", profileId: "iai-mcp", kind: "replay", openedAt: "2026-06-10T00:00:00Z" }, machine: profile.machine, model: emptyModel() });
  });

  const settle = () => new Promise((r) => setTimeout(r, 0));
  const progress = (over: Partial<IndexProgress>): IndexProgress => ({ sessionId: "r1", state: "indexing", bytesRead: 0, bytesTotal: 10, lines: 0, linesPerSecond: 0, etaMs: null, observations: 0, transitions: 0, anomalies: 0, badLines: 0, ...over });

  it("follows the end of what is indexed until the user moves, and each frame becomes the session's view model", async () => {
    const c = new ReplayController(api, (fn) => fn());
    c.adopt("r1");
    await settle();
    expect(calls.map((x) => x.name)).toEqual(["replayTimeline", "replaySeek"]);
    expect(calls[1]?.arg).toMatchObject({ to: { position: END } });
    expect(useStore.getState().views["r1"]?.model.instances["daemon"]?.state).toBe("SLEEP");
    expect(useStore.getState().replays["r1"]).toMatchObject({ position: 2, total: 2, follow: true });

    c.onProgress(progress({ observations: 2 }));
    await settle();
    expect(calls.filter((x) => x.name === "replaySeek")).toHaveLength(2);

    c.seekAxis("r1", 1000);
    await settle();
    expect(useStore.getState().replays["r1"]).toMatchObject({ position: 1, follow: false });
    expect(useStore.getState().views["r1"]?.model.instances["daemon"]?.state).toBe("DROWSY");
    c.onProgress(progress({ observations: 3 }));
    await settle();
    expect(calls.filter((x) => x.name === "replaySeek")).toHaveLength(3);
    expect(useStore.getState().replays["r1"]?.position).toBe(1);
  });

  it("applies a filter to the timeline, the steps and the list", async () => {
    const c = new ReplayController(api, (fn) => fn());
    c.adopt("r1");
    await settle();
    calls.length = 0;
    c.setFilter("r1", { state: "SLEEP" });
    await settle();
    expect(calls.find((x) => x.name === "replayTimeline")?.arg).toMatchObject({ filter: { state: "SLEEP" } });
    expect(calls.find((x) => x.name === "replayPage")?.arg).toMatchObject({ from: 2, before: true, filter: { state: "SLEEP" } });
    expect(useStore.getState().replays["r1"]?.list?.items.map((o) => o.seq)).toEqual([2]);
    c.step("r1", "prev", "transition");
    await settle();
    expect(calls.find((x) => x.name === "replaySeek")?.arg).toMatchObject({ to: { step: "prev", what: "transition", from: 2, filter: { state: "SLEEP" } } });
    c.setScope("r1", "all");
    await settle();
    expect(calls.filter((x) => x.name === "replaySeek").pop()?.arg).toMatchObject({ to: { position: 1 }, scope: "all" });
  });

  it("forgets a closed session: a late frame changes nothing", async () => {
    const c = new ReplayController(api, (fn) => fn());
    c.adopt("r1");
    c.retain(new Set());
    await settle();
    expect(useStore.getState().replays["r1"]).toBeUndefined();
  });
});
