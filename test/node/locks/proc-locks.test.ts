/**
 * The /proc/locks parser on text captured from real kernels (6.x on this project's build machine:
 * FLOCK with a blocking tree, POSIX, OFD, leases active, breaking and their breaker), old-kernel
 * forms, garbage, and this machine's own /proc/locks; and the device-number helper.
 */
import fs from "node:fs";
import os from "node:os";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entryDevice, parseProcLocks, parseProcLocksLine, procLocksDevice } from "../../../shared/trace/proc-locks";
import { waitFor } from "../../helpers/tmp";
import { flockHolder } from "./processes";

// Captured with `cat /proc/locks` while util-linux flock, Python fcntl.lockf, an F_OFD_SETLK and
// F_SETLEASE holders ran (Linux 6.18).
const REAL = `1: OFDLCK ADVISORY  READ -1 fe:00:2146366 0 EOF
2: POSIX  ADVISORY  WRITE 16493 fe:00:2146342 0 EOF
3: FLOCK  ADVISORY  WRITE 16485 fe:00:2146323 0 EOF
3: -> FLOCK  ADVISORY  WRITE 16489 fe:00:2146323 0 EOF
3:  -> FLOCK  ADVISORY  READ 16491 fe:00:2146323 0 EOF
4: LEASE  ACTIVE    READ 16561 fe:00:2146385 0 EOF
5: LEASE  BREAKING  UNLCK 16626 fe:00:2146399 0 EOF
5: -> LEASE  BREAKER   WRITE 16709 <none>:0 0 EOF
`;

describe("parseProcLocks", () => {
  it("reads every kind of line a 6.x kernel prints", () => {
    const e = parseProcLocks(REAL);
    expect(e).toHaveLength(8);
    expect(e[0]).toEqual({ id: 1, type: "OFDLCK", mandatory: false, mode: "shared", pid: -1, major: "fe", minor: "00", inode: "2146366", start: 0, end: "EOF", blocked: false });
    expect(e[1]).toMatchObject({ id: 2, type: "POSIX", mode: "exclusive", pid: 16493, inode: "2146342", blocked: false });
    expect(e[2]).toMatchObject({ id: 3, type: "FLOCK", mode: "exclusive", pid: 16485, blocked: false });
    expect(e[3]).toMatchObject({ id: 3, type: "FLOCK", mode: "exclusive", pid: 16489, blocked: true, inode: "2146323" });
    expect(e[4]).toMatchObject({ id: 3, type: "FLOCK", mode: "shared", pid: 16491, blocked: true });
    expect(e[5]).toMatchObject({ id: 4, type: "LEASE", lease: "ACTIVE", mode: "shared", pid: 16561, mandatory: false });
    expect(e[6]).toMatchObject({ id: 5, type: "LEASE", lease: "BREAKING", mode: "none", pid: 16626 });
    expect(e[7]).toMatchObject({ id: 5, type: "LEASE", lease: "BREAKER", mode: "exclusive", pid: 16709, blocked: true, inode: null, major: "", minor: "" });
    expect(e.map(entryDevice)).toEqual(["fe:00", "fe:00", "fe:00", "fe:00", "fe:00", "fe:00", "fe:00", ""]);
  });

  it("reads the older forms: `1: -> ` waiters, byte ranges, MANDATORY, 3-digit majors", () => {
    const text = [
      "1: FLOCK  ADVISORY  WRITE 25389 fe:00:2204304 0 EOF",
      "1: -> FLOCK  ADVISORY  WRITE 1234 fe:00:2204304 0 EOF",
      "2: POSIX  MANDATORY WRITE 77 08:01:131 100 199",
      "3: POSIX  ADVISORY  READ  4242 103:02:18446744073709551615 1073741824 1073742335",
      "4: DELEG  ACTIVE    READ 99 00:2d:77 0 EOF",
      "5: ACCESS ADVISORY  READ 5 08:01:9 0 EOF",
      "6: UNKNOWN UNKNOWN  WRITE 6 08:01:10 0 EOF",
    ].join("\n");
    const e = parseProcLocks(text);
    expect(e.map((x) => [x.id, x.type, x.blocked])).toEqual([
      [1, "FLOCK", false],
      [1, "FLOCK", true],
      [2, "POSIX", false],
      [3, "POSIX", false],
      [4, "DELEG", false],
      [5, "ACCESS", false],
      [6, "UNKNOWN", false],
    ]);
    expect(e[2]).toMatchObject({ mandatory: true, start: 100, end: 199, major: "08", minor: "01", inode: "131" });
    // A 64-bit inode number is kept exactly, as text.
    expect(e[3]).toMatchObject({ major: "103", minor: "02", inode: "18446744073709551615", start: 1073741824, end: 1073742335, mode: "shared" });
    expect(e[4]).toMatchObject({ lease: "ACTIVE", minor: "2d" });
  });

  it("skips garbage and tolerates extra columns, CRLF and blank lines, and never throws", () => {
    const text = [
      "",
      "garbage",
      "1:",
      "2: FLOCK",
      "3: FLOCK  ADVISORY  WRITE notapid fe:00:1 0 EOF",
      "4: FLOCK  ADVISORY  WRITE 12 nodevice 0 EOF",
      "5: FLOCK  ADVISORY  SOMETHING 12 fe:00:1 0 EOF",
      "5: FLOCK  constructor toString 12 fe:00:1 0 EOF",
      "6: NEWTYPE ADVISORY  WRITE 12 fe:00:7 0 EOF extra columns here\r",
      "7: FLOCK  ADVISORY  WRITE 13 FE:0A:8 0 EOF\r",
      "   8: POSIX  ADVISORY  WRITE 14 fe:00:9 0 EOF   ",
    ].join("\n");
    const e = parseProcLocks(text);
    expect(e.map((x) => x.id)).toEqual([6, 7, 8]);
    expect(e[0]).toMatchObject({ type: "UNKNOWN", pid: 12, inode: "7", end: "EOF" });
    expect(e[1]).toMatchObject({ major: "fe", minor: "0a", inode: "8" });
    expect(parseProcLocksLine("\u0000\u0001 -> -> ->")).toBeUndefined();
  });

  it("reads back any line printed the way fs/locks.c prints it, and never throws on any text", () => {
    const entry = fc.record({
      id: fc.integer({ min: 1, max: 1_000_000 }),
      kind: fc.constantFrom("FLOCK  ADVISORY  ", "POSIX  ADVISORY  ", "OFDLCK ADVISORY  ", "LEASE  ACTIVE    "),
      access: fc.constantFrom("WRITE", "READ"),
      pid: fc.integer({ min: -1, max: 4_194_304 }),
      major: fc.integer({ min: 0, max: 0xfff }),
      minor: fc.integer({ min: 0, max: 0xfffff }),
      inode: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      level: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(entry, (e) => {
        const pfx = e.level === 0 ? "" : "-> ".padStart(e.level + 2);
        const hex = (n: number): string => n.toString(16).padStart(2, "0");
        const line = `${e.id}: ${pfx}${e.kind}${e.access} ${e.pid} ${hex(e.major)}:${hex(e.minor)}:${e.inode} 0 EOF`;
        const p = parseProcLocksLine(line);
        expect(p).toMatchObject({ id: e.id, type: e.kind.split(" ")[0], pid: e.pid, major: hex(e.major), minor: hex(e.minor), inode: e.inode.toString(), blocked: e.level > 0 });
        expect(p?.mode).toBe(e.access === "WRITE" ? "exclusive" : "shared");
      }),
    );
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (t) => Array.isArray(parseProcLocks(t))));
  });

  it("parses every line of this machine's /proc/locks", () => {
    if (!fs.existsSync("/proc/locks")) {
      console.warn("no /proc/locks on this platform: only the captured samples were checked");
      return;
    }
    const text = fs.readFileSync("/proc/locks", "utf8");
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const entries = parseProcLocks(text);
    expect(entries).toHaveLength(lines.length);
    for (const e of entries) {
      expect(["FLOCK", "POSIX", "OFDLCK", "LEASE", "DELEG", "ACCESS"]).toContain(e.type);
      expect(Number.isInteger(e.pid)).toBe(true);
    }
  });
});

describe("procLocksDevice", () => {
  it("prints MAJOR:MINOR in hex, at least two digits each, as the kernel does", () => {
    expect(procLocksDevice(0xfe00)).toBe("fe:00"); // 254:0, dm-0
    expect(procLocksDevice(45)).toBe("00:2d"); // 0:45, tmpfs and other anonymous devices
    expect(procLocksDevice(0x0801)).toBe("08:01"); // 8:1, sda1
    expect(procLocksDevice(0x10303)).toBe("103:03"); // 259:3, nvme
    // minor 300 = 0x12c: the low byte stays in bits 0-7, the rest moves to bits 20+.
    expect(procLocksDevice(0x10002c)).toBe("00:12c");
    // major 0x1001: its low 12 bits in bits 8-19, the rest from bits 44+ (beyond 32 bits).
    expect(procLocksDevice((0x1000n << 32n) | 0x105n)).toBe("1001:05");
    expect(procLocksDevice(0x0000_0fff_fff0_0000n | 0xfff00n | 0xffn)).toBe("fff:ffffffff");
    expect(procLocksDevice(Number.NaN)).toBe("");
  });

  it("matches what /proc/locks prints for a file locked on this machine", async () => {
    if (!fs.existsSync("/proc/locks")) return;
    const dir = fs.mkdtempSync(`${os.tmpdir()}/proc-locks-dev-`);
    try {
      const file = `${dir}/x.lock`;
      fs.writeFileSync(file, "");
      flockHolder(file, "-x");
      const st = fs.statSync(file, { bigint: true });
      // Found by inode alone, so the device printed by the kernel is compared, not assumed.
      const line = await waitFor(() => parseProcLocks(fs.readFileSync("/proc/locks", "utf8")).find((e) => e.inode === st.ino.toString()), "the flock line in /proc/locks");
      expect(entryDevice(line)).toBe(procLocksDevice(st.dev));
      expect(procLocksDevice(Number(st.dev))).toBe(procLocksDevice(st.dev));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
