/**
 * Writes iai-mcp's files exactly as the real daemon does (../shared/reference/SYSTEMS.md §2), in a
 * folder of the writer's own (ConfinedFolder: no `..`, no links): lifecycle_state.json
 * pretty-printed to `.lifecycle_state.<random>.tmp`, fsynced, renamed over the old one (new inode,
 * mode 0600); each log line appended compactly to the day's `logs/lifecycle-events-*.jsonl` under
 * flock(LOCK_EX) on the log file; a whole dispatch under flock(LOCK_EX | LOCK_NB) on
 * `.lifecycle.lock` (LockBusyError at once when another writer holds it: "state locked").
 * Used by the demo daemon and by the sandbox.
 */
import {
  IAI_LOCK_FILE,
  IAI_LOG_DIR,
  IAI_STATE_FILE,
  IAI_STATE_TMP_PREFIX,
  formatIaiLogLine,
  formatIaiState,
  iaiLogName,
  type IaiLogLine,
  type IaiStateRecord,
} from "../../../shared/sandbox/iai-mcp";
import { ConfinedFolder } from "./confined-folder";

export class IaiFiles {
  constructor(readonly folder: ConfinedFolder) {}

  /** The files of the data folder at `dir` (created when missing). */
  static open(dir: string): IaiFiles {
    return new IaiFiles(ConfinedFolder.open(dir, { create: true }));
  }

  /** Atomic replace of the state file, as `lifecycle_state.py` does it. Returns its path. */
  writeState(record: IaiStateRecord): string {
    return this.folder.replace(IAI_STATE_FILE, formatIaiState(record), { mode: 0o600, tmpPrefix: IAI_STATE_TMP_PREFIX });
  }

  /** The state file's record, or undefined when there is none (or it is not one). */
  readState(): IaiStateRecord | undefined {
    const text = this.folder.read(IAI_STATE_FILE);
    if (text === undefined) return undefined;
    try {
      const doc = JSON.parse(text) as IaiStateRecord | null;
      return doc !== null && typeof doc === "object" && typeof doc.current_state === "string" ? doc : undefined;
    } catch {
      return undefined;
    }
  }

  /** Appends one compact line (`ts` first) to its day's log, under a blocking flock on the log file. Returns the log's path. */
  appendLog(line: IaiLogLine): string {
    return this.folder.append(`${IAI_LOG_DIR}/${iaiLogName(line.ts)}`, formatIaiLogLine(line), { mode: 0o600, lock: true });
  }

  /** Runs one dispatch under the lifecycle lock; throws LockBusyError when another writer holds it. */
  withLifecycleLock<T>(fn: () => T): T {
    return this.folder.withLock(IAI_LOCK_FILE, fn);
  }
}
