import type { ReplayFrame, SeekTarget } from "../../../../shared/ipc/replay";

/** Where to go, from the position the session will be at when the move is sent. */
export interface Move {
  target(position: number): SeekTarget;
  /** Told the frame the move led to, and the position it started from. */
  done?(frame: ReplayFrame, from: number): void;
}

/** Calls `fn` at the next animation frame. */
export type FrameScheduler = (fn: () => void) => void;

/**
 * One replay session's moves, paced for the screen: at most one seek per animation frame and one
 * in flight. A jump (a drag of the scrubber, a click in a list) replaces whatever waits, so only
 * the latest point of a drag is asked for; steps (← → p n) queue, so each key press counts.
 */
export class Seeker {
  private queue: Move[] = [];
  private inFlight = false;
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly send: (target: SeekTarget) => Promise<ReplayFrame | undefined>,
    private readonly position: () => number,
    private readonly frame: FrameScheduler,
  ) {}

  /** Go there, instead of anything still waiting. */
  jump(move: Move): void {
    this.queue = [move];
    this.kick();
  }

  /** One more move after those waiting. */
  step(move: Move): void {
    if (this.queue.length < 100) this.queue.push(move);
    this.kick();
  }

  /** Nothing waiting and nothing in flight. */
  get idle(): boolean {
    return !this.inFlight && !this.scheduled && this.queue.length === 0;
  }

  stop(): void {
    this.stopped = true;
    this.queue = [];
  }

  private kick(): void {
    if (this.scheduled || this.inFlight || this.stopped) return;
    this.scheduled = true;
    this.frame(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const move = this.queue.shift();
    if (!move || this.stopped) return;
    this.inFlight = true;
    const from = this.position();
    try {
      const frame = await this.send(move.target(from));
      if (frame && move.done) move.done(frame, from);
    } finally {
      this.inFlight = false;
      if (this.queue.length > 0) this.kick();
    }
  }
}
