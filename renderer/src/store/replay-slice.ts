import type { StateCreator } from "zustand";
import type { IndexProgress, ReplayFilter, ReplayFrame, Timeline } from "../../../shared/ipc/replay";
import type { Observation } from "../../../shared/trace/observation";
import { reviveModel } from "../../../shared/trace/session-model";
import type { AppState } from "./store";

/** Playback speeds: 1×, 10×, 100× the recording's own pace, or one transition per screen frame. */
export type PlaySpeed = 1 | 10 | 100 | "frame";
export type ReplayScope = "upto" | "all";

/** The filtered list of observations up to the position (when a filter is set). */
export interface FilteredList {
  position: number;
  items: Observation[];
  matching: number;
}

/** One replay session as the UI holds it: indexing, the timeline, where the cursor is, how it plays. */
export interface ReplayView {
  progress: IndexProgress | undefined;
  timeline: Timeline | undefined;
  position: number;
  total: number;
  axis: number;
  /** Real time at the position (ISO-8601), null before the first observation or without times. */
  ts: string | null;
  current: Observation | null;
  /** True until the user moves: the position follows the end of what is indexed. */
  follow: boolean;
  playing: boolean;
  speed: PlaySpeed;
  scope: ReplayScope;
  filter: ReplayFilter;
  list: FilteredList | undefined;
}

export interface ReplaySlice {
  /** Replay sessions by session id (ids are the backend's, never names from files). */
  replays: Record<string, ReplayView>;
  setProgress(p: IndexProgress): void;
  setTimeline(t: Timeline): void;
  /** A frame from replaySeek: the position, and its model as that session's view model. */
  applyFrame(f: ReplayFrame): void;
  stopFollowing(id: string): void;
  setPlaying(id: string, playing: boolean): void;
  setSpeed(id: string, speed: PlaySpeed): void;
  setScope(id: string, scope: ReplayScope): void;
  setFilter(id: string, filter: ReplayFilter): void;
  setFilteredList(id: string, list: FilteredList | undefined): void;
  forgetReplays(ids: readonly string[]): void;
}

export function newReplayView(): ReplayView {
  return { progress: undefined, timeline: undefined, position: 0, total: 0, axis: 0, ts: null, current: null, follow: true, playing: false, speed: 10, scope: "upto", filter: {}, list: undefined };
}

/** A filter without empty fields, or undefined when it filters nothing. */
export function activeFilter(f: ReplayFilter): ReplayFilter | undefined {
  const out: ReplayFilter = {};
  if (f.instance) out.instance = f.instance;
  if (f.state) out.state = f.state;
  if (f.event) out.event = f.event;
  return Object.keys(out).length > 0 ? out : undefined;
}

export const createReplaySlice: StateCreator<AppState, [], [], ReplaySlice> = (set) => {
  const update = (id: string, change: (r: ReplayView) => Partial<ReplayView>): void =>
    set((s) => {
      const r = s.replays[id] ?? newReplayView();
      return { replays: { ...s.replays, [id]: { ...r, ...change(r) } } };
    });
  /** Changes what the user chose for a replay session the store holds (never brings back a closed one). */
  const choose = (id: string, change: (r: ReplayView) => Partial<ReplayView>): void =>
    set((s) => {
      const r = s.replays[id];
      const c = r ? change(r) : {};
      return r && Object.keys(c).length > 0 ? { replays: { ...s.replays, [id]: { ...r, ...c } } } : {};
    });
  return {
    replays: {},
    setProgress: (p) => update(p.sessionId, (r) => ({ progress: p, total: Math.max(r.total, p.observations) })),
    setTimeline: (t) => update(t.sessionId, (r) => ({ timeline: t, total: Math.max(r.total, t.total) })),
    applyFrame: (f) =>
      set((s) => {
        const r = s.replays[f.sessionId] ?? newReplayView();
        const next: ReplayView = { ...r, position: f.position, total: f.total, axis: f.axis, ts: f.ts, current: f.current, scope: f.scope };
        const view = s.views[f.sessionId];
        const views = view ? { ...s.views, [f.sessionId]: { ...view, model: reviveModel(f.model) } } : s.views;
        return { replays: { ...s.replays, [f.sessionId]: next }, views };
      }),
    stopFollowing: (id) => choose(id, (r) => (r.follow ? { follow: false } : {})),
    setPlaying: (id, playing) => choose(id, () => ({ playing })),
    setSpeed: (id, speed) => choose(id, () => ({ speed })),
    setScope: (id, scope) => choose(id, () => ({ scope })),
    setFilter: (id, filter) => choose(id, () => ({ filter, list: undefined })),
    setFilteredList: (id, list) => choose(id, () => ({ list })),
    forgetReplays: (ids) =>
      set((s) => {
        const gone = new Set(ids);
        return { replays: Object.fromEntries(Object.entries(s.replays).filter(([id]) => !gone.has(id))) };
      }),
  };
};
