/**
 * The packing that carries judged observations from the replay's reading thread to its indexing
 * thread: whatever goes in comes out equal and in order — log lines packed in columns, everything
 * else whole — across batches that share one string table, and after a real transfer of the
 * buffers (structuredClone with transfer, as postMessage does).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ItemPacker, ItemUnpacker, packedBuffers, type CodecItem } from "../../shared/replay/item-codec";
import type { NewObservation } from "../../shared/trace/observation";

const name = fc.oneof(fc.constantFrom("WAKE", "SLEEP", "constructor", "__proto__", "", "daemon", "é/ü"), fc.string({ maxLength: 8 }));
const stamp = fc.oneof(fc.constantFrom("2026-01-01T00:00:01.000000+00:00", "2026-01-01T00:00:01Z", ""), fc.string({ maxLength: 30 }));
const source = fc.record({ file: fc.constantFrom("/logs/a.jsonl", "/logs/b.jsonl"), line: fc.integer({ min: 1, max: 1e7 }) }, { requiredKeys: [] });

const transition: fc.Arbitrary<NewObservation> = fc.record(
  {
    kind: fc.constant("transition" as const),
    instance: name,
    from: name,
    to: name,
    event: name,
    verdict: fc.constantFrom("declared" as const, "undeclared" as const, "from-mismatch" as const, "unknown-state" as const, "gap" as const),
    dwellMs: fc.double({ min: 0, max: 1e9, noNaN: true }),
    containerDwell: fc.dictionary(name, fc.nat()),
    fields: fc.dictionary(name, fc.oneof(fc.string(), fc.integer())),
    ts: stamp,
    tsFrom: fc.constantFrom("artifact" as const, "observed" as const),
    source,
  },
  { requiredKeys: ["kind", "instance", "from", "to", "tsFrom", "source"] },
);
const event: fc.Arbitrary<NewObservation> = fc.record(
  { kind: fc.constant("event" as const), instance: name, name, ts: stamp, tsFrom: fc.constantFrom("artifact" as const, "observed" as const), source, fields: fc.dictionary(name, fc.string()) },
  { requiredKeys: ["kind", "instance", "name", "tsFrom", "source"] },
);
const warning: fc.Arbitrary<NewObservation> = fc.record(
  { kind: fc.constant("warning" as const), code: fc.constant("bad-line" as const), message: fc.string(), tsFrom: fc.constant("observed" as const), source: fc.record({ table: fc.constant("workers") }, { requiredKeys: [] }) },
  { requiredKeys: ["kind", "code", "message", "tsFrom", "source"] },
);
const item: fc.Arbitrary<CodecItem> = fc.record(
  { obs: fc.oneof({ weight: 4, arbitrary: transition }, { weight: 4, arbitrary: event }, { weight: 1, arbitrary: warning }), offset: fc.nat({ max: 2 ** 40 }), tsMs: fc.double({ min: -1e13, max: 1e13, noNaN: true }) },
  { requiredKeys: ["obs"] },
);

/** Through a real transfer, as the reading thread posts a batch. */
function transferred<T>(value: T, buffers: ArrayBuffer[]): T {
  return structuredClone(value, { transfer: buffers });
}

describe("packing judged observations between the replay's threads", () => {
  it("gives back every batch equal and in order, one string table across batches", () => {
    fc.assert(
      fc.property(fc.array(fc.array(item, { maxLength: 40 }), { maxLength: 6 }), (batches) => {
        const packer = new ItemPacker();
        const unpacker = new ItemUnpacker();
        for (const batch of batches) {
          const packed = packer.pack(batch);
          const back = unpacker.unpack(transferred(packed, packedBuffers(packed)));
          expect(back).toEqual(batch);
        }
      }),
    );
  });

  it("packs log lines as columns, sends each string once, and keeps the rest whole", () => {
    const packer = new ItemPacker();
    const line = (n: number, from: string, to: string): CodecItem => ({
      obs: { kind: "transition", instance: "daemon", from, to, event: "tick", tsFrom: "artifact", ts: `2026-01-01T00:00:0${n}Z`, source: { file: "/l.jsonl", line: n }, verdict: "declared", dwellMs: 5 },
      offset: n * 100,
      tsMs: Date.UTC(2026, 0, 1, 0, 0, n),
    });
    const first = packer.pack([line(1, "WAKE", "SLEEP"), { obs: { kind: "warning", code: "bad-line", message: "line 2 is not JSON", tsFrom: "observed", source: { file: "/l.jsonl", line: 2 } }, offset: 100 }, line(3, "SLEEP", "WAKE")]);
    expect([...first.kind]).toEqual([1, 0, 1]);
    expect(first.whole).toHaveLength(1);
    expect(first.strings).toEqual(["WAKE", "SLEEP", "tick", "daemon", "/l.jsonl"]);
    expect(first.stamps).toBe("2026-01-01T00:00:01Z2026-01-01T00:00:03Z");
    const second = packer.pack([line(4, "WAKE", "SLEEP")]);
    expect(second.strings).toEqual([]);
    const unpacker = new ItemUnpacker();
    unpacker.unpack(first);
    expect(unpacker.unpack(second)[0]).toEqual(line(4, "WAKE", "SLEEP"));
  });
});
