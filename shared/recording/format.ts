/**
 * The recording file: one gzip-compressed stream of JSON lines. The first line is the header
 * (format, version, the session, the profile with its machine, what was redacted); then one line
 * per observation, exactly as the session saw it (seq, verdict, dwell, fields, source file and
 * line); the last line says how many observations there were, so a file cut short is noticed.
 * Pure: encoding and checking only; reading and writing files is the backend's.
 */
import type { Profile } from "../profiles/profile";
import type { RedactOptions } from "../ipc/replay";
import type { SessionSummary } from "../ipc/views";
import type { Observation } from "../trace/observation";
import type { RedactionCounts } from "./redact";

export const RECORDING_FORMAT = "fsm-inspector-recording";
export const RECORDING_VERSION = 1;
/** The file name extension recordings are saved with. */
export const RECORDING_EXTENSION = ".fsmrec";

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  createdAt: string;
  app: { name: string; version: string };
  session: Pick<SessionSummary, "title" | "kind" | "target" | "profileId"> & { instanceLabel?: string };
  profile: Profile;
  /** What was redacted (each of paths, hosts, sensitive: true when it was, here or in an earlier save). */
  redacted: RedactOptions;
  /** How many distinct paths, hosts and sensitive values this save replaced, and which sensitive fields it applied. */
  redactions?: RedactionCounts;
}

export interface RecordingEnd {
  end: true;
  observations: number;
}

/**
 * A file name for a session's recording, safe on every system and in a Content-Disposition header:
 * "Demo: simulated iai-mcp daemon" → "Demo-simulated-iai-mcp-daemon.fsmrec" (ASCII letters,
 * digits, `.`, `_` and `-`; accents dropped; at most 80 characters before the extension).
 */
export function recordingFileName(title: string): string {
  const ascii = title.normalize("NFKD").replace(/[^\x20-\x7e]/g, "");
  const safe = ascii
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 80)
    .replace(/[-.]+$/, "");
  return `${safe || "recording"}${RECORDING_EXTENSION}`;
}

/** Why a first line is not a recording header this version can read, or the header. */
export function checkHeader(value: unknown, file: string): { header: RecordingHeader } | { problem: string } {
  if (typeof value !== "object" || value === null || (value as { format?: unknown }).format !== RECORDING_FORMAT) {
    return { problem: `${file} is not an FSM Inspector recording (its first line is not a recording header).` };
  }
  const h = value as Partial<RecordingHeader>;
  if (typeof h.version !== "number" || !Number.isInteger(h.version) || h.version < 1) return { problem: `${file} has no valid format version in its header.` };
  if (h.version > RECORDING_VERSION) {
    return { problem: `${file} was saved by a newer FSM Inspector (recording format version ${h.version}); this one reads version ${RECORDING_VERSION}. Update FSM Inspector to open it.` };
  }
  const p = h.profile as Partial<Profile> | undefined;
  if (!p || typeof p !== "object" || typeof p.id !== "string" || typeof p.machine !== "object" || p.machine === null) return { problem: `${file} has no profile and machine in its header.` };
  if (!h.session || typeof h.session !== "object") return { problem: `${file} has no session in its header.` };
  return { header: value as RecordingHeader };
}

export function isRecordingEnd(value: unknown): value is RecordingEnd {
  return typeof value === "object" && value !== null && (value as RecordingEnd).end === true;
}

/** Whether a parsed line is an observation (enough of one to be shown). */
export function isObservation(value: unknown): value is Observation {
  if (typeof value !== "object" || value === null) return false;
  const o = value as Partial<Observation>;
  return typeof o.kind === "string" && ["state", "transition", "event", "warning", "lock", "signal"].includes(o.kind) && typeof o.source === "object" && o.source !== null;
}
