/**
 * What a session's recording is made of:
 * - a live session (the demo, a watched folder or database): its spool — every observation it
 *   published, exactly as published, up to the moment Save was asked;
 * - a replay of a recording: that recording's observations (numbered as the replay numbers them);
 * - a replay of logs: the logs read again as the replay index read them (read-target.ts) and
 *   judged by the same step (indexer.ts `judgeInPlace`), with every line's fields.
 */
import { FsmError } from "../../../shared/errors";
import type { SessionSummary } from "../../../shared/ipc/views";
import type { RecordingHeader } from "../../../shared/recording/format";
import type { Observation } from "../../../shared/trace/observation";
import { readTarget } from "../check/read-target";
import { isSnapshotSequence, type CheckTarget } from "../target/target";
import { judgeInPlace } from "../replay/indexer";
import { profileTrace } from "../../../shared/trace/accumulator";
import { readRecordingForIndex } from "../replay/recording-input";
import { TraceSession } from "./trace-session";
import type { RecordingSource } from "../recording/write";
import type { StartMessage } from "../replay/protocol";

/** What a replay session was opened on (as its worker was started). */
export type ReplayInput = StartMessage["source"];

function sessionOf(summary: SessionSummary): RecordingHeader["session"] {
  const s: RecordingHeader["session"] = { title: summary.title, kind: summary.kind, target: summary.target, profileId: summary.profileId };
  if (summary.instanceLabel !== undefined) s.instanceLabel = summary.instanceLabel;
  return s;
}

/** A live session's observations so far (taken at once: what arrives after the call is not in it). */
export function liveSource(s: TraceSession): RecordingSource {
  const spool = s.spool;
  if (!spool) throw new FsmError({ code: "not-recorded", message: `${s.summary.title} keeps no record of its observations, so it cannot be saved as a recording.`, hint: "Open the folder in the app (or serve mode) to record it." });
  const problem = spool.problem();
  if (problem) throw problem;
  const mark = spool.mark();
  return { session: sessionOf(s.summary), profile: s.profile, observations: () => spool.read(mark) };
}

/** A recording file's observations, as its replay shows them (a damaged line or a cut-short end included as warnings). */
export async function recordingFileSource(file: string): Promise<RecordingSource> {
  const first = await readRecordingForIndex(file);
  await first.close();
  const { header } = first;
  return {
    session: header.session,
    profile: header.profile,
    redacted: header.redacted,
    async *observations() {
      const rec = await readRecordingForIndex(file);
      try {
        let seq = 0;
        for await (const batch of rec.batches(() => undefined)) yield batch.map((item) => ({ ...item.obs, seq: ++seq }) as Observation);
      } finally {
        await rec.close();
      }
    },
  };
}

/** Logs (a file, a folder, a data folder) read again and judged as the replay index judged them. */
export function targetSource(target: CheckTarget, summary: SessionSummary): RecordingSource {
  return {
    session: sessionOf(summary),
    profile: target.profile,
    async *observations() {
      const trace = profileTrace(target.profile, isSnapshotSequence(target));
      let seq = 0;
      for await (const batch of readTarget(target, { current: (instance) => trace.current(instance) })) {
        const out: Observation[] = [];
        for (const item of batch) {
          const obs = item.obs as Observation;
          obs.seq = ++seq;
          judgeInPlace(trace, obs);
          out.push(obs);
        }
        yield out;
      }
    },
  };
}

/** The recording source of any open session (a replay session needs what it was opened on). */
export async function sessionSource(session: { summary: SessionSummary }, input: ReplayInput | undefined): Promise<RecordingSource> {
  if (session instanceof TraceSession) return liveSource(session);
  if (!input) throw new FsmError({ code: "internal", message: `Session ${session.summary.title} cannot be saved: what it was opened on is not known.` });
  if (input.kind === "recording") return recordingFileSource(input.file);
  return targetSource(input.target, session.summary);
}
