import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { LineSplitter } from "../../shared/trace/line-splitter";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("LineSplitter", () => {
  it("keeps a partial last line until its newline", () => {
    const s = new LineSplitter();
    expect(s.push(enc('{"a":1}\n{"b"'))).toMatchObject([{ lineNo: 1, text: '{"a":1}', offset: 0 }]);
    expect(s.committedOffset).toBe(8);
    expect(s.pendingBytes).toBe(4);
    expect(s.push(enc(":2}\n"))).toMatchObject([{ lineNo: 2, text: '{"b":2}', offset: 8 }]);
    expect(s.flush()).toEqual([]);
  });

  it("accepts CRLF, flags invalid UTF-8, and cuts lines over the limit", () => {
    const s = new LineSplitter(10);
    const bad = new Uint8Array([0x61, 0xff, 0xfe, 0x0a]);
    const out = [...s.push(enc("one\r\n")), ...s.push(bad), ...s.push(enc("x".repeat(25) + "\nok\n"))];
    expect(out.map((l) => l.text)).toEqual(["one", "a\uFFFD\uFFFD", "x".repeat(10), "ok"]);
    expect(out[1]?.invalidUtf8).toBe(true);
    expect(out[2]?.truncatedFrom).toBe(25);
    expect(out[3]?.offset).toBe(5 + 4 + 26);
  });

  it("gives the same lines however the bytes are chunked", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }), (lines, sizes) => {
        const text = lines.map((l) => l.replace(/[\r\n]/g, "") + "\n").join("");
        const bytes = enc(text);
        const s = new LineSplitter();
        const got: string[] = [];
        let i = 0;
        let k = 0;
        while (i < bytes.length) {
          const n = sizes[k++ % sizes.length] ?? 1;
          got.push(...s.push(bytes.subarray(i, i + n)).map((l) => l.text));
          i += n;
        }
        expect(got).toEqual(lines.map((l) => l.replace(/[\r\n]/g, "")));
        expect(s.committedOffset).toBe(bytes.length);
      }),
    );
  });

  it("cuts ASCII and non-ASCII text alike, at any chunking, with byte offsets and line limits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }), fc.constant("x".repeat(40))), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        (parts, sizes, crlf) => {
          const lines = parts.map((l) => l.replace(/[\r\n]/g, ""));
          const text = lines.map((l) => l + (crlf ? "\r\n" : "\n")).join("");
          const bytes = enc(text);
          const s = new LineSplitter(32);
          const got: { text: string; offset: number; truncatedFrom?: number }[] = [];
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const n = sizes[k % sizes.length] ?? 1;
            got.push(...s.push(bytes.subarray(i, i + n)).map((l) => ({ text: l.text, offset: l.offset, ...(l.truncatedFrom !== undefined ? { truncatedFrom: l.truncatedFrom } : {}) })));
            i += n;
          }
          let offset = 0;
          const want = lines.map((l) => {
            const b = enc(l + (crlf ? "\r" : ""));
            const line = { text: b.length > 32 ? new TextDecoder().decode(b.subarray(0, 32)) : l, offset, ...(b.length > 32 ? { truncatedFrom: b.length } : {}) };
            offset += b.length + 1;
            return line;
          });
          expect(got).toEqual(want);
        },
      ),
      { numRuns: runs(500) },
    );
  });
});
