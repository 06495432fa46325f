/**
 * The content fault-injection writers write, and tests expect: numbered iai-mcp lines and
 * numbered state files, all pure functions of (number, seed) so a writer process and the test
 * that checks what it wrote compute the same bytes without talking to each other.
 *
 * Log line n (iai-mcp JSONL, test/fixtures/iai-mcp, shared/profiles/iai-mcp.json) is
 *   {"ts": tsOf(n), "event": "state_transition", "from", "to", "trigger", "n": n, "pad": "…"}
 * or, when `eventsEvery` says so, a `sleep_step_started` line (kept as an event, never dropped).
 * Transitions follow the machine's cycle WAKE → DROWSY → SLEEP → HIBERNATION → WAKE (all declared),
 * counted over transitions only, so event lines never break the chain. `ts` is unique per n
 * (one second apart), which is how a `watch --json` transition (which has no `n`) is identified.
 * The pad has a seeded random length (some lines over 64 KiB) and multi-byte UTF-8 characters, so
 * chunk boundaries fall inside lines and inside characters.
 */
import { seededRandom } from "../../../shared/machine/prng";

export const CYCLE = ["WAKE", "DROWSY", "SLEEP", "HIBERNATION"] as const;
export const TRIGGERS = ["idle_5min", "idle_30min", "sleep_cycle_done", "wake_signal"] as const;

/** 2026-06-01T00:00:00Z: line n is at BASE_MS + n seconds unless told otherwise. */
export const BASE_MS = Date.UTC(2026, 5, 1);

export type PadProfile = "none" | "small" | "mixed" | "huge";

export interface LineOptions {
  /** Seed of the pad lengths (and of nothing else). */
  seed?: number;
  pad?: PadProfile;
  /** Every k-th line (n % k === k - 1) is a sleep-step event instead of a transition. 0: never. */
  eventsEvery?: number;
  /** The line's timestamp in epoch ms (default BASE_MS + n s). */
  tsMs?: number;
}

/** iai-mcp's timestamp format: Python isoformat with microseconds and +00:00. */
export function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

export function tsOf(n: number): string {
  return isoMicro(BASE_MS + n * 1000);
}

/** The n of a line from its ts (for lines written with the default ts). */
export function nOfTs(ts: string): number {
  return Math.round((Date.parse(ts) - BASE_MS) / 1000);
}

export function isEventLine(n: number, eventsEvery = 0): boolean {
  return eventsEvery > 0 && n % eventsEvery === eventsEvery - 1;
}

/** How many transitions come before line n (event lines do not count). */
export function transitionIndex(n: number, eventsEvery = 0): number {
  return eventsEvery > 0 ? n - Math.floor((n + 1) / eventsEvery) : n;
}

/** from, to and trigger of the transition written on line n. */
export function transitionOf(n: number, eventsEvery = 0): { from: string; to: string; trigger: string } {
  const k = transitionIndex(n, eventsEvery);
  return { from: CYCLE[k % 4] as string, to: CYCLE[(k + 1) % 4] as string, trigger: TRIGGERS[k % 4] as string };
}

const PAD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789é日€😀";
const PAD_ALPHABET = [...PAD_CHARS];

/** The pad's length in characters for line n (seeded, independent per line). */
export function padLength(n: number, seed: number, pad: PadProfile): number {
  if (pad === "none") return 0;
  const r = seededRandom((seed * 1_000_003 + n * 7919) >>> 0);
  const a = r();
  const b = r();
  if (pad === "small") return Math.floor(b * 200);
  if (pad === "huge") return 64 * 1024 + Math.floor(b * 100 * 1024);
  // mixed: mostly short, some kilobytes, about 4 % over 64 KiB.
  if (a < 0.04) return 60 * 1024 + Math.floor(b * 140 * 1024);
  if (a < 0.2) return 1024 + Math.floor(b * 20 * 1024);
  return Math.floor(b * 400);
}

function padText(n: number, len: number): string {
  if (len === 0) return "";
  // Cheap and deterministic: the alphabet rotated by n, repeated.
  const start = n % PAD_ALPHABET.length;
  const rot = [...PAD_ALPHABET.slice(start), ...PAD_ALPHABET.slice(0, start)];
  return rot.join("").repeat(Math.floor(len / rot.length)) + rot.slice(0, len % rot.length).join("");
}

/** Line n, without its newline. */
export function logLine(n: number, opts: LineOptions = {}): string {
  const ts = opts.tsMs !== undefined ? isoMicro(opts.tsMs) : tsOf(n);
  const len = padLength(n, opts.seed ?? 1, opts.pad ?? "none");
  const pad = padText(n, len);
  if (isEventLine(n, opts.eventsEvery)) {
    return JSON.stringify({ ts, event: "sleep_step_started", step: "SCHEMA_MINE", step_num: 1, n, ...(len ? { pad } : {}) });
  }
  const t = transitionOf(n, opts.eventsEvery);
  return JSON.stringify({ ts, event: "state_transition", from: t.from, to: t.to, trigger: t.trigger, n, ...(len ? { pad } : {}) });
}

/** Lines [from, from + count) joined, each with its newline. */
export function logText(from: number, count: number, opts: LineOptions = {}): string {
  let out = "";
  for (let n = from; n < from + count; n++) out += `${logLine(n, opts)}\n`;
  return out;
}

/** What a reader must report for line n: a transition (from, to, trigger, ts) or an event. */
export interface ExpectedLine {
  n: number;
  kind: "transition" | "event";
  ts: string;
  from?: string;
  to?: string;
  event?: string;
}

export function expectedLine(n: number, opts: LineOptions = {}): ExpectedLine {
  const ts = opts.tsMs !== undefined ? isoMicro(opts.tsMs) : tsOf(n);
  if (isEventLine(n, opts.eventsEvery)) return { n, kind: "event", ts };
  const t = transitionOf(n, opts.eventsEvery);
  return { n, kind: "transition", ts, from: t.from, to: t.to, event: t.trigger };
}

/** `lifecycle-events-YYYY-MM-DD.jsonl` for a day `days` after `start` (YYYY-MM-DD). */
export function dailyLogName(start: string, days = 0): string {
  const d = new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000);
  return `lifecycle-events-${d.toISOString().slice(0, 10)}.jsonl`;
}

/** iai-mcp's lifecycle_state.json for write number `seq` (state cycles with seq), pretty as the daemon writes it. */
export function iaiStateText(seq: number): string {
  const state = CYCLE[seq % 4] as string;
  return JSON.stringify(
    {
      current_state: state,
      since_ts: tsOf(seq),
      last_activity_ts: tsOf(seq),
      wrapper_event_seq: seq,
      sleep_cycle_progress: null,
      quarantine: null,
      shadow_run: false,
    },
    null,
    2,
  );
}

export function iaiStateOf(seq: number): string {
  return CYCLE[seq % 4] as string;
}

/** The ecluse session "s1" goes absent → pending → active → pending → absent … with write number seq. */
export const ECLUSE_PHASES = ["absent", "pending", "active", "pending"] as const;

export function ecluseStateOf(seq: number): string {
  return ECLUSE_PHASES[seq % 4] as string;
}

/**
 * ecluse's .ecluse/state.json for write number seq: session "s1" in ecluseStateOf(seq), tagged with
 * slot = seq; session "clock" always active, also tagged, so every write differs from the last.
 */
export function ecluseStateText(seq: number): string {
  const sessions: Record<string, unknown>[] = [{ slug: "clock", mode: "bare", slot: seq, branch: "main", worktree_path: "../worktrees/clock" }];
  const phase = ecluseStateOf(seq);
  if (phase !== "absent") {
    const s1: Record<string, unknown> = { slug: "s1", mode: "compose", slot: seq, branch: "feat/s1", worktree_path: "../worktrees/s1" };
    if (phase === "pending") {
      s1["status"] = "pending";
      s1["pending_op"] = { id: `op-${seq}`, since: tsOf(seq).replace("+00:00", "Z") };
    }
    sessions.push(s1);
  }
  return JSON.stringify({ version: 1, sessions }, null, 2);
}
