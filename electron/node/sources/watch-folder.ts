/**
 * Watch one folder for changes to the files in it: fs.watch (inotify on Linux) for low latency,
 * plus a slow poll as a safety net (network file systems, editors that defeat inotify, a folder
 * deleted and re-created). A folder that does not exist yet is polled until it appears.
 * The callback gets the changed file's name, or null for "something may have changed: re-check".
 */
import fs from "node:fs";
import path from "node:path";

export interface FolderWatch {
  close(): void;
}

export interface WatchOptions {
  /** Safety-net poll interval. */
  pollMs?: number;
}

export function watchFolder(dir: string, onChange: (name: string | null) => void, opts: WatchOptions = {}): FolderWatch {
  const pollMs = opts.pollMs ?? 1000;
  let watcher: fs.FSWatcher | undefined;
  /** While the folder does not exist: a watch on its nearest existing ancestor, to see it appear at once. */
  let ancestor: fs.FSWatcher | undefined;
  let closed = false;

  const startWatch = (): boolean => {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (!closed) onChange(typeof name === "string" ? name : null);
      });
      w.on("error", () => {
        w.close();
        if (watcher === w) watcher = undefined;
        if (!closed) onChange(null);
      });
      watcher = w;
      return true;
    } catch {
      return false;
    }
  };

  const appeared = (): void => {
    if (closed || watcher || !fs.existsSync(dir)) return;
    ancestor?.close();
    ancestor = undefined;
    if (startWatch()) onChange(null);
  };

  const watchAncestor = (): void => {
    if (ancestor || watcher) return;
    let up = path.dirname(dir);
    while (!fs.existsSync(up) && path.dirname(up) !== up) up = path.dirname(up);
    try {
      ancestor = fs.watch(up, { persistent: false }, () => {
        if (fs.existsSync(dir)) return appeared();
        // A folder on the way was created: watch closer.
        ancestor?.close();
        ancestor = undefined;
        watchAncestor();
      });
      ancestor.on("error", () => {
        ancestor?.close();
        ancestor = undefined;
      });
    } catch {
      ancestor = undefined;
    }
  };

  if (!startWatch()) watchAncestor();
  const timer = setInterval(() => {
    if (closed) return;
    if (!watcher) {
      if (fs.existsSync(dir)) appeared();
      else watchAncestor();
    }
    onChange(null);
  }, pollMs);
  timer.unref();

  return {
    close(): void {
      closed = true;
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
      ancestor?.close();
      ancestor = undefined;
    },
  };
}

/**
 * Runs `task` after a change, never twice at once, and once more if a change came in while it
 * ran — so the last write of a burst is always read. It is every source's one way to read: the
 * first read at start goes through it too (`run()`), so it can never race a read the folder
 * watch triggers meanwhile. A task that throws is reported to `onError` and does not stop later runs.
 */
export class Coalescer {
  private running: Promise<void> | undefined;
  private dirty = false;
  private closed = false;
  /** Callers of run() waiting for a run that starts after their call. */
  private waiting: (() => void)[] = [];

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  trigger(): void {
    if (this.closed) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = this.loop();
  }

  /** Triggers a run and resolves once a run that began after this call has finished (or on close). */
  run(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.trigger();
    });
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.dirty = false;
        const served = this.waiting.splice(0);
        try {
          await this.task();
        } catch (err) {
          if (!this.closed) this.onError(err);
        }
        for (const resolve of served) resolve();
      } while ((this.dirty || this.waiting.length > 0) && !this.closed);
    } finally {
      this.running = undefined;
      for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  /** No more runs; resolves once a run in progress has finished. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }
}
