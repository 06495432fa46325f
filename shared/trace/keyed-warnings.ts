/**
 * Warnings that are raised and later cleared, by key — a missing file that appears, a stale pid
 * file that is rewritten, a database that answers again, two sources that agree again. One place
 * remembers which are shown, so each is raised once (again only when its message changes) and
 * cleared once, with the code, instance and source it was raised with. Pure: the caller gives the
 * time and emits what comes back.
 */
import type { NewObservation, WarningObservation } from "./observation";

type Warning = Omit<WarningObservation, "seq">;

/** What a raised warning says: its code, message, source and instance. */
export type Raised = Pick<Warning, "code" | "message" | "source"> & { instance?: string };

function observation(key: string, w: Raised, ts: string, cleared: boolean): NewObservation {
  const o: Warning = { kind: "warning", code: w.code, key, message: w.message, ts, tsFrom: "observed", source: w.source };
  if (w.instance !== undefined) o.instance = w.instance;
  if (cleared) o.cleared = true;
  return o;
}

export class KeyedWarnings {
  private readonly shown = new Map<string, Raised>();

  /** The warning to emit for `key`, unless it is shown already with the same message. */
  raise(key: string, w: Raised, ts: string): NewObservation | undefined {
    if (this.shown.get(key)?.message === w.message) return undefined;
    this.shown.set(key, w);
    return observation(key, w, ts, false);
  }

  /** The clearing of `key` when it is shown (its code, instance and source as raised), else undefined. */
  clear(key: string, message: string | ((was: Raised) => string), ts: string): NewObservation | undefined {
    const was = this.shown.get(key);
    if (was === undefined) return undefined;
    this.shown.delete(key);
    return observation(key, { ...was, message: typeof message === "string" ? message : message(was) }, ts, true);
  }

  /** The warning shown under `key`, if any. */
  get(key: string): Raised | undefined {
    return this.shown.get(key);
  }

  has(key: string): boolean {
    return this.shown.has(key);
  }

  /** Keys shown now, in the order they were raised. */
  keys(): string[] {
    return [...this.shown.keys()];
  }

  /** Make `wanted` exactly the warnings shown: the others cleared, new or changed ones raised. */
  showOnly(wanted: ReadonlyMap<string, Raised>, clearedMessage: (key: string, was: Raised) => string, ts: string): NewObservation[] {
    const out: NewObservation[] = [];
    for (const key of this.keys()) {
      if (wanted.has(key)) continue;
      const o = this.clear(key, (was) => clearedMessage(key, was), ts);
      if (o) out.push(o);
    }
    for (const [key, w] of wanted) {
      const o = this.raise(key, w, ts);
      if (o) out.push(o);
    }
    return out;
  }
}
