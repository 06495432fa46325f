/**
 * `check` recovers what the real programs (and the ecluse emulation) wrote, for the three other
 * systems: jumpstarter's text log, ecluse state.json snapshots, duckgres table dumps.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, json } from "../helpers/cli";
import { readTsv as tsv } from "../shared/parsers/fixture-files";
import type { CheckReport } from "../../electron/node/check/report";

const FIX = path.join(import.meta.dirname, "..", "fixtures");


describe("check on jumpstarter's exporter.log (no timestamps, one instance per lease)", () => {
  it("finds the 71 transitions in log order, each under its lease, all declared", async () => {
    const r = await cli(["check", path.join(FIX, "jumpstarter", "exporter.log"), "--json"]);
    expect(r.code).toBe(0);
    const report = json<CheckReport>(r);
    expect(report.profile).toBe("jumpstarter");
    const got = report.instances.flatMap((i) => i.transitions.map((t) => [i.id, t.from, t.to, t.verdict, t.ts]));
    const want = tsv(path.join(FIX, "jumpstarter", "expected-transitions.tsv")).map((w) => [w["lease"], w["from"], w["to"], "declared", null]);
    expect(got).toEqual(want);
    expect(report.gaps.map((g) => g.line)).toEqual([19, 550, 795]); // the exporter (re)started
    expect(report.notes.join(" ")).toMatch(/no timestamps.*dwell times are not available/);
    const lease = report.instances.find((i) => i.id === "c4dceca9-0eb0-lease-010");
    expect(lease?.finalState).toBe("FAILED");
    expect(lease?.transitions.map((t) => t.to)).toEqual(["STARTING", "BEFORE_LEASE", "ENDING", "FAILED"]);
  });
});

describe("check on ecluse", () => {
  it("turns the 38 successive state.json snapshots into the 38 session transitions", async () => {
    const r = await cli(["check", path.join(FIX, "ecluse", "snapshots"), "--json"]);
    expect(r.code).toBe(0);
    const report = json<CheckReport>(r);
    expect(report.profile).toBe("ecluse");
    const got = report.instances.flatMap((i) => i.transitions.map((t) => ({ file: path.basename(t.file), slug: i.id, from: t.from, to: t.to })));
    got.sort((a, b) => a.file.localeCompare(b.file));
    const want = tsv(path.join(FIX, "ecluse", "expected-transitions.tsv")).filter((w) => w["to"] !== "LOCK_TIMEOUT");
    expect(got.map((g) => [g.slug, g.from, g.to])).toEqual(want.map((w) => [w["slug"], w["from"], w["to"]]));
    expect(report.instances.every((i) => i.counts.declared === i.transitions.length)).toBe(true);
  });

  it("shows each session's current state from a repo's .ecluse/state.json", async () => {
    const report = json<CheckReport>(await cli(["check", path.join(FIX, "ecluse", "repo"), "--json"]));
    expect(Object.fromEntries(report.instances.map((i) => [i.id, i.finalState]))).toEqual({
      "fix-api": "pending",
      "chore-i18n": "active",
      "chore-export": "active",
      "chore-api": "active",
      "fix-notify": "pending",
    });
  });
});

describe("check on duckgres table dumps", () => {
  it("diffs successive CSV snapshots by worker_id; steps missed between snapshots are gaps, never undeclared", async () => {
    const r = await cli(["check", path.join(FIX, "duckgres", "snapshots"), "--json"]);
    expect(r.code).toBe(0);
    const report = json<CheckReport>(r);
    expect(report.profile).toBe("duckgres");
    const dump = fs.readFileSync(path.join(FIX, "duckgres", "dump.csv"), "utf8").trim().split("\n").slice(1);
    const finals = Object.fromEntries(dump.map((l) => [l.split(",")[0], l.split(",")[6]]));
    expect(Object.fromEntries(report.instances.map((i) => [i.id, i.finalState]))).toEqual(finals);
    for (const i of report.instances) {
      expect(i.counts.undeclared + i.counts.fromMismatch + i.counts.unknownState).toBe(0);
      expect(i.transitions.length).toBeGreaterThan(0);
    }
    // Every transition between snapshots is a composition of the real statements' rows for that worker.
    const real = tsv(path.join(FIX, "duckgres", "expected-transitions.tsv")).filter((w) => w["to"] !== "CAS_MISS");
    for (const i of report.instances) {
      const path_ = real.filter((w) => w["worker_id"] === i.id).map((w) => w["to"]);
      for (const t of i.transitions) expect(path_, `${i.id} ${t.from}->${t.to}`).toContain(t.to);
    }
  });

  it("reads one dump as the current state of every worker", async () => {
    const report = json<CheckReport>(await cli(["check", path.join(FIX, "duckgres", "dump.csv"), "--json"]));
    expect(report.instances.map((i) => i.finalState)).toEqual(["lost", "retired", "retired", "retired", "retired", "retired"]);
  });
});
