/**
 * JSON-lines and text-log lines, random and hostile: never an exception (a bad line is a
 * warning with its file and line), names survive exactly, invalid UTF-8 is reported.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { BUILTIN_PROFILES } from "../../../shared/profiles";
import type { JsonlLogSource, TextLogSource } from "../../../shared/profiles/profile";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import { parseJsonlLine } from "../../../shared/trace/parse-jsonl";
import { TextLogParser } from "../../../shared/trace/parse-text";
import { OBJECT_NAMES, nameArb } from "./arbitraries";

const RUNS = 300;

const iai = BUILTIN_PROFILES.find((p) => p.id === "iai-mcp");
const jsonl = iai?.sources.find((s): s is JsonlLogSource => s.kind === "jsonl-log");
const jumpstarter = BUILTIN_PROFILES.find((p) => p.id === "jumpstarter");
const textLog = jumpstarter?.sources.find((s): s is TextLogSource => s.kind === "text-log");

/** A text-log spec without its pattern for other lines: every line that is no transition is read as a line. */
function withoutLineRegex<T extends { lineRegex?: string }>(spec: T): Omit<T, "lineRegex"> {
  const { lineRegex: _drop, ...rest } = spec;
  return rest;
}
if (!jsonl || !textLog || !jumpstarter) throw new Error("built-in profiles changed");

/** Lines exactly as the LineSplitter makes them from bytes. */
function split(bytes: Uint8Array): Line[] {
  const s = new LineSplitter();
  return [...s.push(bytes), ...s.flush()];
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function wellFormed(o: NewObservation, file: string, lineNo: number): void {
  expect(o.source).toEqual({ file, line: lineNo });
  if (o.kind === "warning") expect(o.message).toContain(`line ${lineNo}`);
}

/** An own member, even when it is called "__proto__". */
function withMember(o: Record<string, unknown>, k: string, v: unknown): Record<string, unknown> {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

describe("JSON-lines log lines", () => {
  const spec = jsonl;

  it("any bytes: every non-blank line gives one observation or a bad-line warning naming the line, never an exception", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const line of split(bytes)) {
          const o = parseJsonlLine(spec, line, { file: "log.jsonl", instance: "daemon" });
          if (o === null) expect(line.text.trim()).toBe("");
          else wellFormed(o, "log.jsonl", line.lineNo);
          if (line.invalidUtf8 && line.text.trim() !== "") expect(o).toMatchObject({ kind: "warning", code: "bad-line", message: expect.stringContaining("not valid UTF-8") as unknown });
        }
      }),
      { numRuns: runs(RUNS * 3) },
    );
  });

  it("a transition whose states and event are named like Object members is that transition, exactly", () => {
    fc.assert(
      fc.property(nameArb, nameArb, nameArb, fc.dictionary(nameArb, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), (from, to, event, extra) => {
        const rec = withMember(withMember({ ts: "2026-06-01T10:00:00+00:00" }, spec.kindField, spec.transitionKind), spec.from, from);
        withMember(rec, spec.to, to);
        if (spec.event) withMember(rec, spec.event, event);
        const o = parseJsonlLine(spec, split(utf8(`${JSON.stringify(rec)}\n`))[0] as Line, { file: "f", instance: "daemon" });
        expect(o).toMatchObject({ kind: "transition", from, to, event });
        // Any other kind of line is an event whose fields keep every member, "__proto__" included.
        const other = withMember({ ts: "2026-06-01T10:00:00+00:00" }, spec.kindField, "note");
        for (const [k, v] of Object.entries(extra)) withMember(other, k, v);
        withMember(other, "__proto__", { polluted: true });
        const e = parseJsonlLine(spec, split(utf8(`${JSON.stringify(other)}\n`))[0] as Line, { file: "f", instance: "daemon" });
        expect(e?.kind).toBe("event");
        const fields = (e?.kind === "event" ? e.fields : undefined) ?? {};
        expect(Object.hasOwn(fields, "__proto__")).toBe(true);
        expect(fields["__proto__"]).toEqual({ polluted: true });
        expect(Object.getPrototypeOf(fields)).toBeNull();
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("field paths named like Object members find nothing in an object that lacks them", () => {
    const weird: JsonlLogSource = { ...spec, kindField: "constructor", transitionKind: "function Object() { [native code] }", from: "toString", to: "valueOf" };
    const o = parseJsonlLine(weird, split(utf8('{"kind":"transition","from":"A","to":"B"}\n'))[0] as Line, { file: "f", instance: "daemon" });
    expect(o).toMatchObject({ kind: "event", name: '(line without "constructor")' });
  });

  it("invalid UTF-8 inside a JSON string is reported and the line skipped, even though it parses", () => {
    const bytes = new Uint8Array([...utf8(`{"ts":"2026-06-01T10:00:00+00:00","${spec.kindField}":"${spec.transitionKind}","${spec.from}":"WA`), 0xff, ...utf8(`KE","${spec.to}":"SLEEP"}\n`)]);
    const [line] = split(bytes);
    expect(line?.invalidUtf8).toBe(true);
    expect(() => JSON.parse(line?.text ?? "")).not.toThrow();
    expect(parseJsonlLine(spec, line as Line, { file: "events.jsonl", instance: "daemon" })).toMatchObject({
      kind: "warning",
      code: "bad-line",
      source: { file: "events.jsonl", line: 1 },
      message: expect.stringMatching(/^line 1 is not valid UTF-8 .*The line is skipped/) as unknown,
    });
  });
});

describe("text-log lines", () => {
  const instances = jumpstarter.instances;

  it("any text through the built-in jumpstarter patterns and random ones: never an exception, every line accounted for", () => {
    const patterns = fc.constantFrom(textLog, withoutLineRegex({ ...textLog, transitionRegex: "^(?<from>[^ ]+) => (?<to>[^ ]+)(?: on (?<event>\\S+))?$" }), { ...textLog, transitionRegex: "(?<from>\\w+) -> (?<to>\\w+)", tsPatterns: [] });
    fc.assert(
      fc.property(patterns, fc.array(fc.oneof(fc.string(), fc.constantFrom("INFO:x:Starting new lease: __proto__", "DEBUG:a:Lease lifecycle transition: READY -> ENDING", "Registering exporter with controller", "[11/25/26 10:00:00] x")), { maxLength: 20 }), (spec, texts) => {
        const p = new TextLogParser(spec, instances);
        for (const line of split(utf8(texts.join("\n")))) {
          const out = p.line(line, "x.log");
          for (const o of out) expect(o.source).toEqual({ file: "x.log", line: line.lineNo });
          if (line.text.trim() !== "") expect(out.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("states, events and instances named like Object members come out exactly", () => {
    const spec: TextLogSource = withoutLineRegex({ ...textLog, transitionRegex: "^(?<from>[^ ]+) => (?<to>[^ ]+) on (?<event>\\S+)$", instanceStartRegex: "^lease (?<id>\\S+)$", tsPatterns: [] });
    const plainName = nameArb.filter((n) => n !== "" && !/\s/.test(n));
    fc.assert(
      fc.property(plainName, plainName, plainName, fc.constantFrom(...OBJECT_NAMES), (from, to, event, lease) => {
        const p = new TextLogParser(spec, { kind: "per-run", label: "lease", fallbackId: "exporter" });
        const lines = split(utf8(`lease ${lease}\n${from} => ${to} on ${event}\n`));
        const out = lines.flatMap((l) => p.line(l, "x.log"));
        expect(out.filter((o) => o.kind === "transition")).toMatchObject([{ instance: lease, from, to, event }]);
      }),
      { numRuns: runs(RUNS) },
    );
  });
});
