/**
 * Writes iai-mcp artifacts exactly as the real daemon does (../shared/reference/SYSTEMS.md §2):
 * lifecycle_state.json pretty-printed (indent 2, no trailing newline) to a temp file, fsynced,
 * renamed over the old one (new inode, mode 0600); the daily JSONL log appended compactly under
 * flock(LOCK_EX) on the log file; the whole dispatch under flock(LOCK_EX|LOCK_NB) on .lifecycle.lock.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { flock, LOCK_EX, LOCK_NB, LOCK_UN, LockBusyError } from "../fs/flock";
import type { Json } from "../../../shared/machine/definition";

export interface IaiStateRecord {
  current_state: string;
  since_ts: string;
  last_activity_ts: string;
  wrapper_event_seq: number;
  sleep_cycle_progress: null | { last_completed_step: number; attempt: number; last_error: string | null; started_at: string };
  quarantine: null | { until_ts: string; reason: string; since_ts: string };
  shadow_run: boolean;
}

export const STATE_FILE = "lifecycle_state.json";
export const LOCK_FILE = ".lifecycle.lock";
export const LOG_DIR = "logs";

export function logFileFor(dir: string, ts: string): string {
  return path.join(dir, LOG_DIR, `lifecycle-events-${ts.slice(0, 10)}.jsonl`);
}

/** Atomic replace, as `lifecycle_state.py` does it. */
export function writeStateFile(dir: string, record: IaiStateRecord): void {
  const tmp = path.join(dir, `.lifecycle_state.${randomBytes(4).toString("hex")}.tmp`);
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(record, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, STATE_FILE));
}

/** Append one compact line (`ts` first) under a blocking flock on the log file itself. */
export function appendLogLine(dir: string, line: { ts: string; event: string } & Record<string, Json>): string {
  const file = logFileFor(dir, line.ts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { ts, event, ...rest } = line;
  const text = `${JSON.stringify({ ts, event, ...rest })}\n`;
  const fd = fs.openSync(file, "a", 0o600);
  try {
    flock(fd, LOCK_EX);
    fs.writeSync(fd, text);
    flock(fd, LOCK_UN);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Run one dispatch under the lifecycle lock; throws LockBusyError when another writer holds it ("state locked"). */
export function withLifecycleLock<T>(dir: string, fn: () => T): T {
  const lockPath = path.join(dir, LOCK_FILE);
  const fd = fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    if (!flock(fd, LOCK_EX | LOCK_NB)) throw new LockBusyError(lockPath);
    try {
      return fn();
    } finally {
      flock(fd, LOCK_UN);
    }
  } finally {
    fs.closeSync(fd);
  }
}
