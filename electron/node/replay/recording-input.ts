/**
 * A recording file (shared/recording/format.ts) read for replay: its header (the profile and
 * machine it was made with), then its observations in batches, as recorded — already judged.
 * A line that is not an observation, and a file cut short, are warnings on the timeline.
 */
import path from "node:path";
import { createGunzip } from "node:zlib";
import { FsmError } from "../../../shared/errors";
import type { Profile } from "../../../shared/profiles/profile";
import { RECORDING_FORMAT, checkHeader, isObservation, isRecordingEnd, type RecordingHeader } from "../../../shared/recording/format";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import type { ReadProgress } from "../check/read-target";
import type { TargetItem } from "../check/log-items";
import { openRegularFile } from "../fs/regular-file";

/** Whether a file is a recording: gzip whose first line is a recording header. */
export async function isRecordingFile(file: string): Promise<boolean> {
  let opened;
  try {
    opened = await openRegularFile(file);
  } catch {
    return false;
  }
  const { fh } = opened;
  try {
    const magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) return false;
    for await (const chunk of fh.createReadStream({ start: 0, end: 64 * 1024, autoClose: false }).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      return chunk.subarray(0, 200).toString("utf8").includes(`"format":"${RECORDING_FORMAT}"`);
    }
    return false;
  } catch {
    return false;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function warning(file: string, line: number, message: string): TargetItem {
  const w: NewObservation = { kind: "warning", code: "bad-line", message, tsFrom: "observed", source: { file, line } };
  return { obs: w };
}

/** Opens a recording: its header at once, its observations as they are read. */
export async function readRecordingForIndex(file: string): Promise<{ header: RecordingHeader; profile: Profile; batches(onRead: (p: ReadProgress) => void): AsyncGenerator<TargetItem[]>; close(): Promise<void> }> {
  const name = path.basename(file);
  const { fh, stat } = await openRegularFile(file);
  const raw = fh.createReadStream({ autoClose: true });
  const gunzip = raw.pipe(createGunzip());
  raw.on("error", (err) => gunzip.destroy(err));
  const splitter = new LineSplitter(64 * 1024 * 1024);
  const it = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let pending: Line[] = [];
  let bytesRead = 0;
  raw.on("data", (c: Buffer | string) => (bytesRead += c.length));
  // The header: the first line.
  let header: RecordingHeader | undefined;
  try {
    while (!header) {
      const first = pending.shift();
      if (first) {
        let value: unknown;
        try {
          value = JSON.parse(first.text);
        } catch {
          value = undefined;
        }
        const checked = checkHeader(value, name);
        if ("problem" in checked) throw new FsmError({ code: "bad-recording", message: checked.problem, file });
        header = checked.header;
        break;
      }
      const next = await it.next();
      if (next.done) throw new FsmError({ code: "bad-recording", message: `${name} is empty or not a recording.`, file });
      pending = splitter.push(next.value);
    }
  } catch (err) {
    raw.destroy();
    if (err instanceof FsmError) throw err;
    throw new FsmError({ code: "bad-recording", message: `${name} is not a readable recording (${(err as Error).message}).`, file, hint: "Recordings are gzip files saved by FSM Inspector (Save recording…)." });
  }
  const found = header;
  let lines = 1;
  return {
    header: found,
    profile: found.profile,
    async close() {
      raw.destroy();
      gunzip.destroy();
    },
    async *batches(onRead) {
      let ended = false;
      let count = 0;
      const convert = (batch: Line[]): TargetItem[] => {
        const out: TargetItem[] = [];
        for (const line of batch) {
          lines++;
          if (line.text.trim() === "") continue;
          let value: unknown;
          try {
            value = JSON.parse(line.text);
          } catch {
            out.push(warning(file, line.lineNo, `${name} line ${line.lineNo} is not valid JSON; it is skipped.`));
            continue;
          }
          if (isRecordingEnd(value)) {
            ended = true;
            if (value.observations !== count) out.push(warning(file, line.lineNo, `${name} says it holds ${value.observations} observations, but ${count} were read.`));
            continue;
          }
          if (!isObservation(value)) {
            out.push(warning(file, line.lineNo, `${name} line ${line.lineNo} is not an observation; it is skipped.`));
            continue;
          }
          count++;
          const { seq: _seq, ...obs } = value;
          out.push({ obs: obs as NewObservation });
        }
        onRead({ file, bytesRead, bytesTotal: stat.size, lines });
        return out;
      };
      try {
        if (pending.length) yield convert(pending);
        for (;;) {
          const next = await it.next();
          if (next.done) break;
          yield convert(splitter.push(next.value));
        }
        yield convert(splitter.flush());
      } catch (err) {
        yield [warning(file, lines + 1, `${name} is cut short or damaged (${(err as Error).message}); what came before is shown.`)];
        ended = true;
      }
      if (!ended) yield [warning(file, lines, `${name} ends without its closing line: it was cut short; what came before is shown.`)];
    },
  };
}

/** Only the header of a recording (the file is closed again at once). */
export async function readRecordingHeader(file: string): Promise<RecordingHeader> {
  const rec = await readRecordingForIndex(file);
  await rec.close();
  return rec.header;
}
