/**
 * The only ways the backend opens what a user points it at. Watched programs write regular files
 * in ordinary folders; anything else is refused before a byte is read:
 * - FIFOs, sockets and devices: opening a FIFO for reading blocks until a writer comes (forever, and
 *   it holds one of libuv's four pool threads while it waits); reading a device may consume data
 *   meant for others. Files are opened with O_NONBLOCK and checked with fstat, so not even the
 *   open can block.
 * - Special file systems (proc, sysfs, debugfs …): their "regular files" are kernel interfaces —
 *   /proc/kmsg consumes kernel messages for other readers.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";

/** statfs(2) magic numbers of kernel interface file systems (linux/magic.h). */
const SPECIAL_FS = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x6165676c, "pstore"],
  [0xcafe4a11, "bpf"],
  [0x62656570, "configfs"],
  [0xde5e81e4, "efivarfs"],
  [0x65735543, "fusectl"],
  [0x19800202, "mqueue"],
  [0x42494e4d, "binfmt_misc"],
  [0x1cd1, "devpts"],
]);

export class NotRegularError extends Error {
  readonly code = "ENOTREG";
  constructor(
    readonly file: string,
    readonly what: string,
  ) {
    super(`${file} is ${what}, not a regular file or folder: FSM Inspector only reads the files programs write, and never opens special files`);
    this.name = "NotRegularError";
  }
}

/** What kind of special thing a stat describes ("a FIFO (named pipe)", …), or undefined for a file or folder. */
export function specialKind(st: fs.Stats): string | undefined {
  if (st.isFile() || st.isDirectory()) return undefined;
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "a special file";
}

/** The special file system `p` lives on ("proc", "sysfs" …), or undefined. Never throws. */
export async function specialFileSystem(p: string): Promise<string | undefined> {
  if (process.platform !== "linux") return undefined;
  try {
    const st = await fsp.statfs(p);
    return SPECIAL_FS.get(Number(st.type));
  } catch {
    return undefined;
  }
}

/**
 * Refuses a path on a special file system, or one that is neither a regular file nor a folder
 * (following symlinks). Errors of stat itself (ENOENT, EACCES) are passed through.
 */
export async function assertOrdinaryPath(p: string): Promise<fs.Stats> {
  const fsName = await specialFileSystem(p);
  if (fsName) throw new NotRegularError(p, `on the ${fsName} file system (kernel interfaces, not program data)`);
  const st = await fsp.stat(p);
  const kind = specialKind(st);
  if (kind) throw new NotRegularError(p, kind);
  return st;
}

/** Folders already looked at (a folder does not change file system while watched; bounded). */
const folderFs = new Map<string, string | undefined>();

async function folderFileSystem(dir: string): Promise<string | undefined> {
  if (folderFs.has(dir)) return folderFs.get(dir);
  const name = await specialFileSystem(dir);
  if (folderFs.size >= 1024) folderFs.clear();
  folderFs.set(dir, name);
  return name;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** Opens a regular file for reading without ever blocking on it; refuses anything else. */
export async function openRegularFile(file: string): Promise<{ fh: fsp.FileHandle; stat: fs.Stats }> {
  const fsName = await folderFileSystem(path.dirname(file));
  if (fsName) throw new NotRegularError(file, `on the ${fsName} file system (kernel interfaces, not program data)`);
  const fh = await fsp.open(file, OPEN_FLAGS);
  try {
    const stat = await fh.stat();
    if (!stat.isFile()) throw new NotRegularError(file, specialKind(stat) ?? "a folder");
    return { fh, stat };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** A whole (small) regular file as text, at most `maxBytes` of it. */
export async function readRegularFile(file: string, maxBytes = 16 * 1024 * 1024): Promise<string> {
  const { fh, stat } = await openRegularFile(file);
  try {
    const size = Math.min(stat.size, maxBytes);
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(buf, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got).toString("utf8");
  } finally {
    await fh.close();
  }
}

/** A read stream over a regular file (checked first, never blocking); `start`/`end` as for fs.createReadStream. */
export async function regularReadStream(file: string, opts: { start?: number; end?: number; highWaterMark?: number } = {}): Promise<{ stream: fs.ReadStream; stat: fs.Stats }> {
  const { fh, stat } = await openRegularFile(file);
  return { stream: fh.createReadStream({ ...opts, autoClose: true }), stat };
}
