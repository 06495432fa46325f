/**
 * The demo's iai-mcp writer, by data folder: the formats are in shared/sandbox/iai-mcp.ts and the
 * writing (atomic state replace, log appends under flock, the lifecycle lock) in
 * ../sandbox/iai-files.ts, shared with the sandbox's live files.
 */
import path from "node:path";
import type { Json } from "../../../shared/machine/definition";
import { IAI_LOCK_FILE, IAI_LOG_DIR, IAI_STATE_FILE, iaiLogName, type IaiStateRecord } from "../../../shared/sandbox/iai-mcp";
import { IaiFiles } from "../sandbox/iai-files";

export type { IaiStateRecord };

export const STATE_FILE = IAI_STATE_FILE;
export const LOCK_FILE = IAI_LOCK_FILE;
export const LOG_DIR = IAI_LOG_DIR;

export function logFileFor(dir: string, ts: string): string {
  return path.join(dir, LOG_DIR, iaiLogName(ts));
}

/** Atomic replace, as `lifecycle_state.py` does it. */
export function writeStateFile(dir: string, record: IaiStateRecord): void {
  IaiFiles.open(dir).writeState(record);
}

/** Append one compact line (`ts` first) under a blocking flock on the log file itself. */
export function appendLogLine(dir: string, line: { ts: string; event: string } & Record<string, Json>): string {
  return IaiFiles.open(dir).appendLog(line);
}

/** Run one dispatch under the lifecycle lock; throws LockBusyError when another writer holds it ("state locked"). */
export function withLifecycleLock<T>(dir: string, fn: () => T): T {
  return IaiFiles.open(dir).withLifecycleLock(fn);
}
