/**
 * ecluse's `.ecluse/state.json` (../shared/reference/SYSTEMS.md §3, test/fixtures/ecluse/ORIGIN.md):
 * `{"version": 1, "sessions": [...]}` pretty-printed as serde writes it (2-space indent, no
 * trailing newline); a session's fields in the order `slug, mode, slot, branch, worktree_path,
 * status, pending_op`; `status` left out while active, `"pending"` with `pending_op {id, since}`
 * while an up/down is in flight; an absent session is not in the array. New sessions are appended
 * with the lowest free slot (from 1); a change replaces a session in place; removal deletes it.
 * Transitions are the differences between successive versions, so each hop is one version. Pure.
 */
import type { Profile } from "../profiles/profile";
import { fileSafeName } from "./names";
import { payloadString } from "./run";
import { rfc3339Us } from "./virtual-time";

export const ECLUSE_DIR = ".ecluse";
export const ECLUSE_STATE_FILE = "state.json";
export const ECLUSE_LOCK_FILE = "state.lock";

interface Session {
  slug: string;
  mode: string;
  slot: number;
  branch: string;
  worktree_path: string;
  status?: string;
  pending_op?: { id: string; since: string };
}

/** The names the profile reads: the state of a slug not in the file, and of a session without `status`. */
function recordNames(profile: Profile): { absent: string; whenMissing: string } {
  for (const s of profile.sources) if (s.kind === "state-file" && s.records) return { absent: s.records.absent, whenMissing: s.records.whenMissing };
  return { absent: "absent", whenMissing: "active" };
}

export class EcluseState {
  /** Sessions by slug, in array order (a Map: slugs come from users). */
  private readonly sessions = new Map<string, Session>();
  private readonly absent: string;
  private readonly whenMissing: string;
  private ops = 0;

  /** `start`: each slug's state when the sandbox started (absent ones are simply not in the file); `us` is that time. */
  constructor(profile: Profile, start: Iterable<readonly [string, string]>, us: number) {
    ({ absent: this.absent, whenMissing: this.whenMissing } = recordNames(profile));
    for (const [slug, state] of start) this.set(slug, state, us, {});
  }

  /** Applies one hop of `slug` at `us`; the payload may give `mode` and `branch` for a new session. */
  hop(slug: string, to: string, us: number, payload: Record<string, unknown>): void {
    this.set(slug, to, us, payload);
  }

  /** The state a slug is in, as the file says it. */
  stateOf(slug: string): string {
    const s = this.sessions.get(slug);
    return s === undefined ? this.absent : (s.status ?? this.whenMissing);
  }

  /** The file's text now. */
  text(): string {
    return JSON.stringify({ version: 1, sessions: [...this.sessions.values()] }, null, 2);
  }

  private set(slug: string, state: string, us: number, payload: Record<string, unknown>): void {
    if (state === this.absent) {
      this.sessions.delete(slug);
      return;
    }
    const before = this.sessions.get(slug);
    const session: Session = before
      ? { slug, mode: before.mode, slot: before.slot, branch: before.branch, worktree_path: before.worktree_path }
      : {
          slug,
          mode: payloadString(payload, "mode") ?? "compose",
          slot: this.freeSlot(),
          branch: payloadString(payload, "branch") ?? slug,
          // A path written beside the repo, never created: the slug made safe as one folder name.
          worktree_path: `../worktrees/${fileSafeName(slug)}`,
        };
    if (state !== this.whenMissing) {
      session.status = state;
      // A session that stays in the same in-flight status keeps the operation that put it there.
      session.pending_op = before?.status === state && before.pending_op ? before.pending_op : { id: `sandbox-op-${++this.ops}`, since: rfc3339Us(us) };
    }
    this.sessions.set(slug, session);
  }

  private freeSlot(): number {
    const used = new Set([...this.sessions.values()].map((s) => s.slot));
    let slot = 1;
    while (used.has(slot)) slot += 1;
    return slot;
  }
}
