/**
 * The read-only guarantee: while a real writer process changes state at a high rate (atomic
 * replaces, appends under flock), the inspector observes every transition exactly once, and never
 * changes a byte or a mode of what it watches, and never takes a lock (/proc/locks never shows
 * our pid). Closing a session leaves no file descriptor open.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TraceSession } from "../../electron/node/session/trace-session";
import { findProfile } from "../../shared/profiles";
import type { Observation } from "../../shared/trace/observation";
import { ROOT } from "../helpers/cli";
import { tempDir, waitFor } from "../helpers/tmp";

const profile = findProfile("iai-mcp");
if (!profile) throw new Error("no iai-mcp profile");

function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const st = fs.statSync(p);
      if (st.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

function runWriter(dir: string, dispatches: number, pauseMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/helpers/writers/iai-writer-main.ts"), dir, String(dispatches), String(pauseMs), "7"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(Number(/done (\d+)/.exec(out)?.[1] ?? "NaN")) : reject(new Error(`writer exited ${code}: ${out}`))));
  });
}

function openFds(): number {
  return fs.readdirSync("/proc/self/fd").length;
}

/** inotify watches this process holds (libuv shares one inotify descriptor, so count its watches). */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of fs.readdirSync("/proc/self/fdinfo")) {
    try {
      n += fs.readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").split("\n").filter((l) => l.startsWith("inotify wd:")).length;
    } catch {
      // the descriptor closed while we looked
    }
  }
  return n;
}

describe("read-only guarantee", () => {
  it("observes every transition exactly once under a fast writer, changes nothing, takes no lock", async () => {
    const dir = tempDir();
    const seen: Observation[] = [];
    const session = new TraceSession({ id: "ro", title: "ro", kind: "live", profile, root: dir, clock: Date.now });
    session.onObservations((items) => seen.push(...items));
    await session.start();

    // Sample /proc/locks as fast as we can while the writer runs: our pid must never hold a lock.
    const me = ` ${process.pid} `;
    let samples = 0;
    let ours: string | undefined;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const text = fs.readFileSync("/proc/locks", "utf8");
        samples++;
        ours ??= text.split("\n").find((l) => l.includes(me));
        await new Promise((r) => setImmediate(r));
      }
    })();

    const written = await runWriter(dir, 3000, 0);
    const logged = () =>
      fs
        .readdirSync(path.join(dir, "logs"))
        .flatMap((f) => fs.readFileSync(path.join(dir, "logs", f), "utf8").split("\n"))
        .filter((l) => l.includes('"state_transition"'))
        .map((l) => JSON.parse(l) as { ts: string; from: string; to: string });
    expect(logged()).toHaveLength(written);
    const before = fingerprint(dir);
    await waitFor(() => (seen.filter((o) => o.kind === "transition").length >= written ? true : undefined), `all ${written} transitions observed`, 20_000);
    await new Promise((r) => setTimeout(r, 1500)); // let pollers and watchers run a while longer
    sampling = false;
    await sampler;
    await session.close();

    const transitions = seen.filter((o): o is Extract<Observation, { kind: "transition" }> => o.kind === "transition");
    expect(transitions.map((t) => [t.ts, t.from, t.to])).toEqual(logged().map((l) => [l.ts, l.from, l.to]));
    expect(transitions.every((t) => t.verdict === "declared")).toBe(true);
    const last = [...seen].reverse().find((o) => o.kind === "state");
    expect(last && last.kind === "state" ? last.state : undefined).toBe(JSON.parse(fs.readFileSync(path.join(dir, "lifecycle_state.json"), "utf8")).current_state);
    expect(fingerprint(dir)).toEqual(before);
    expect(samples).toBeGreaterThan(50);
    expect(ours, "/proc/locks listed the inspector's own pid").toBeUndefined();
  }, 90_000);

  it("closing a session closes every watcher and file descriptor", async () => {
    const dir = tempDir();
    await runWriter(dir, 50, 0);
    const baseline = { fds: openFds(), watches: inotifyWatches() };
    for (let round = 0; round < 3; round++) {
      const session = new TraceSession({ id: `fd${round}`, title: "fd", kind: "live", profile, root: dir, clock: Date.now });
      await session.start();
      // Watching holds inotify watches...
      await waitFor(() => inotifyWatches() > baseline.watches || undefined, "the session's inotify watches");
      await session.close();
    }
    // ...and closing gives every watch and descriptor back.
    await waitFor(() => (openFds() <= baseline.fds && inotifyWatches() <= baseline.watches ? true : undefined), "descriptors and watches back to the baseline", 10_000);
    expect({ fds: openFds(), watches: inotifyWatches() }).toEqual(baseline);
  });
});
