/**
 * Writes a recording (shared/recording/format.ts): the header, every observation in order, and the
 * closing line, as one gzip stream — to a file (atomically: a temp file beside it, renamed into
 * place once complete) or to any stream (serve mode's download). Redaction reads the observations
 * twice: once to learn what to replace, once to write.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { FsmError } from "../../../shared/errors";
import type { RedactOptions, SavedRecording } from "../../../shared/ipc/replay";
import type { Profile } from "../../../shared/profiles/profile";
import { RECORDING_EXTENSION, RECORDING_FORMAT, RECORDING_VERSION, recordingFileName, type RecordingEnd, type RecordingHeader } from "../../../shared/recording/format";
import { Redactor } from "../../../shared/recording/redact";
import type { Observation } from "../../../shared/trace/observation";

/** What a recording is made of: a session's description, its profile, and its observations. */
export interface RecordingSource {
  session: RecordingHeader["session"];
  profile: Profile;
  /** What an earlier save already redacted (a recording saved again). */
  redacted?: RedactOptions;
  /** Every observation, in order, numbered; may be read more than once. */
  observations(): AsyncIterable<Observation[]>;
}

export interface PreparedRecording {
  header: RecordingHeader;
  /** A file name for it, safe anywhere (from the session's title, redacted as the recording). */
  fileName: string;
  /** Writes the whole recording to `out` (and ends it). */
  write(out: Writable): Promise<{ observations: number; bytes: number }>;
}

/**
 * Gets a recording ready to write: with redaction, reads the observations once to learn what to
 * replace (a host named in a message before the pid file that names it).
 */
export async function prepareRecording(source: RecordingSource, redact: RedactOptions | undefined, app: RecordingHeader["app"], createdAt: string): Promise<PreparedRecording> {
  const redactor = new Redactor(redact ?? {}, source.profile.sensitiveFields ?? []);
  redactor.learnSession(source.session);
  if (redactor.active) for await (const batch of source.observations()) for (const o of batch) redactor.learn(o);
  const before = source.redacted ?? {};
  const header = redactor.header({
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdAt,
    app,
    session: source.session,
    profile: source.profile,
    redacted: { paths: before.paths === true, hosts: before.hosts === true, sensitive: before.sensitive === true },
  });
  return {
    header,
    fileName: recordingFileName(header.session.title),
    async write(out) {
      let observations = 0;
      let bytes = 0;
      async function* lines(): AsyncGenerator<string> {
        yield `${JSON.stringify(header)}\n`;
        for await (const batch of source.observations()) {
          let text = "";
          for (const o of batch) {
            text += `${JSON.stringify(redactor.observation(o))}\n`;
            observations++;
          }
          yield text;
        }
        const end: RecordingEnd = { end: true, observations };
        yield `${JSON.stringify(end)}\n`;
      }
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(lines, createGzip(), counter, out);
      return { observations, bytes };
    },
  };
}

/** A failure to write `file`, in words. */
function writeProblem(err: unknown, file: string): FsmError {
  if (err instanceof FsmError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const dir = path.dirname(file);
  switch (code) {
    case "EACCES":
    case "EPERM":
      return new FsmError({ code: "cannot-write", message: `Cannot write ${file} (permission denied).`, file, hint: "Choose a folder you may write to." });
    case "ENOSPC":
    case "EDQUOT":
      return new FsmError({ code: "cannot-write", message: `Cannot write ${file}: the disk is full.`, file, hint: "Free some space, or choose another disk." });
    case "EROFS":
      return new FsmError({ code: "cannot-write", message: `Cannot write ${file}: ${dir} is on a read-only file system.`, file, hint: "Choose another folder." });
    case "ENOENT":
    case "ENOTDIR":
      return new FsmError({ code: "cannot-write", message: `Cannot write ${file}: the folder ${dir} does not exist.`, file, hint: "Choose an existing folder." });
    default:
      return new FsmError({ code: "cannot-write", message: `Cannot write ${file}: ${(err as Error).message}.`, file, hint: "Choose another place to save it." });
  }
}

/**
 * Saves a recording as `requested` (the extension added when missing): written to a temp file in
 * the same folder, flushed to disk, then renamed over the name — a reader never sees half a file,
 * and a failure leaves what was there before.
 */
export async function saveRecordingFile(prepared: PreparedRecording, requested: string): Promise<SavedRecording> {
  let file = path.resolve(requested);
  if (!file.toLowerCase().endsWith(RECORDING_EXTENSION)) file += RECORDING_EXTENSION;
  const existing = await fsp.stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new FsmError({ code: "cannot-write", message: `Cannot save the recording as ${file}: that is a folder.`, file, hint: "Give a file name." });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const written = await prepared.write(fs.createWriteStream(tmp, { flags: "wx", mode: 0o666 }));
    // On disk before it takes the name (fsync applies to the file, whichever descriptor asks).
    const fh = await fsp.open(tmp, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
    return { path: file, bytes: written.bytes, observations: written.observations };
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw writeProblem(err, file);
  }
}
