/**
 * A folder a writer owns, and the only way the sandbox (and the demo daemon) write files: every
 * name is relative to the folder, one plain segment at a time (no `..`, no absolute name, no
 * empty or `.` segment), and nothing on the way is a symbolic link — the folder itself, its
 * sub-folders, the file — checked with lstat before each write, files opened with O_NOFOLLOW, and
 * the folder a file was opened in checked with realpath after opening. So a write never lands
 * outside the folder, and a link planted inside it makes the write fail instead of writing
 * through it.
 *
 * Writes are the real programs' ways: replace (temp file in the same folder, fsync, rename: a new
 * inode each time), append (O_APPEND, optionally under flock(LOCK_EX) of the file itself), and a
 * lock file held with flock for a read-compute-write. Synchronous: flock is, and writes are small.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { FsmError } from "../../../shared/errors";
import { flock, LOCK_EX, LOCK_NB, LOCK_UN, LockBusyError } from "../fs/flock";

const C = fs.constants;
const NOFOLLOW = C.O_NOFOLLOW ?? 0;
const NONBLOCK = C.O_NONBLOCK ?? 0;

export function symlinkRefusal(file: string): FsmError {
  return new FsmError({
    code: "sandbox-symlink",
    message: `${file} is a symbolic link; the sandbox never writes through a link (it could lead outside its folder).`,
    file,
    hint: "Remove the link, or choose a folder of the sandbox's own that holds no links.",
  });
}

function notPlain(file: string, what: string): FsmError {
  return new FsmError({ code: "sandbox-not-regular", message: `${file} is ${what}, not a regular file the sandbox wrote.`, file, hint: "Choose a folder of the sandbox's own." });
}

/** The names of a relative path, each a plain segment; anything else is refused. */
export function plainSegments(rel: string): string[] {
  const refuse = (why: string): FsmError =>
    new FsmError({ code: "sandbox-bad-path", message: `${JSON.stringify(rel)} is not a name inside the sandbox's folder: ${why}.`, hint: "Names are relative, without `..`, and never absolute." });
  if (typeof rel !== "string" || rel === "") throw refuse("it is empty");
  if (rel.includes("\0")) throw refuse("it holds a NUL character");
  if (rel.includes("\\")) throw refuse("it holds a backslash");
  if (path.isAbsolute(rel) || path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel)) throw refuse("it is absolute");
  const segments = rel.split("/");
  for (const s of segments) {
    if (s === "..") throw refuse("it climbs out with ..");
    if (s === "" || s === ".") throw refuse("it has an empty or . segment");
  }
  return segments;
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** An open() failure as the user should see it (a link refused by O_NOFOLLOW is ELOOP; EMLINK on the BSDs). */
function openFailure(err: unknown, file: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ELOOP" || code === "EMLINK") return symlinkRefusal(file);
  if (code === "ENXIO") return notPlain(file, "a FIFO or socket");
  return err;
}

/** Opens a file never through a link (O_NOFOLLOW) nor blocking on a FIFO; a link or a FIFO is refused by name. */
function openConfined(file: string, flags: number, mode?: number): number {
  try {
    return fs.openSync(file, flags | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    throw openFailure(err, file);
  }
}

export class ConfinedFolder {
  private constructor(
    /** The folder's real path. */
    readonly root: string,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  /**
   * The folder at `dir` (created, with its parents, when `create` and it does not exist). The
   * folder itself must not be a symbolic link; folders above it may be (a system's /tmp is one):
   * the writer keeps its real path.
   */
  static open(dir: string, opts: { create?: boolean } = {}): ConfinedFolder {
    const abs = path.resolve(dir);
    let st = lstatOrUndefined(abs);
    if (!st && opts.create) {
      fs.mkdirSync(abs, { recursive: true, mode: 0o700 });
      st = lstatOrUndefined(abs);
    }
    if (!st) throw new FsmError({ code: "not-found", message: `${abs} does not exist.`, file: abs, hint: "Choose an existing folder." });
    if (st.isSymbolicLink()) throw symlinkRefusal(abs);
    if (!st.isDirectory()) throw new FsmError({ code: "sandbox-not-folder", message: `${abs} is not a folder.`, file: abs, hint: "Choose a folder." });
    const root = fs.realpathSync(abs);
    const real = fs.lstatSync(root);
    if (real.dev !== st.dev || real.ino !== st.ino) throw symlinkRefusal(abs);
    return new ConfinedFolder(root, st.dev, st.ino);
  }

  /** The absolute path of a name inside the folder (checked: plain segments only). */
  path(rel: string): string {
    return path.join(this.root, ...plainSegments(rel));
  }

  /** Creates a folder inside (and the folders on the way), refusing links; returns its path. */
  mkdir(rel: string): string {
    return this.dirOf([...plainSegments(rel), "x"], true) as string;
  }

  /** The names in a folder inside (or the folder itself, for ""), or [] when it does not exist. */
  list(relDir = ""): string[] {
    const dir = relDir === "" ? this.checkRoot() : this.dirOf([...plainSegments(relDir), "x"], false);
    if (dir === undefined) return [];
    return fs.readdirSync(dir);
  }

  /**
   * Replaces a file atomically: a temp file `<tmpPrefix><random>.tmp` in the same folder (created
   * exclusively, never through a link), written, fsynced, renamed over the old one.
   */
  replace(rel: string, text: string, opts: { mode?: number; tmpPrefix?: string } = {}): string {
    const segments = plainSegments(rel);
    const dir = this.dirOf(segments, true) as string;
    const name = segments[segments.length - 1] as string;
    const file = path.join(dir, name);
    this.checkTarget(file);
    const prefix = opts.tmpPrefix ?? `.${name}.`;
    if (plainSegments(`${prefix}x`).length !== 1) throw new FsmError({ code: "sandbox-bad-path", message: `${JSON.stringify(prefix)} is not a temp file name.` });
    const tmp = path.join(dir, `${prefix}${randomBytes(4).toString("hex")}.tmp`);
    const fd = openConfined(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL, opts.mode ?? 0o600);
    try {
      try {
        this.checkOpened(fd, dir, tmp);
        writeAll(fd, Buffer.from(text, "utf8"));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      // A link planted meanwhile is refused, not replaced.
      this.checkTarget(file);
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    return file;
  }

  /** Appends to a file (created when missing), with O_APPEND; under flock(LOCK_EX) of the file itself when `lock`. */
  append(rel: string, text: string, opts: { mode?: number; lock?: boolean } = {}): string {
    const segments = plainSegments(rel);
    const dir = this.dirOf(segments, true) as string;
    const file = path.join(dir, segments[segments.length - 1] as string);
    this.checkTarget(file);
    const fd = openConfined(file, C.O_WRONLY | C.O_APPEND | C.O_CREAT, opts.mode ?? 0o600);
    try {
      this.checkOpened(fd, dir, file);
      if (opts.lock) flock(fd, LOCK_EX);
      try {
        writeAll(fd, Buffer.from(text, "utf8"));
      } finally {
        if (opts.lock) flock(fd, LOCK_UN);
      }
    } finally {
      fs.closeSync(fd);
    }
    return file;
  }

  /** A small file's text (never through a link), or undefined when it does not exist. */
  read(rel: string): string | undefined {
    const segments = plainSegments(rel);
    const dir = this.dirOf(segments, false);
    if (dir === undefined) return undefined;
    const file = path.join(dir, segments[segments.length - 1] as string);
    if (!this.checkTarget(file)) return undefined;
    const fd = openConfined(file, C.O_RDONLY);
    try {
      this.checkOpened(fd, dir, file);
      return fs.readFileSync(fd, "utf8");
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Runs `fn` holding flock(LOCK_EX | LOCK_NB) on a lock file (created when missing, never
   * deleted): throws LockBusyError at once when another process holds it.
   */
  withLock<T>(rel: string, fn: () => T): T {
    const fd = this.openLock(rel);
    try {
      if (!flock(fd, LOCK_EX | LOCK_NB)) throw new LockBusyError(this.path(rel));
      try {
        return fn();
      } finally {
        flock(fd, LOCK_UN);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The same, trying again every `everyMs` until `timeoutMs` has passed (ecluse's LockTimeout). */
  async withLockWaiting<T>(rel: string, timeoutMs: number, fn: () => T, everyMs = 100): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        return this.withLock(rel, fn);
      } catch (err) {
        if (!(err instanceof LockBusyError) || Date.now() >= end) throw err;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  private openLock(rel: string): number {
    const segments = plainSegments(rel);
    const dir = this.dirOf(segments, true) as string;
    const file = path.join(dir, segments[segments.length - 1] as string);
    this.checkTarget(file);
    const fd = openConfined(file, C.O_RDWR | C.O_CREAT, 0o600);
    try {
      this.checkOpened(fd, dir, file);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    return fd;
  }

  /** The folder is still the one opened, and still not a link. */
  private checkRoot(): string {
    const st = lstatOrUndefined(this.root);
    if (!st) throw new FsmError({ code: "not-found", message: `the sandbox folder ${this.root} is gone.`, file: this.root, hint: "Start the sandbox again." });
    if (st.isSymbolicLink() || st.dev !== this.dev || st.ino !== this.ino) throw symlinkRefusal(this.root);
    return this.root;
  }

  /**
   * The folder holding the last segment: each folder on the way checked (not a link, a folder),
   * created when `create`; undefined when one is missing and not created.
   */
  private dirOf(segments: string[], create: boolean): string | undefined {
    let dir = this.checkRoot();
    for (const s of segments.slice(0, -1)) {
      dir = path.join(dir, s);
      let st = lstatOrUndefined(dir);
      if (!st) {
        if (!create) return undefined;
        try {
          fs.mkdirSync(dir, { mode: 0o700 });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        st = lstatOrUndefined(dir);
      }
      if (!st) throw new FsmError({ code: "not-found", message: `${dir} vanished while the sandbox wrote into it.`, file: dir });
      if (st.isSymbolicLink()) throw symlinkRefusal(dir);
      if (!st.isDirectory()) throw notPlain(dir, "not a folder");
    }
    return dir;
  }

  /** A file about to be written: not a link, and a regular file if it exists. True when it exists. */
  private checkTarget(file: string): boolean {
    const st = lstatOrUndefined(file);
    if (!st) return false;
    if (st.isSymbolicLink()) throw symlinkRefusal(file);
    if (!st.isFile()) throw notPlain(file, st.isDirectory() ? "a folder" : "a special file");
    return true;
  }

  /** After open: a regular file, in the folder we meant (a folder swapped for a link on the way is caught here). */
  private checkOpened(fd: number, dir: string, file: string): void {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw notPlain(file, "not a regular file");
    if (fs.realpathSync(dir) !== dir) throw symlinkRefusal(dir);
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}
