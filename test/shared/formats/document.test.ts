import fc from "fast-check";
import { runs } from "../../helpers/runs";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../../shared/machine/document";
import { formatDiagnostic, type Diagnostic } from "../../../shared/machine/diagnostics";
import { importScxml } from "../../../shared/machine/formats/scxml";

const lines = (...l: string[]): string => l.join("\n");

function error(text: string, file = "m.json"): Diagnostic {
  const doc = parseDocument(text, file);
  expect(doc.value).toBeUndefined();
  expect(doc.diagnostics, doc.diagnostics.map(formatDiagnostic).join("\n")).toHaveLength(1);
  return doc.diagnostics[0] as Diagnostic;
}

describe("parseDocument: JSON syntax errors with line and column", () => {
  it.each([
    ["a missing comma", lines("{", '  "id": "m"', '  "initial": "a"', "}"), 3, 3, 'invalid JSON: expected "," or "}" after the value of "id"'],
    ["a trailing comma", lines("{", '  "id": "m",', "}"), 3, 1, 'invalid JSON: a comma before "}" has no member after it'],
    ["a trailing comma in an array", '{ "a": [1, 2, ] }', 1, 15, 'invalid JSON: a comma before "]" has no item after it'],
    ["an unterminated string", lines("{", '  "id": "m', "}"), 2, 11, "invalid JSON: a string runs past the end of its line"],
    ["a comment", lines("{", "  // the id", '  "id": "m"', "}"), 2, 3, "invalid JSON: comments are not allowed in JSON"],
    ["single quotes", "{ 'id': 'm' }", 1, 3, "invalid JSON: property names must be in double quotes, not single quotes"],
    ["a bare word", '{ "id": m }', 1, 9, 'invalid JSON: unexpected word "m"'],
    ["a bad number", '{ "n": 01 }', 1, 8, "invalid JSON: invalid number"],
    ["an invalid escape", '{ "s": "a\\qb" }', 1, 10, 'invalid JSON: invalid escape "\\q" in a string'],
    ["an unclosed object", lines("{", '  "states": {', '    "a": {}'), 3, 12, "invalid JSON: the file ends before the object opened at line 2, column 13 is closed"],
    ["text after the value", '{ "a": 1 } x', 1, 12, "invalid JSON: unexpected text after the end of the JSON value"],
  ])("%s", (_what, text, line, column, message) => {
    const d = error(text);
    expect(d).toMatchObject({ severity: "error", file: "m.json", path: "", line, column, message });
    expect(d.hint).toBeTruthy();
  });

  it("formats as file:line:column: error: ...", () => {
    expect(formatDiagnostic(error(lines("{", '  "id": "m"', '  "initial": "a"', "}")))).toBe('m.json:3:3: error: invalid JSON: expected "," or "}" after the value of "id". A comma is probably missing between two members.');
  });
});

describe("parseDocument: YAML", () => {
  it("reports a syntax error with its line", () => {
    const d = error(lines("id: m", "states:", "  a: [1, 2", "initial: a"), "m.yaml");
    expect(d).toMatchObject({ severity: "error", line: 4, column: 1 });
    expect(d.message).toMatch(/^invalid YAML: Flow sequence in block collection must be sufficiently indented/);
  });

  it("reports several documents in one file", () => {
    expect(error(lines("id: a", "---", "id: b"), "m.yml")).toMatchObject({ line: 2, message: "invalid YAML: Source contains multiple documents; please use YAML.parseAllDocuments()" });
  });

  it("an alias used before its anchor", () => {
    expect(error(lines("a: *x", "b: &x 1"), "m.yaml").message).toMatch(/^invalid YAML: Unresolved alias/);
  });

  it("a file of comments only has no content", () => {
    expect(error("# nothing here\n", "m.yaml").message).toBe("the file holds no YAML content, only comments or blank lines");
  });

  it("reads `on:` as a string key (YAML 1.2), anchors and merge keys", () => {
    const doc = parseDocument(lines("base: &b { target: x }", "on:", "  go: *b", "  stop: { <<: *b, guard: g }"), "m.yaml");
    expect(doc.diagnostics).toEqual([]);
    expect(doc.value).toEqual({ base: { target: "x" }, on: { go: { target: "x" }, stop: { target: "x", guard: "g" } } });
  });
});

describe("parseDocument: duplicate keys", () => {
  it("JSON: a duplicate state is an error at the second occurrence", () => {
    const doc = parseDocument(lines("{", '  "states": {', '    "SLEEP": {},', '    "WAKE": {},', '    "SLEEP": { "type": "final" }', "  }", "}"), "m.json");
    expect(doc.value).toEqual({ states: { SLEEP: { type: "final" }, WAKE: {} } });
    expect(doc.diagnostics).toMatchObject([{ severity: "error", path: "/states/SLEEP", line: 5, column: 5, message: 'duplicate state "SLEEP" (first at line 3): only the second definition would be kept, the first would be silently lost' }]);
  });

  it("JSON: a duplicate event and a duplicate key elsewhere", () => {
    const doc = parseDocument(lines('{ "id": "a",', '  "on": { "go": "x",', '    "go": "y" },', '  "id": "b" }'), "m.json");
    expect(doc.diagnostics.map((d) => [d.path, d.line, d.message])).toEqual([
      ["/on/go", 3, 'duplicate event "go" in the same "on" (first at line 2): only the second would be kept'],
      ["/id", 4, 'duplicate key "id" in the top-level object (first at line 1): only the second would be kept'],
    ]);
  });

  it("YAML: a duplicate state is an error at the second occurrence", () => {
    const doc = parseDocument(lines("states:", "  A:", "    on: { go: B }", "  B: {}", "  A:", "    type: final"), "m.yaml");
    expect(doc.diagnostics).toMatchObject([{ severity: "error", path: "/states/A", line: 5, column: 3 }]);
    expect(doc.locate("/states/A/type")).toEqual({ line: 6, column: 5 });
    expect(doc.locate("/states/A/on")).toBeUndefined();
  });
});

describe("parseDocument: unreadable files", () => {
  it("an empty file", () => {
    expect(error("", "m.json")).toMatchObject({ message: "the file is empty", path: "" });
    expect(error(" \n\t\n", "m.yaml").message).toBe("the file is empty");
  });

  it("a binary file (NUL bytes)", () => {
    const d = error("{\n  \u0000\u0001\u0002", "m.json");
    expect(d).toMatchObject({ line: 2, column: 3, message: "the file is binary (it contains a NUL byte), not a text file" });
  });

  it("a file that is not UTF-8", () => {
    const text = new TextDecoder("utf-8").decode(new Uint8Array([0x69, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(error(text, "m.yaml")).toMatchObject({ line: 1, column: 5, message: "the file is not valid UTF-8 text (it has bytes that do not decode)" });
  });

  it("the same checks for SCXML, and malformed XML with its line", () => {
    expect(importScxml("", "m.scxml").diagnostics).toMatchObject([{ message: "the file is empty" }]);
    expect(importScxml("<scxml>\u0000", "m.scxml").diagnostics).toMatchObject([{ message: "the file is binary (it contains a NUL byte), not a text file" }]);
  });

  it("a UTF-8 byte order mark is skipped", () => {
    expect(parseDocument('\uFEFF{ "a": 1 }', "m.json").value).toEqual({ a: 1 });
  });
});

describe("parseDocument: formats and positions", () => {
  it("picks the format from the extension, else sniffs", () => {
    expect(parseDocument('{"a": 1}', "m.json").format).toBe("json");
    expect(parseDocument("a: 1", "m.yml").format).toBe("yaml");
    expect(parseDocument('  {"a": 1}', "machine").format).toBe("json");
    expect(parseDocument("a: 1", "machine").format).toBe("yaml");
    expect(parseDocument("a: 1", "machine.json", "yaml").value).toEqual({ a: 1 });
  });

  it("locates a JSON pointer (RFC 6901 escaping) in JSON", () => {
    const text = lines("{", '  "states": {', '    "WAKE": {', '      "on": {', '        "idle_5min": [', '          { "target": "DROWSY" }', "        ],", '        "a/b~c": "x"', "      }", "    }", "  }", "}");
    const doc = parseDocument(text, "m.json");
    expect(doc.locate("")).toEqual({ line: 1, column: 1 });
    expect(doc.locate("/states/WAKE/on/idle_5min/0/target")).toEqual({ line: 6, column: 13 });
    expect(doc.locate("/states/WAKE/on/idle_5min/0")).toEqual({ line: 6, column: 11 });
    expect(doc.locate("/states/WAKE/on/a~1b~0c")).toEqual({ line: 8, column: 9 });
    expect(doc.locate("/states/SLEEP")).toBeUndefined();
  });

  it("locates a JSON pointer in YAML", () => {
    const doc = parseDocument(lines("states:", "  WAKE:", "    on:", "      idle_5min:", "        - target: DROWSY", "      a/b: x"), "m.yaml");
    expect(doc.locate("/states/WAKE/on/idle_5min/0/target")).toEqual({ line: 5, column: 11 });
    expect(doc.locate("/states/WAKE/on/idle_5min/0")).toEqual({ line: 5, column: 11 });
    expect(doc.locate("/states/WAKE/on/a~1b")).toEqual({ line: 6, column: 7 });
  });

  it("JSON: the value is JSON.parse's for any JSON text, compact or indented", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t"), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const doc = parseDocument(text, "v.json");
        expect(doc.diagnostics).toEqual([]);
        expect(JSON.stringify(doc.value)).toBe(JSON.stringify(JSON.parse(text)));
      }),
      { numRuns: runs(500) },
    );
  });

  it("never throws on arbitrary text, and reports a reason whenever there is no value", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom("x.json", "x.yaml"), (text, file) => {
        const doc = parseDocument(text, file);
        if (doc.value === undefined && !("value" in doc)) expect(doc.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { numRuns: runs(1000) },
    );
  });

  it("JSON: rejects exactly what JSON.parse rejects", () => {
    const jsonish = fc.array(fc.constantFrom("{", "}", "[", "]", ",", ":", '"a"', '"b"', "1", "-2.5e3", "true", "null", " ", "\n", '"x\\n"'), { maxLength: 14 }).map((t) => t.join(""));
    fc.assert(
      fc.property(jsonish, (text) => {
        let expected: unknown;
        let ok = true;
        try {
          expected = JSON.parse(text);
        } catch {
          ok = false;
        }
        const doc = parseDocument(text, "x.json");
        if (text.trim() === "") return;
        expect("value" in doc).toBe(ok);
        if (ok) expect(JSON.stringify(doc.value)).toBe(JSON.stringify(expected));
      }),
      { numRuns: runs(2000) },
    );
  });
});
