/**
 * Replay sessions, wired to the store: indexing progress in, the timeline fetched (again, paced,
 * while indexing goes on, and when the filter changes), every move of the cursor sent as a seek
 * whose frame's model becomes that session's view model — so every panel shows the position.
 */
import type { FsmApi } from "../../../../shared/ipc/contract";
import { toUserFacing } from "../../../../shared/errors";
import type { IndexProgress, ReplayFilter, ReplayFrame, SeekTarget } from "../../../../shared/ipc/replay";
import { activeFilter, type ReplayScope } from "../../store/replay-slice";
import { useStore } from "../../store/store";
import { Refresher } from "./refresher";
import { Seeker, type FrameScheduler, type Move } from "./seeker";

/** The timeline is fetched again at most this often while a log is indexed. */
export const TIMELINE_EVERY_MS = 1000;
/** How many observations the filtered list holds. */
export const LIST_COUNT = 200;
/** The end of whatever is indexed (the backend clamps a position to it). */
export const END = Number.MAX_SAFE_INTEGER;

export type StepWhat = "observation" | "transition" | "anomaly";

interface PerSession {
  seeker: Seeker;
  timeline: Refresher;
  list: Refresher;
  buckets: number;
}

function animationFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === "function" && typeof document !== "undefined" && document.visibilityState === "visible") requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
}

export class ReplayController {
  private readonly sessions = new Map<string, PerSession>();

  constructor(
    private readonly api: FsmApi,
    private readonly frame: FrameScheduler = animationFrame,
  ) {}

  private get store() {
    return useStore.getState();
  }

  /** The session's filter, when one is set. */
  private filterOf(id: string): ReplayFilter | undefined {
    return activeFilter(this.store.replays[id]?.filter ?? {});
  }

  private fail(id: string, err: unknown): void {
    if (!this.sessions.has(id)) return;
    this.store.setPlaying(id, false);
    this.store.showError(toUserFacing(err));
  }

  private session(id: string): PerSession {
    let s = this.sessions.get(id);
    if (s) return s;
    const seeker = new Seeker(
      (to) => this.send(id, to),
      () => this.store.replays[id]?.position ?? 0,
      this.frame,
    );
    const timeline = new Refresher(async () => {
      try {
        const filter = this.filterOf(id);
        const t = await this.api.replayTimeline({ sessionId: id, buckets: this.sessions.get(id)?.buckets ?? 400, ...(filter ? { filter } : {}) });
        if (this.sessions.has(id)) this.store.setTimeline(t);
      } catch (err) {
        this.fail(id, err);
      }
    }, TIMELINE_EVERY_MS);
    const list = new Refresher(async () => {
      const r = this.store.replays[id];
      const filter = activeFilter(r?.filter ?? {});
      if (!r || !filter) return;
      try {
        const page = await this.api.replayPage({ sessionId: id, from: r.position, count: LIST_COUNT, before: true, filter });
        if (this.sessions.has(id)) this.store.setFilteredList(id, { position: r.position, items: page.items, matching: page.matching });
      } catch (err) {
        this.fail(id, err);
      }
    }, 0);
    s = { seeker, timeline, list, buckets: 400 };
    this.sessions.set(id, s);
    return s;
  }

  private async send(id: string, to: SeekTarget): Promise<ReplayFrame | undefined> {
    try {
      const frame = await this.api.replaySeek({ sessionId: id, to, scope: this.store.replays[id]?.scope ?? "upto" });
      if (!this.sessions.has(id)) return undefined;
      this.store.applyFrame(frame);
      if (this.filterOf(id)) this.sessions.get(id)?.list.request();
      return frame;
    } catch (err) {
      this.fail(id, err);
      return undefined;
    }
  }

  /** A replay session's view is loaded: fetch its timeline and show the end of what is indexed. */
  adopt(id: string): void {
    if (this.sessions.has(id)) return;
    const s = this.session(id);
    s.timeline.request(true);
    s.seeker.jump({ target: () => ({ position: END }) });
  }

  /** Sessions that are gone: stop what they were doing. */
  retain(open: ReadonlySet<string>): void {
    const gone = [...this.sessions.keys()].filter((id) => !open.has(id));
    for (const id of gone) {
      const s = this.sessions.get(id);
      s?.seeker.stop();
      s?.timeline.stop();
      s?.list.stop();
      this.sessions.delete(id);
    }
    // The backend lists a session before it reports its progress: a replay not listed is closed.
    const closed = Object.keys(this.store.replays).filter((id) => !open.has(id));
    if (closed.length) this.store.forgetReplays(closed);
  }

  onProgress(p: IndexProgress): void {
    const before = this.store.replays[p.sessionId]?.progress;
    this.store.setProgress(p);
    const s = this.sessions.get(p.sessionId);
    if (!s) return;
    const finished = p.state !== "indexing" && before?.state !== p.state;
    s.timeline.request(finished);
    if (this.store.replays[p.sessionId]?.follow) s.seeker.jump({ target: () => ({ position: END }) });
  }

  /** How many buckets the scrubber draws (its width); the timeline is fetched again when it changes. */
  setBuckets(id: string, buckets: number): void {
    const s = this.session(id);
    if (s.buckets === buckets) return;
    s.buckets = buckets;
    s.timeline.request(true);
  }

  /** Go to a point of the timeline's axis (a drag of the scrubber, playback): only the latest is asked for. */
  seekAxis(id: string, axis: number): void {
    this.store.stopFollowing(id);
    this.session(id).seeker.jump({ target: () => ({ axis }) });
  }

  /** Go to a position (a click in a list, on a marker). */
  seekPosition(id: string, position: number): void {
    this.store.stopFollowing(id);
    this.session(id).seeker.jump({ target: () => ({ position }) });
  }

  /** One step back or forward: the previous or next transition, anomaly or observation (filtered). */
  step(id: string, dir: "next" | "prev", what: StepWhat): void {
    this.store.stopFollowing(id);
    const filter = this.filterOf(id);
    this.session(id).seeker.step({ target: (from) => ({ step: dir, what, from, ...(filter ? { filter } : {}) }) });
  }

  /**
   * Playback "as fast as the screen shows": the next transition, unless a move is still on its
   * way (so at most one per frame). Stops at the last one.
   */
  playStep(id: string): void {
    const s = this.session(id);
    if (!s.seeker.idle) return;
    const filter = this.filterOf(id);
    const move: Move = {
      target: (from) => ({ step: "next", what: "transition", from, ...(filter ? { filter } : {}) }),
      done: (frame, from) => {
        if (frame.position === from) this.store.setPlaying(id, false);
      },
    };
    s.seeker.step(move);
  }

  togglePlay(id: string): void {
    const r = this.store.replays[id];
    if (!r) return;
    this.store.stopFollowing(id);
    this.store.setPlaying(id, !r.playing);
  }

  setScope(id: string, scope: ReplayScope): void {
    this.store.setScope(id, scope);
    this.session(id).seeker.jump({ target: (position) => ({ position }) });
  }

  setFilter(id: string, filter: ReplayFilter): void {
    this.store.setFilter(id, filter);
    const s = this.session(id);
    s.timeline.request(true);
    if (activeFilter(filter)) s.list.request(true);
  }

  /** Stop indexing; what is indexed stays visitable. */
  async cancelIndexing(id: string): Promise<void> {
    try {
      await this.api.cancelIndexing({ sessionId: id });
    } catch (err) {
      this.fail(id, err);
    }
  }
}

const controllers = new WeakMap<FsmApi, ReplayController>();

/** The one replay controller of a backend connection. */
export function replayControllerFor(api: FsmApi): ReplayController {
  let c = controllers.get(api);
  if (!c) {
    c = new ReplayController(api);
    controllers.set(api, c);
  }
  return c;
}
