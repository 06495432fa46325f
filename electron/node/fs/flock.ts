/**
 * flock(2) for the programs we *simulate* (the demo daemon, test writers). The inspector itself
 * never locks a watched file: sources only read /proc/locks. Loaded lazily through koffi (a
 * prebuilt FFI module), so platforms without flock (Windows) simply run without locks.
 */
import { createRequire } from "node:module";

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

type FlockFn = (fd: number, op: number) => number;
type ErrnoFn = () => number;

let loaded: { flock: FlockFn; errno: ErrnoFn } | null | undefined;

function load(): { flock: FlockFn; errno: ErrnoFn } | null {
  if (loaded !== undefined) return loaded;
  try {
    if (process.platform === "win32") throw new Error("no flock on Windows");
    const require = createRequire(import.meta.url);
    const koffi = require("koffi") as {
      load(name: string): { func(sig: string): FlockFn };
      errno(): number;
    };
    const libName = process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6";
    const lib = koffi.load(libName);
    loaded = { flock: lib.func("int flock(int, int)"), errno: () => koffi.errno() };
  } catch {
    loaded = null;
  }
  return loaded;
}

export class LockBusyError extends Error {
  constructor(path: string) {
    super(`${path} is locked by another process`);
    this.name = "LockBusyError";
  }
}

const EWOULDBLOCK = 11;

/**
 * flock(fd, op). Returns false when LOCK_NB was asked and the lock is held elsewhere.
 * Without flock support it returns true and does nothing.
 */
export function flock(fd: number, op: number): boolean {
  const lib = load();
  if (!lib) return true;
  const rc = lib.flock(fd, op);
  if (rc === 0) return true;
  const errno = lib.errno();
  if ((op & LOCK_NB) !== 0 && (errno === EWOULDBLOCK || errno === 35)) return false;
  throw new Error(`flock failed with errno ${errno}`);
}
