/**
 * `check -` and `watch -` read a log from standard input: jumpstarter's logs usually live in
 * journald (`journalctl -u exporter -f | fsm-inspector watch - --profile jumpstarter`).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../electron/node/check/report";
import { ROOT, cli, json } from "../helpers/cli";
import { waitFor } from "../helpers/tmp";

const EXPORTER_LOG = path.join(ROOT, "test/fixtures/jumpstarter/exporter.log");

function run(args: string[]): { child: ReturnType<typeof spawn>; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/fsm-inspector.mjs"), ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe("standard input", () => {
  it("check - reads the same transitions as check on the file", async () => {
    const fromFile = json<CheckReport>(await cli(["check", EXPORTER_LOG, "--profile", "jumpstarter", "--json"]));
    const p = run(["check", "-", "--profile", "jumpstarter", "--json"]);
    p.child.stdin?.end(fs.readFileSync(EXPORTER_LOG));
    expect(await p.exit).toBe(fromFile.conforms ? 0 : 1);
    const fromStdin = JSON.parse(p.out()) as CheckReport;
    const pick = (r: CheckReport): string[][] => r.instances.map((i) => [i.id, ...i.transitions.map((t) => `${t.line}:${t.from}->${t.to}:${t.verdict}`)]);
    expect(pick(fromStdin)).toEqual(pick(fromFile));
    expect(fromStdin.instances.flatMap((i) => i.transitions).length).toBe(71);
    expect(fromStdin.files[0]?.file).toBe("<stdin>");
  });

  it("check - without a profile says what to add, with exit code 2", async () => {
    const p = run(["check", "-"]);
    p.child.stdin?.end("anything\n");
    expect(await p.exit).toBe(2);
    expect(p.err()).toContain("--profile");
  });

  it("watch - follows lines as they arrive, and ends when the input ends", async () => {
    const p = run(["watch", "-", "--profile", "jumpstarter", "--json"]);
    const lines = fs.readFileSync(EXPORTER_LOG, "utf8").split("\n");
    const half = Math.floor(lines.length / 2);
    p.child.stdin?.write(lines.slice(0, half).join("\n") + "\n");
    const transitions = (): number => p.out().split("\n").filter((l) => l.includes('"kind":"transition"')).length;
    // Seen while the input is still open: it follows, it does not wait for the end.
    await waitFor(() => transitions() > 0 || undefined, "transitions from the first half", 20_000);
    expect(p.child.exitCode).toBe(null);
    p.child.stdin?.end(lines.slice(half).join("\n"));
    expect(await p.exit).toBe(0);
    expect(transitions()).toBe(71);
    for (const l of p.out().trim().split("\n")) expect((JSON.parse(l) as { file: string }).file).toBe("<stdin>");
  });
});
