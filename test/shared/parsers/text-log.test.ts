import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findProfile } from "../../../shared/profiles";
import type { InstanceSpec, TextLogSource } from "../../../shared/profiles/profile";
import type { Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { TextLogParser, textLogSpecProblems, type TextLogParserOptions } from "../../../shared/trace/parse-text";
import { fileLines, fixture, readTsv, textLines } from "./fixture-files";

const profile = findProfile("jumpstarter");
if (!profile) throw new Error("the jumpstarter profile is not built in");
const spec = profile.sources.find((s): s is TextLogSource => s.kind === "text-log");
if (!spec) throw new Error("the jumpstarter profile has no text-log source");
const instances: InstanceSpec = profile.instances;

function parseAll(lines: Line[], file = "exporter.log", opts?: TextLogParserOptions): NewObservation[] {
  const p = new TextLogParser(spec!, instances, opts);
  return lines.flatMap((l) => p.line(l, file));
}

function parseText(text: string, opts?: TextLogParserOptions): NewObservation[] {
  return parseAll(textLines(text), "sample.log", opts);
}

const only = <K extends NewObservation["kind"]>(obs: NewObservation[], kind: K): Extract<NewObservation, { kind: K }>[] =>
  obs.filter((o): o is Extract<NewObservation, { kind: K }> => o.kind === kind);

describe("TextLogParser on the real jumpstarter exporter.log", () => {
  const lines = fileLines(fixture("jumpstarter", "exporter.log"));
  const obs = parseAll(lines);
  const expected = readTsv(fixture("jumpstarter", "expected-transitions.tsv"));

  it("reads every one of the 801 lines", () => {
    expect(lines).toHaveLength(801);
    const seen = obs.map((o) => o.source.line);
    expect(seen).toEqual(lines.map((l) => l.lineNo));
  });

  it("yields exactly the 71 transitions of expected-transitions.tsv, in order, each with its lease", () => {
    const transitions = only(obs, "transition");
    expect(expected).toHaveLength(71);
    expect(transitions.map((t) => [t.from, t.to, t.instance])).toEqual(expected.map((r) => [r["from"], r["to"], r["lease"]]));
    expect(new Set(transitions.map((t) => t.instance)).size).toBe(12);
  });

  it("reports the 3 exporter restarts as gaps of all instances, naming the file and line", () => {
    const gaps = only(obs, "warning");
    expect(gaps.map((g) => [g.code, g.source.line, g.instance])).toEqual([
      ["gap", 19, undefined],
      ["gap", 550, undefined],
      ["gap", 795, undefined],
    ]);
    expect(gaps[1]?.message).toMatch(/^exporter\.log line 550: the program restarted \("INFO:jumpstarter\.exporter\.exporter:Registering exporter with controller"\)/);
  });

  it("keeps every other line as an event of the current lease, with level, logger and message", () => {
    const events = only(obs, "event");
    expect(events).toHaveLength(801 - 71 - 3);
    expect(events[0]).toMatchObject({ instance: "exporter", name: "asyncio", fields: { level: "DEBUG", logger: "asyncio", message: "Using selector: EpollSelector" } });
    const byLine = new Map(events.map((e) => [e.source.line, e]));
    expect(byLine.get(22)?.instance).toBe("exporter");
    expect(byLine.get(23)).toMatchObject({ instance: "c130c5d7-db1c-lease-001", fields: { message: "Starting new lease: c130c5d7-db1c-lease-001" } });
    // After a restart, the new exporter's lines are not the old lease's.
    expect(byLine.get(551)?.instance).toBe("exporter");
    expect(byLine.get(554)?.instance).toBe("c4dceca9-0eb0-lease-010");
    const hook = events.find((e) => e.fields?.["message"] === "beforeLease: flashing image");
    expect(hook).toMatchObject({ name: "jumpstarter.exporter.hooks", fields: { level: "INFO" } });
    expect(events.some((e) => e.fields?.["message"] === "Another task owns the ending phase, waiting for completion")).toBe(true);
  });

  it("gives no times: the real format has none, so order is by line", () => {
    expect(obs.every((o) => o.ts === undefined && o.tsFrom === "observed")).toBe(true);
  });

  it("stamps lines with our clock when live", () => {
    const live = parseAll(lines.slice(0, 30), "exporter.log", { observedTs: "2026-11-25T10:00:00.000Z" });
    expect(live.every((o) => o.ts === "2026-11-25T10:00:00.000Z" && o.tsFrom === "observed")).toBe(true);
  });
});

describe("TextLogParser timestamps", () => {
  it("reads Rich console times (MM/DD/YY, UTC) and carries a blanked repeated time", () => {
    const obs = parseText(
      [
        "[11/25/26 10:00:00] INFO     Starting new lease: lease-a                          exporter.py:310",
        "                    DEBUG    Lease lifecycle transition: CREATED -> STARTING      lease_lifecycle.py:61",
        "                    INFO     Updated status to AVAILABLE                          exporter.py:200",
        "[11/25/26 10:00:02] DEBUG    Lease lifecycle transition: STARTING -> READY        lease_lifecycle.py:61",
        "",
      ].join("\n"),
    );
    expect(obs.map((o) => [o.kind, o.ts, o.tsFrom])).toEqual([
      ["event", "2026-11-25T10:00:00.000Z", "artifact"],
      ["transition", "2026-11-25T10:00:00.000Z", "artifact"],
      ["event", "2026-11-25T10:00:00.000Z", "artifact"],
      ["transition", "2026-11-25T10:00:02.000Z", "artifact"],
    ]);
    expect(only(obs, "transition").map((t) => [t.instance, t.from, t.to])).toEqual([
      ["lease-a", "CREATED", "STARTING"],
      ["lease-a", "STARTING", "READY"],
    ]);
    expect(obs[2]).toMatchObject({ kind: "event", name: "line", fields: { level: "INFO" } });
  });

  it("reads Python asctime (comma before the milliseconds) and keeps the time over a traceback", () => {
    const obs = parseText(
      [
        "2026-11-25 10:00:00,123 INFO:jumpstarter.exporter.exporter:Starting new lease: lease-b",
        "2026-11-25 10:00:00,456 DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: CREATED -> STARTING",
        "Traceback (most recent call last):",
        '  File "exporter.py", line 1, in <module>',
        "2026-11-25 10:00:01,001 DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: STARTING -> FAILED",
      ].join("\n"),
    );
    expect(obs.map((o) => o.ts)).toEqual([
      "2026-11-25T10:00:00.123Z",
      "2026-11-25T10:00:00.456Z",
      "2026-11-25T10:00:00.456Z",
      "2026-11-25T10:00:00.456Z",
      "2026-11-25T10:00:01.001Z",
    ]);
    expect(obs[0]).toMatchObject({ kind: "event", instance: "lease-b", name: "jumpstarter.exporter.exporter", fields: { level: "INFO", message: "Starting new lease: lease-b" } });
    expect(obs[2]).toMatchObject({ kind: "event", name: "line", fields: { message: "Traceback (most recent call last):" } });
  });

  it("reads journald short-iso times with their zone", () => {
    const obs = parseText("2026-11-25T11:00:00+0100 host jmp[42]: DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: READY -> ENDING\n");
    expect(obs[0]).toMatchObject({ kind: "transition", from: "READY", to: "ENDING", ts: "2026-11-25T10:00:00Z", tsFrom: "artifact" });
  });

  it("reads syslog times with the given year, rolling over at New Year", () => {
    const obs = parseText(
      [
        "Dec 31 23:59:59 host jmp[42]: INFO:jumpstarter.exporter.exporter:Starting new lease: lease-c",
        "Jan  1 00:00:01 host jmp[42]: DEBUG:jumpstarter.exporter.lease_lifecycle:Lease lifecycle transition: CREATED -> STARTING",
      ].join("\n"),
      { defaultYear: 2026 },
    );
    expect(obs.map((o) => [o.kind, o.ts])).toEqual([
      ["event", "2026-12-31T23:59:59.000Z"],
      ["transition", "2027-01-01T00:00:01.000Z"],
    ]);
    expect(obs[0]).toMatchObject({ name: "jumpstarter.exporter.exporter", fields: { level: "INFO" } });
  });

  it("says once that syslog times without a year cannot be placed, and orders by line", () => {
    const obs = parseText("Nov 25 10:00:00 host jmp: INFO:a:one\nNov 25 10:00:01 host jmp: INFO:a:two\n");
    const warnings = only(obs, "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/^sample\.log line 1: syslog-style times .* carry no year/);
    expect(only(obs, "event").map((e) => e.ts)).toEqual([undefined, undefined]);
  });

  it("takes the year of syslog times from the live clock when no year is given", () => {
    const obs = parseText("Nov 25 10:00:00 host jmp: INFO:a:one\n", { observedTs: "2026-11-25T10:00:05.000Z" });
    expect(obs).toMatchObject([{ kind: "event", ts: "2026-11-25T10:00:00.000Z", tsFrom: "artifact" }]);
  });
});

describe("TextLogParser on bad input", () => {
  const line = (lineNo: number, text: string, extra: Partial<Line> = {}): Line => ({ lineNo, offset: 0, text, bytes: text.length + 1, ...extra });

  it("reports a cut (over 1 MB) line as a bad line with file and line, and goes on", () => {
    const p = new TextLogParser(spec, instances);
    const out = [
      ...p.line(line(1, "INFO:x:Starting new lease: L1"), "big.log"),
      ...p.line(line(2, "DEBUG:x:" + "y".repeat(100), { truncatedFrom: 3 * 1024 * 1024 }), "big.log"),
      ...p.line(line(3, "DEBUG:x:Lease lifecycle transition: CREATED -> STARTING"), "big.log"),
    ];
    expect(out[1]).toMatchObject({ kind: "warning", code: "bad-line", source: { file: "big.log", line: 2 } });
    expect((out[1] as { message: string }).message).toBe("line 2 of big.log is 3.0 MB long; lines over 1 MB are skipped.");
    expect(out[2]).toMatchObject({ kind: "transition", instance: "L1", from: "CREATED", to: "STARTING" });
  });

  it("still parses invalid UTF-8 lines, and flags only those no regex understands", () => {
    const p = new TextLogParser(spec, instances);
    const t = p.line(line(1, "DEBUG:x:Lease lifecycle transition: READY -> ENDING \uFFFD", { invalidUtf8: true }), "f.log");
    expect(t).toMatchObject([{ kind: "transition", from: "READY", to: "ENDING" }]);
    const e = p.line(line(2, "\uFFFD\uFFFDbinary\uFFFD", { invalidUtf8: true }), "f.log");
    expect(e).toMatchObject([{ kind: "event", name: "line", fields: { message: "\uFFFD\uFFFDbinary\uFFFD", invalidUtf8: true } }]);
    const ok = p.line(line(3, "INFO:x:caf\uFFFD", { invalidUtf8: true }), "f.log");
    expect(ok).toMatchObject([{ kind: "event", name: "x", fields: { level: "INFO", message: "caf\uFFFD" } }]);
    expect(ok[0]?.kind === "event" ? ok[0].fields : undefined).not.toHaveProperty("invalidUtf8");
  });

  it("skips blank lines and keeps lines no regex matches", () => {
    const obs = parseText("\n   \nsomething else entirely\n");
    expect(obs).toMatchObject([{ kind: "event", name: "line", instance: "exporter", fields: { message: "something else entirely" }, source: { line: 3 } }]);
  });

  it("never throws on arbitrary lines, and keeps every non-blank one", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }), fc.boolean(), (texts, bad) => {
        const p = new TextLogParser(spec, instances, { defaultYear: 2026 });
        texts.forEach((t, i) => {
          const text = t.replace(/[\r\n]/g, " ");
          const out = p.line(line(i + 1, text, bad ? { invalidUtf8: true } : {}), "fuzz.log");
          if (text.trim() !== "") expect(out.length).toBeGreaterThanOrEqual(1);
          else expect(out).toEqual([]);
        });
      }),
    );
  });

  it("refuses a source whose regular expressions cannot work, saying which and why", () => {
    const broken: TextLogSource = { ...spec, transitionRegex: "Lease (?<from>[A-Z]+ -> ", instanceStartRegex: "Starting new lease: (\\S+)", tsPatterns: [{ regex: "^(?<ts>\\d+)", format: "epoch" as "iso" }] };
    const problems = textLogSpecProblems(broken);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^transitionRegex "Lease \(\?<from>\[A-Z\]\+ -> " is not a valid regular expression/);
    expect(problems[1]).toMatch(/^instanceStartRegex .* has no named group "id"/);
    expect(problems[2]).toMatch(/^tsPatterns\[0\] has format "epoch"/);
    expect(() => new TextLogParser(broken, instances)).toThrow(/cannot be used: transitionRegex/);
    expect(textLogSpecProblems(spec)).toEqual([]);
  });

  it("keeps one instance for a single-instance profile, lease lines or not", () => {
    const p = new TextLogParser(spec, { kind: "single", id: "daemon" });
    const out = [line(1, "INFO:x:Starting new lease: L9"), line(2, "DEBUG:x:Lease lifecycle transition: CREATED -> STARTING")].flatMap((l) => p.line(l, "f.log"));
    expect(out.map((o) => ("instance" in o ? o.instance : undefined))).toEqual(["daemon", "daemon"]);
  });

  it("takes an event group from the transition regex", () => {
    const withEvent: TextLogSource = { ...spec, transitionRegex: "(?<from>[A-Z]+) --(?<event>\\w+)--> (?<to>[A-Z]+)" };
    const p = new TextLogParser(withEvent, instances);
    expect(p.line(line(1, "INFO:x:READY --request_end--> ENDING"), "f.log")).toMatchObject([{ kind: "transition", from: "READY", to: "ENDING", event: "request_end" }]);
  });
});
