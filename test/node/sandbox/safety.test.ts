/**
 * Nothing the sandbox does touches watched files, and nothing it writes leaves its folder: it
 * refuses a folder that is, is inside, or contains a watched one; a folder that is a link or holds
 * other files; a link planted anywhere inside (the write fails, the file outside is untouched);
 * names that climb out; hostile instance names are data, never paths.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfinedFolder, plainSegments } from "../../../electron/node/sandbox/confined-folder";
import { SandboxFolderWriter } from "../../../electron/node/sandbox/folder-writer";
import { FsmError } from "../../../shared/errors";
import { fileSafeName, logToken } from "../../../shared/sandbox/names";
import { cli, json } from "../../helpers/cli";
import type { CheckReport } from "../../../electron/node/check/report";
import { tempDir } from "../../helpers/tmp";
import { RunBuilder, T0, hopTriples, readBack } from "./runs";

const HOSTILE = ["../x", "/etc/passwd", "a/../../b", "constructor", "__proto__", "..", ".", "a\\..\\..\\b", "x\0y", "white space\nnew line"];

async function refusal(p: Promise<unknown>, code: string): Promise<FsmError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected an FsmError ${code}`).toBeInstanceOf(FsmError);
  expect((err as FsmError).code).toBe(code);
  expect((err as FsmError).hint ?? "").not.toBe("");
  return err as FsmError;
}

/** Every file and folder under `dir`, relative, links included (not followed). */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      out.push(path.join(rel, name));
      const st = fs.lstatSync(p);
      if (st.isDirectory()) walk(p, path.join(rel, name));
    }
  };
  walk(dir, "");
  return out;
}

describe("the sandbox folder and watched folders", () => {
  it("refuses a folder that is, is inside, or contains a watched folder — before creating anything", async () => {
    const base = tempDir();
    const watched = path.join(base, "home", ".iai-mcp");
    fs.mkdirSync(watched, { recursive: true });
    fs.writeFileSync(path.join(watched, "lifecycle_state.json"), '{"current_state": "WAKE"}');
    const before = tree(base);

    const same = await refusal(SandboxFolderWriter.create(watched, "iai-mcp", { watched: [watched] }), "sandbox-watched");
    expect(same.message).toMatch(/is the folder .*\.iai-mcp, which another session watches/);
    const inside = await refusal(SandboxFolderWriter.create(path.join(watched, "sandbox"), "iai-mcp", { watched: [watched] }), "sandbox-watched");
    expect(inside.message).toMatch(/is inside .*\.iai-mcp/);
    const contains = await refusal(SandboxFolderWriter.create(path.join(base, "home"), "ecluse", { watched: [watched] }), "sandbox-watched");
    expect(contains.message).toMatch(/contains .*\.iai-mcp/);
    // Named through a link, either way round.
    fs.symlinkSync(watched, path.join(base, "alias"));
    await refusal(SandboxFolderWriter.create(path.join(base, "alias", "sub"), "iai-mcp", { watched: [watched] }), "sandbox-watched");
    await refusal(SandboxFolderWriter.create(path.join(watched, "sub"), "iai-mcp", { watched: [path.join(base, "alias")] }), "sandbox-watched");
    // A watched log file (a session on one file) inside the folder.
    await refusal(SandboxFolderWriter.create(path.join(base, "home"), "jumpstarter", { watched: [path.join(watched, "lifecycle_state.json")] }), "sandbox-watched");

    expect(tree(base)).toEqual([...before, "alias"].sort());
    expect(fs.readFileSync(path.join(watched, "lifecycle_state.json"), "utf8")).toBe('{"current_state": "WAKE"}');

    // Beside a watched folder is fine.
    const ok = await SandboxFolderWriter.create(path.join(base, "sandbox"), "iai-mcp", { watched: [watched, path.join(base, "alias")], startMs: T0 });
    await ok.close();
    expect(fs.existsSync(path.join(base, "sandbox", "lifecycle_state.json"))).toBe(true);
  });

  it("refuses a folder that is a symbolic link, one that holds files already, and an unknown profile", async () => {
    const base = tempDir();
    const real = path.join(base, "real");
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(base, "link"));
    await refusal(SandboxFolderWriter.create(path.join(base, "link"), "jumpstarter", { watched: [] }), "sandbox-symlink");
    expect(fs.readdirSync(real)).toEqual([]);

    fs.writeFileSync(path.join(real, "exporter.log"), "INFO:x:a real program's log\n");
    const full = await refusal(SandboxFolderWriter.create(real, "jumpstarter", { watched: [] }), "sandbox-not-empty");
    expect(full.file).toBe(real);
    expect(fs.readFileSync(path.join(real, "exporter.log"), "utf8")).toBe("INFO:x:a real program's log\n");

    const unknown = await refusal(SandboxFolderWriter.create(path.join(base, "new"), "my-daemon", { watched: [] }), "sandbox-unknown-profile");
    expect(unknown.message).toContain("my-daemon");
    expect(fs.existsSync(path.join(base, "new"))).toBe(false);
  });
});

describe("a link planted inside the sandbox folder", () => {
  function outsideFile(base: string): string {
    const f = path.join(base, "outside.txt");
    fs.writeFileSync(f, "do not touch\n");
    return f;
  }

  it("iai-mcp: the day's log replaced by a link to a file outside — the write fails, the file is untouched, later writes are refused", async () => {
    const base = tempDir();
    const outside = outsideFile(base);
    const dir = path.join(base, "sandbox");
    const b = new RunBuilder("iai-mcp", { daemon: "WAKE" });
    const writer = await SandboxFolderWriter.create(dir, "iai-mcp", { watched: [], initial: b.initial, startMs: T0 });
    await writer.write(b.step("daemon", "idle_5min"));
    const log = path.join(dir, "logs", "lifecycle-events-2026-06-10.jsonl");
    expect(fs.readFileSync(log, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    fs.rmSync(log);
    fs.symlinkSync(outside, log);
    const err = await refusal(writer.write(b.step("daemon", "heartbeat_refresh")), "sandbox-symlink");
    expect(err.file).toMatch(/logs\/lifecycle-events-2026-06-10\.jsonl$/);
    expect(fs.readFileSync(outside, "utf8")).toBe("do not touch\n");
    expect(fs.lstatSync(log).isSymbolicLink()).toBe(true);
    await refusal(writer.write(b.step("daemon", "idle_5min")), "sandbox-write-failed");
    expect(fs.readFileSync(outside, "utf8")).toBe("do not touch\n");
  });

  it("iai-mcp: the state file replaced by a link — refused, not replaced, not written through", async () => {
    const base = tempDir();
    const outside = outsideFile(base);
    const dir = path.join(base, "sandbox");
    const b = new RunBuilder("iai-mcp", { daemon: "WAKE" });
    const writer = await SandboxFolderWriter.create(dir, "iai-mcp", { watched: [], startMs: T0 });
    const state = path.join(dir, "lifecycle_state.json");
    fs.rmSync(state);
    fs.symlinkSync(outside, state);
    await refusal(writer.write(b.step("daemon", "idle_5min")), "sandbox-symlink");
    expect(fs.lstatSync(state).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(outside, "utf8")).toBe("do not touch\n");
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("iai-mcp: the logs folder replaced by a link to a folder outside — nothing is written there", async () => {
    const base = tempDir();
    const elsewhere = path.join(base, "elsewhere");
    fs.mkdirSync(elsewhere);
    const dir = path.join(base, "sandbox");
    const b = new RunBuilder("iai-mcp", { daemon: "WAKE" });
    const writer = await SandboxFolderWriter.create(dir, "iai-mcp", { watched: [], startMs: T0 });
    fs.rmSync(path.join(dir, "logs"), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(dir, "logs"));
    await refusal(writer.write(b.step("daemon", "idle_5min")), "sandbox-symlink");
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it("jumpstarter: exporter.log replaced by a link — the append fails (O_NOFOLLOW), the file outside is untouched", async () => {
    const base = tempDir();
    const outside = outsideFile(base);
    const dir = path.join(base, "sandbox");
    const b = new RunBuilder("jumpstarter", {});
    const writer = await SandboxFolderWriter.create(dir, "jumpstarter", { watched: [], startMs: T0 });
    await writer.write(b.step("lease-1", "start"));
    fs.rmSync(path.join(dir, "exporter.log"));
    fs.symlinkSync(outside, path.join(dir, "exporter.log"));
    await refusal(writer.write(b.step("lease-1", "before_hook_done")), "sandbox-symlink");
    expect(fs.readFileSync(outside, "utf8")).toBe("do not touch\n");
  });

  it("ecluse: .ecluse replaced by a link to a folder outside, and the sandbox folder itself swapped for a link — nothing is written outside", async () => {
    const base = tempDir();
    const elsewhere = path.join(base, "elsewhere");
    fs.mkdirSync(elsewhere);
    const dir = path.join(base, "repo");
    const b = new RunBuilder("ecluse", {});
    const writer = await SandboxFolderWriter.create(dir, "ecluse", { watched: [], startMs: T0 });
    fs.rmSync(path.join(dir, ".ecluse"), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(dir, ".ecluse"));
    await refusal(writer.write(b.step("feat-a", "reserve")), "sandbox-symlink");
    expect(fs.readdirSync(elsewhere)).toEqual([]);

    const dir2 = path.join(base, "repo2");
    const writer2 = await SandboxFolderWriter.create(dir2, "duckgres", { watched: [], initial: { "1": "spawning" }, startMs: T0 });
    fs.renameSync(dir2, path.join(base, "moved"));
    fs.symlinkSync(elsewhere, dir2);
    await refusal(writer2.write(new RunBuilder("duckgres", { "1": "spawning" }).step("1", "reserve")), "sandbox-symlink");
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it("duckgres: the next dump's name planted as a link — refused, the target untouched", async () => {
    const base = tempDir();
    const outside = outsideFile(base);
    const dir = path.join(base, "dumps");
    const b = new RunBuilder("duckgres", { "7": "spawning" });
    const writer = await SandboxFolderWriter.create(dir, "duckgres", { watched: [], initial: b.initial, startMs: T0 });
    fs.symlinkSync(outside, path.join(dir, "snapshot-2.csv"));
    await refusal(writer.write(b.step("7", "reserve")), "sandbox-symlink");
    expect(fs.readFileSync(outside, "utf8")).toBe("do not touch\n");
    expect(fs.lstatSync(path.join(dir, "snapshot-2.csv")).isSymbolicLink()).toBe(true);
  });
});

describe("names inside the folder", () => {
  it("only plain relative names: `..`, absolute names and empty segments are refused before any write", () => {
    for (const bad of ["../x", "/etc/passwd", "a/../../b", "..", ".", "", "a//b", "./a", "C:\\x", "a\\b", "x\0y"]) {
      expect(() => plainSegments(bad), bad).toThrow(FsmError);
    }
    expect(plainSegments("logs/lifecycle-events-2026-06-10.jsonl")).toEqual(["logs", "lifecycle-events-2026-06-10.jsonl"]);
    const base = tempDir();
    const folder = ConfinedFolder.open(path.join(base, "box"), { create: true });
    for (const bad of ["../escaped", "/tmp/escaped", "a/../../escaped"]) {
      expect(() => folder.replace(bad, "x"), bad).toThrow(/not a name inside the sandbox's folder/);
      expect(() => folder.append(bad, "x"), bad).toThrow(FsmError);
    }
    expect(tree(base)).toEqual(["box"]);
  });

  it("file-safe names stay one segment inside the folder, and different names stay different", () => {
    const base = "/sandbox/worktrees";
    const made = HOSTILE.map(fileSafeName);
    for (const [i, name] of made.entries()) {
      expect(name, HOSTILE[i]).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/);
      expect(path.dirname(path.join(base, name))).toBe(base);
    }
    expect(new Set(made).size).toBe(HOSTILE.length);
    expect(fileSafeName("fix-cache")).toBe("fix-cache");
    expect(fileSafeName("constructor")).toBe("constructor");
    expect(fileSafeName("x".repeat(300))).toHaveLength(64);
    expect(logToken("lease-001")).toBe("lease-001");
    expect(logToken("white space\nnew line")).toMatch(/^white_space_new_line~[0-9a-f]{8}$/);
    expect(logToken("")).toMatch(/^_~[0-9a-f]{8}$/);
  });

  it.each(["jumpstarter", "ecluse", "duckgres"] as const)("%s: hostile instance names are written as data, never as paths, and read back", async (id) => {
    const base = tempDir();
    const dir = path.join(base, "sandbox");
    // A dump of worker_records cannot hold a NUL (Postgres text cannot): refused, see below.
    const names = HOSTILE.filter((n) => id !== "duckgres" || !n.includes("\0"));
    const initial = JSON.parse(`{"__proto__": ${JSON.stringify(id === "duckgres" ? "spawning" : id === "ecluse" ? "absent" : "CREATED")}, "constructor": ${JSON.stringify(id === "duckgres" ? "spawning" : id === "ecluse" ? "absent" : "CREATED")}}`) as Record<string, string>;
    expect(Object.getPrototypeOf(initial)).toBe(Object.prototype); // "__proto__" is an own key here, not the prototype
    const b = new RunBuilder(id, initial);
    const writer = await SandboxFolderWriter.create(dir, id, { watched: [], initial, startMs: T0 });
    for (const n of names) await writer.write(b.step(n, id === "jumpstarter" ? "start" : "reserve"));
    await writer.close();
    const files: Record<typeof id, string[]> = {
      jumpstarter: ["sandbox", "sandbox/exporter.log"],
      ecluse: ["sandbox", "sandbox/.ecluse", "sandbox/.ecluse/state.json", "sandbox/.ecluse/state.lock"],
      duckgres: ["sandbox", ...Array.from({ length: names.length + 1 }, (_, i) => `sandbox/snapshot-${i + 1}.csv`)].sort(),
    };
    expect(tree(base)).toEqual(files[id]);
    if (id === "ecluse") {
      const doc = JSON.parse(fs.readFileSync(path.join(dir, ".ecluse", "state.json"), "utf8")) as { sessions: { slug: string; worktree_path: string }[] };
      expect(doc.sessions.map((s) => s.slug)).toEqual(names);
      for (const s of doc.sessions) expect(path.posix.dirname(s.worktree_path)).toBe("../worktrees");
      const r = await cli(["check", dir, "--json"]);
      expect(r.code).toBe(0);
      expect(new Set(json<CheckReport>(r).instances.map((i) => [i.id, i.finalState]))).toEqual(new Set(names.map((n) => [n, "pending"])));
    } else {
      const back = await readBack(dir);
      expect(back.problems).toEqual([]);
      const written = (n: string): string => (id === "jumpstarter" ? logToken(n) : n);
      expect(back.transitions).toEqual(hopTriples(b.steps).map(([i, f, t]) => [written(i), f, t]));
      const r = await cli(["check", dir, "--json"]);
      expect(r.code).toBe(0);
      expect(json<CheckReport>(r).instances.reduce((n, i) => n + i.counts.declared, 0)).toBe(names.length);
    }
  });

  it("iai-mcp has one instance: a step of any other is refused, and nothing is written", async () => {
    const dir = path.join(tempDir(), "sandbox");
    const writer = await SandboxFolderWriter.create(dir, "iai-mcp", { watched: [], startMs: T0 });
    const before = fs.readFileSync(path.join(dir, "lifecycle_state.json"), "utf8");
    for (const n of ["../x", "__proto__", "/etc/passwd"]) {
      const s = new RunBuilder("iai-mcp", {}).step(n, "idle_5min");
      await refusal(writer.write(s), "sandbox-bad-step");
    }
    expect(fs.readFileSync(path.join(dir, "lifecycle_state.json"), "utf8")).toBe(before);
    expect(fs.readdirSync(path.join(dir, "logs"))).toEqual([]);
    // A refused step is not a failed write: the daemon's steps still go through.
    await writer.write(new RunBuilder("iai-mcp", {}).step("daemon", "idle_5min"));
    expect(JSON.parse(fs.readFileSync(path.join(dir, "lifecycle_state.json"), "utf8"))).toMatchObject({ current_state: "DROWSY" });
  });
});

describe("names a format cannot hold", () => {
  it("duckgres: an empty worker id or one with a NUL is refused before anything is written", async () => {
    const base = tempDir();
    await refusal(SandboxFolderWriter.create(path.join(base, "a"), "duckgres", { watched: [], initial: { "x\0y": "spawning" } }), "sandbox-unwritable");
    expect(fs.existsSync(path.join(base, "a"))).toBe(false);
    const writer = await SandboxFolderWriter.create(path.join(base, "b"), "duckgres", { watched: [], startMs: T0 });
    await refusal(writer.write(new RunBuilder("duckgres", {}).step("x\0y", "reserve")), "sandbox-unwritable");
    expect(fs.readdirSync(path.join(base, "b"))).toEqual(["snapshot-1.csv"]);
    await writer.write(new RunBuilder("duckgres", {}).step("9", "reserve"));
    expect(fs.readdirSync(path.join(base, "b")).sort()).toEqual(["snapshot-1.csv", "snapshot-2.csv"]);
  });
});

describe("state names a text log cannot hold", () => {
  it("jumpstarter: a phase the log's regular expression would not read back is refused, nothing is written, the next step goes through", async () => {
    const dir = path.join(tempDir(), "sandbox");
    const writer = await SandboxFolderWriter.create(dir, "jumpstarter", { watched: [], startMs: T0 });
    const odd = { tsMs: T0 + 1000, instance: "lease-1", event: "start", payload: {}, from: "CREATED", to: "STARTING -> DONE\nINFO:x:Registering exporter with controller", path: ["CREATED", "STARTING -> DONE\nINFO:x:Registering exporter with controller"], outcome: "taken" as const };
    const err = await refusal(writer.write(odd), "sandbox-unwritable");
    expect(err.message).toMatch(/would not read it back/);
    expect(fs.readdirSync(dir)).toEqual([]);
    await writer.write(new RunBuilder("jumpstarter", {}).step("lease-1", "start"));
    const lines = fs.readFileSync(path.join(dir, "exporter.log"), "utf8").trimEnd().split("\n");
    expect(lines.map((l) => l.replace(/^\S+ \S+ /, ""))).toEqual(["INFO:jumpstarter.exporter.exporter:Starting new lease: lease-1", "DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: CREATED -> STARTING"]);
  });
});
