/** Messages between a replay session (main thread) and its indexing worker. */
import type { IndexProgress, ReplayFilter, ReplayFrame, ReplayPage, SeekTarget, Timeline } from "../../../shared/ipc/replay";
import type { UserFacingError } from "../../../shared/errors";
import type { Observation } from "../../../shared/trace/observation";
import type { CheckTarget } from "../target/target";

export interface StartMessage {
  type: "start";
  sessionId: string;
  /** A log, folder or data folder resolved as `check` does, or a recording file. */
  source: { kind: "target"; target: CheckTarget } | { kind: "recording"; file: string };
  checkpointEvery?: number;
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
