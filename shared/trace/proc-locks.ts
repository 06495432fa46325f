/**
 * The text of Linux's /proc/locks, parsed. Pure: the caller reads the file.
 *
 * One line per lock, as fs/locks.c prints it:
 *
 *   1: FLOCK  ADVISORY  WRITE 25389 fe:00:2204304 0 EOF
 *   2: POSIX  ADVISORY  READ 4242 08:01:131 0 99
 *   3: OFDLCK ADVISORY  READ -1 fe:00:2146366 0 EOF
 *   4: LEASE  ACTIVE    READ 16561 fe:00:2146385 0 EOF
 *   4: -> LEASE  BREAKER   WRITE 16709 <none>:0 0 EOF
 *
 * A line whose id is followed by `->` (indented one more space per level of the blocking tree) is a
 * request blocked on the lock with that id. The device is the file system's `MAJOR:MINOR` in hex
 * (at least two digits each), then the inode in decimal. OFD locks have no owning process: pid -1.
 */

export type ProcLockType = "FLOCK" | "POSIX" | "OFDLCK" | "LEASE" | "DELEG" | "ACCESS" | "UNKNOWN";

export interface ProcLockEntry {
  /** The lock's number in this listing (a waiter carries the number of the lock it waits on). */
  id: number;
  /** Anything the kernel prints that is not one of the known kinds becomes "UNKNOWN". */
  type: ProcLockType;
  /** MANDATORY in the second column (old kernels only); false for ADVISORY and for leases. */
  mandatory: boolean;
  /** For leases and delegations: ACTIVE, BREAKING or BREAKER (the second column). */
  lease?: string;
  /** WRITE = exclusive, READ = shared; UNLCK (a lease being broken down to nothing) = "none". */
  mode: "exclusive" | "shared" | "none";
  /** Owning process as seen from our pid namespace; -1 for OFD locks (no owning process). */
  pid: number;
  /** File system device in hex as printed ("fe", "00", "103"); "" when the lock has no inode. */
  major: string;
  minor: string;
  /** Inode number in decimal, as printed (a string, so 64-bit inode numbers compare exactly); null for `<none>`. */
  inode: string | null;
  /** First byte locked (0 for flock, leases). */
  start: number;
  /** Last byte locked, or "EOF" for "to the end of the file, however long". */
  end: number | "EOF";
  /** A request waiting for this lock (the `->` lines), not a lock that is held. */
  blocked: boolean;
}

const TYPES: ReadonlySet<string> = new Set<ProcLockType>(["FLOCK", "POSIX", "OFDLCK", "LEASE", "DELEG", "ACCESS", "UNKNOWN"]);
const MODES: ReadonlyMap<string, ProcLockEntry["mode"]> = new Map([
  ["WRITE", "exclusive"],
  ["READ", "shared"],
  ["UNLCK", "none"],
]);
const DEVICE_RE = /^([0-9a-f]+):([0-9a-f]+):(\d+)$/i;
const NO_INODE_RE = /^<none>:\d+$/;
const ID_RE = /^(\d+):(.*)$/;
const INT_RE = /^-?\d+$/;

/** Parse one line; undefined for anything that is not a lock line (never throws). */
export function parseProcLocksLine(line: string): ProcLockEntry | undefined {
  const idMatch = ID_RE.exec(line.trim());
  if (!idMatch || idMatch[1] === undefined || idMatch[2] === undefined) return undefined;
  const id = Number(idMatch[1]);
  let rest = idMatch[2].trimStart();
  let blocked = false;
  if (rest.startsWith("->")) {
    blocked = true;
    rest = rest.slice(2).trimStart();
  }
  const tokens = rest.split(/\s+/).filter((t) => t !== "");
  const rawType = tokens[0];
  if (rawType === undefined) return undefined;
  const type: ProcLockType = TYPES.has(rawType) ? (rawType as ProcLockType) : "UNKNOWN";
  // The access word (WRITE/READ/UNLCK) follows one or two descriptive words: find it rather than
  // count columns, so a kernel that adds or drops a word there still parses.
  let i = 1;
  while (i < tokens.length && i <= 3 && !MODES.has(tokens[i] ?? "")) i++;
  const modeWord = tokens[i];
  const mode = modeWord === undefined ? undefined : MODES.get(modeWord);
  if (mode === undefined) return undefined;
  const middle = tokens.slice(1, i);
  const [pidText, deviceText, startText, endText] = tokens.slice(i + 1, i + 5);
  if (pidText === undefined || deviceText === undefined || !INT_RE.test(pidText)) return undefined;
  let major = "";
  let minor = "";
  let inode: string | null = null;
  const dev = DEVICE_RE.exec(deviceText);
  if (dev && dev[1] !== undefined && dev[2] !== undefined && dev[3] !== undefined) {
    major = dev[1].toLowerCase();
    minor = dev[2].toLowerCase();
    inode = dev[3];
  } else if (!NO_INODE_RE.test(deviceText)) {
    return undefined;
  }
  const start = startText !== undefined && INT_RE.test(startText) ? Number(startText) : 0;
  const end: number | "EOF" = endText === undefined || endText === "EOF" || !INT_RE.test(endText) ? "EOF" : Number(endText);
  const entry: ProcLockEntry = {
    id,
    type,
    mandatory: middle.includes("MANDATORY"),
    mode,
    pid: Number(pidText),
    major,
    minor,
    inode,
    start,
    end,
    blocked,
  };
  if ((type === "LEASE" || type === "DELEG") && middle[0] !== undefined) entry.lease = middle[0];
  return entry;
}

/** Parse the whole file; lines that are not lock lines are skipped. */
export function parseProcLocks(text: string): ProcLockEntry[] {
  const out: ProcLockEntry[] = [];
  for (const line of text.split("\n")) {
    const e = parseProcLocksLine(line);
    if (e) out.push(e);
  }
  return out;
}

const U64 = 0xffff_ffff_ffff_ffffn;

/**
 * The `MAJOR:MINOR` that /proc/locks prints for files on the device whose user-space number is
 * `dev` (stat's `st_dev`, glibc's encoding: major = (dev >> 8) & 0xfff | (dev >> 32) & 0xfffff000,
 * minor = dev & 0xff | (dev >> 12) & 0xffffff00), in lower-case hex with at least two digits each,
 * exactly as the kernel's `%02x:%02x`. Pass a bigint (`fs.stat(p, { bigint: true }).dev`) for
 * devices above 2^53.
 */
export function procLocksDevice(dev: number | bigint): string {
  if (typeof dev === "number" && !Number.isFinite(dev)) return "";
  const d = (typeof dev === "bigint" ? dev : BigInt(Math.trunc(dev))) & U64;
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xffff_f000n);
  const minor = (d & 0xffn) | ((d >> 12n) & 0xffff_ff00n);
  const hex = (n: bigint): string => n.toString(16).padStart(2, "0");
  return `${hex(major)}:${hex(minor)}`;
}

/** The entry's device as `MAJOR:MINOR` ("" when it has none), comparable with `procLocksDevice`. */
export function entryDevice(e: ProcLockEntry): string {
  return e.inode === null ? "" : `${e.major}:${e.minor}`;
}
