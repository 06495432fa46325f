import { MAX_DIAGNOSTICS, pointer, type Diagnostic, type Position } from "../diagnostics";
import { MAX_DEPTH, MAX_DOCUMENT_NODES, dropPositionsUnder, duplicateKey, type SourceTree } from "./source-tree";
import { LineIndex } from "./text-checks";

/**
 * A strict JSON parser (RFC 8259) that also records where every member was written and reports
 * duplicate keys, which JSON.parse silently drops. The value equals JSON.parse's.
 */
export function parseJsonTree(text: string, file: string): SourceTree {
  const parser = new JsonParser(text, file);
  try {
    const value = parser.document();
    return { value, positions: parser.positions, diagnostics: parser.diagnostics };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const at = parser.lines.position(e.offset);
    const d: Diagnostic = { severity: "error", file, line: at.line, column: at.column, path: "", message: `invalid JSON: ${e.message}`, hint: e.hint };
    return { positions: parser.positions, diagnostics: [...parser.diagnostics, d] };
  }
}

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
    readonly hint: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonParser {
  readonly lines: LineIndex;
  readonly positions = new Map<string, Position>();
  readonly diagnostics: Diagnostic[] = [];
  private i = 0;
  private depth = 0;
  private nodes = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.lines = new LineIndex(text);
  }

  document(): unknown {
    this.space();
    this.positions.set("", this.lines.position(this.i));
    const value = this.value("");
    this.space();
    if (this.i < this.text.length) {
      this.fail(this.i, "unexpected text after the end of the JSON value", "A JSON file holds one value: remove what follows, or put both in one object or array.");
    }
    return value;
  }

  private fail(offset: number, message: string, hint: string): never {
    throw new JsonSyntaxError(offset, message, hint);
  }

  private space(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.i++;
      else if (c === "/" && (t[this.i + 1] === "/" || t[this.i + 1] === "*")) {
        this.fail(this.i, "comments are not allowed in JSON", "Remove the comment, or write the file as YAML (.yaml), which allows # comments.");
      } else break;
    }
  }

  private value(path: string): unknown {
    const c = this.text[this.i];
    if (++this.nodes > MAX_DOCUMENT_NODES) this.fail(this.i, `the document holds more than ${MAX_DOCUMENT_NODES} values; the limit is ${MAX_DOCUMENT_NODES}`, "Check that it is the right file; split a machine this large into several.");
    if (c === "{" || c === "[") {
      if (++this.depth > MAX_DEPTH) this.fail(this.i, `objects and lists are nested more than ${MAX_DEPTH} levels deep`, "A machine or profile is a few levels deep: check that this is the right file.");
      const v = c === "{" ? this.object(path) : this.array(path);
      this.depth -= 1;
      return v;
    }
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    if (c === undefined) this.fail(this.i, "the file ends where a value should be", "Complete the value, or remove the comma or colon before it.");
    if (c === "'") this.fail(this.i, "strings must be in double quotes, not single quotes", 'Write "text" instead of \'text\'.');
    return this.word();
  }

  private unclosed(open: number, closer: string): never {
    const at = this.lines.position(open);
    this.fail(this.i, `the file ends before the ${closer === "}" ? "object" : "array"} opened at line ${at.line}, column ${at.column} is closed`, `Add the missing "${closer}".`);
  }

  private object(path: string): Record<string, unknown> {
    const open = this.i++;
    const members = new Map<string, unknown>();
    const seen = new Map<string, Position>();
    this.space();
    if (this.text[this.i] === "}") {
      this.i++;
      return {};
    }
    for (;;) {
      this.space();
      const c = this.text[this.i];
      if (c === undefined) this.unclosed(open, "}");
      if (c === "}") this.fail(this.i, 'a comma before "}" has no member after it', "Remove the comma after the last member.");
      if (c === "'") this.fail(this.i, "property names must be in double quotes, not single quotes", 'Write "name": value.');
      if (c !== '"') this.fail(this.i, `expected a property name in double quotes, found ${JSON.stringify(c)}`, 'Members are written "name": value, separated by commas.');
      const keyAt = this.lines.position(this.i);
      const key = this.string();
      const memberPath = pointer(path, key);
      const first = seen.get(key);
      // Past MAX_DIAGNOSTICS duplicates the file is refused anyway: stop listing (and rescanning positions).
      if (first && this.diagnostics.length < MAX_DIAGNOSTICS) {
        this.diagnostics.push(duplicateKey(this.file, path, memberPath, key, first, keyAt));
        dropPositionsUnder(this.positions, memberPath);
      }
      seen.set(key, keyAt);
      this.positions.set(memberPath, keyAt);
      this.space();
      if (this.text[this.i] !== ":") this.fail(this.i, `expected ":" after the property name "${key}"`, 'Members are written "name": value.');
      this.i++;
      this.space();
      members.set(key, this.value(memberPath));
      this.space();
      const next = this.text[this.i];
      if (next === ",") this.i++;
      else if (next === "}") {
        this.i++;
        return Object.fromEntries(members);
      } else if (next === undefined) this.unclosed(open, "}");
      else this.fail(this.i, `expected "," or "}" after the value of "${key}"`, "A comma is probably missing between two members.");
    }
  }

  private array(path: string): unknown[] {
    const open = this.i++;
    const items: unknown[] = [];
    this.space();
    if (this.text[this.i] === "]") {
      this.i++;
      return items;
    }
    for (;;) {
      this.space();
      const c = this.text[this.i];
      if (c === undefined) this.unclosed(open, "]");
      if (c === "]") this.fail(this.i, 'a comma before "]" has no item after it', "Remove the comma after the last item.");
      const itemPath = pointer(path, items.length);
      this.positions.set(itemPath, this.lines.position(this.i));
      items.push(this.value(itemPath));
      this.space();
      const next = this.text[this.i];
      if (next === ",") this.i++;
      else if (next === "]") {
        this.i++;
        return items;
      } else if (next === undefined) this.unclosed(open, "]");
      else this.fail(this.i, `expected "," or "]" after item ${items.length - 1} of the array`, "A comma is probably missing between two items.");
    }
  }

  private string(): string {
    const t = this.text;
    const start = this.i++;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (this.i >= t.length) this.fail(start, "this string is never closed", "Add the closing double quote.");
      if (c === 34) break;
      if (c === 92) {
        const e = t[this.i + 1];
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(t.slice(this.i + 2, this.i + 6))) this.i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
        else this.fail(this.i, `invalid escape "\\${e ?? ""}" in a string`, 'Valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as \\\\.');
        continue;
      }
      if (c < 0x20) {
        const hint = c === 10 ? "Close the string before the end of the line, or write \\n for a line break." : "Write it as an escape (\\t, \\u0000 ...).";
        this.fail(this.i, c === 10 ? "a string runs past the end of its line" : "a string contains a raw control character", hint);
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(t.slice(start, this.i)) as string;
  }

  private number(): number {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    const after = m ? this.text[this.i + m[0].length] : undefined;
    if (!m || m[0] === "-" || (after !== undefined && /[\w.+-]/.test(after))) {
      this.fail(this.i, "invalid number", "JSON numbers have no leading zeros, no leading + or trailing dot, and NaN or Infinity are not JSON; quote it if it is text.");
    }
    this.i += m[0].length;
    return Number(m[0]);
  }

  private word(): boolean | null {
    const word = /^[\w$.+-]+/.exec(this.text.slice(this.i, this.i + 64))?.[0] ?? this.text[this.i] ?? "";
    if (word === "true" || word === "false" || word === "null") {
      this.i += word.length;
      return word === "true" ? true : word === "false" ? false : null;
    }
    if (/^\w/.test(word)) this.fail(this.i, `unexpected word "${word}"`, "Text must be in double quotes; the only bare words in JSON are true, false and null.");
    return this.fail(this.i, `unexpected character ${JSON.stringify(word)} where a value should be`, "Check for a missing value, quote or bracket here.");
  }
}
