/** Messages between a replay session (main thread) and its indexing worker. */
import type { IndexProgress, ReplayFilter, ReplayFrame, ReplayPage, SeekTarget, Timeline } from "../../../shared/ipc/replay";
import type { UserFacingError } from "../../../shared/errors";
import type { Observation } from "../../../shared/trace/observation";
import type { PackedItems } from "../../../shared/replay/item-codec";
import type { ReadProgress } from "../check/read-target";
import type { CheckTarget } from "../target/target";
import type { Profile } from "../../../shared/profiles/profile";
import type { PartsOptions, PartsPlan } from "./log-parts";

export interface StartMessage {
  type: "start";
  sessionId: string;
  /** A log, folder or data folder resolved as `check` does, or a recording file. */
  source: { kind: "target"; target: CheckTarget } | { kind: "recording"; file: string };
  checkpointEvery?: number;
  /** When a log is large enough to be read in parts, and how (tests set small sizes). */
  parts?: PartsOptions;
}

export type Query =
  | { kind: "seek"; to: SeekTarget; scope: "upto" | "all" }
  | { kind: "timeline"; buckets: number; filter?: ReplayFilter }
  | { kind: "page"; from: number; count: number; before: boolean; filter?: ReplayFilter }
  | { kind: "detail"; position: number };

export interface QueryResults {
  seek: Omit<ReplayFrame, "sessionId">;
  timeline: Omit<Timeline, "sessionId">;
  page: Omit<ReplayPage, "sessionId">;
  detail: Observation | null;
}

export type ToWorker = StartMessage | { type: "query"; id: number; query: Query } | { type: "cancel" };

export type FromWorker =
  | { type: "progress"; progress: Omit<IndexProgress, "sessionId"> }
  | { type: "reply"; id: number; ok: true; value: unknown }
  | { type: "reply"; id: number; ok: false; error: UserFacingError };

/** Observations a reading thread sends ahead of what the indexing thread has taken, before it waits: reading a log whole, and reading one of its parts (a whole part ahead, so both readers keep going). */
export const READ_AHEAD = 16_384;
export const READ_AHEAD_PART = 100_000;

/** From the indexing thread to a reading thread (reader-main.ts). */
export type ToReader =
  | { type: "start"; target: CheckTarget; sampled: boolean }
  | { type: "start-parts"; plan: PartsPlan; profile: Profile; reader: number }
  | { type: "taken"; items: number }
  | { type: "cancel" };

/** From a reading thread: observations packed (judged when reading whole), with how far its reading has got. */
export type FromReader =
  | { type: "batch"; part: number; packed: PackedItems; progress: ReadProgress }
  | { type: "part-end"; part: number; progress: ReadProgress }
  | { type: "end"; progress: ReadProgress }
  | { type: "failed"; error: UserFacingError };
