/**
 * Something fetched again and again (a timeline while its log is indexed, a filtered list while
 * the cursor moves): one fetch in flight at most, at most one every `everyMs` unless asked for
 * `now`, and a request made during a fetch runs once more after it — never lost, never piled up.
 */
export class Refresher {
  private inFlight = false;
  private again = false;
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly fetch: () => Promise<void>,
    private readonly everyMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  request(now = false): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const wait = now ? 0 : this.lastAt + this.everyMs - this.clock();
    if (wait <= 0) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      void this.run();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.run();
      }, wait);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    this.inFlight = true;
    this.again = false;
    this.lastAt = this.clock();
    try {
      await this.fetch();
    } finally {
      this.inFlight = false;
      if (this.again) this.request();
    }
  }
}
