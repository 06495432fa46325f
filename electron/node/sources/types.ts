import type { NewObservation } from "../../../shared/trace/observation";

/** A source turns one artifact into observations; it never writes to or locks what it watches. */
export interface Source {
  /** Read what is there now (history included), then follow changes. */
  start(): Promise<void>;
  /** Stop following; closes every watcher and file descriptor. */
  close(): Promise<void>;
}

export type Emit = (items: NewObservation[]) => void;

/** Our clock, in epoch milliseconds (sources stamp with it, as ISO-8601 through isoNow, only what has no time of its own). */
export type Clock = () => number;

export function isoNow(clock: Clock): string {
  return new Date(clock()).toISOString();
}
