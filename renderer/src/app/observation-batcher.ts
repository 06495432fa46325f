/**
 * Observations arriving faster than anyone can look at them are applied to the store together:
 * at most one update every `everyMs` (100 ms), the first after a quiet spell at once. A fleet's
 * 200 transitions a second in 130 messages then cost ten store updates, not 130 — every panel that
 * reads all instances does its work ten times a second, whatever the event rate. Order is kept per
 * session; nothing is dropped.
 */
import type { Observation } from "../../../shared/trace/observation";

export class ObservationBatcher {
  private pending = new Map<string, Observation[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = -Infinity;

  constructor(
    private readonly apply: (sessionId: string, items: Observation[]) => void,
    private readonly everyMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(sessionId: string, items: readonly Observation[]): void {
    let list = this.pending.get(sessionId);
    if (!list) this.pending.set(sessionId, (list = []));
    for (const o of items) list.push(o);
    if (this.timer !== undefined) return;
    const wait = this.last + this.everyMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Apply everything waiting now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.last = this.now();
    const pending = this.pending;
    this.pending = new Map();
    for (const [sessionId, items] of pending) this.apply(sessionId, items);
  }

  stop(): void {
    this.flush();
  }
}
