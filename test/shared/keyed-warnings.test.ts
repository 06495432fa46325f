import { describe, expect, it } from "vitest";
import { KeyedWarnings } from "../../shared/trace/keyed-warnings";

const T = "2026-06-10T00:00:00.000Z";

describe("keyed warnings", () => {
  it("raises once per message, clears once with the code, instance and source it was raised with", () => {
    const w = new KeyedWarnings();
    const first = w.raise("bad:a", { code: "unreadable", message: "cannot read a", source: { file: "/x/a" }, instance: "constructor" }, T);
    expect(first).toEqual({ kind: "warning", code: "unreadable", key: "bad:a", message: "cannot read a", ts: T, tsFrom: "observed", source: { file: "/x/a" }, instance: "constructor" });
    expect(w.raise("bad:a", { code: "unreadable", message: "cannot read a", source: { file: "/x/a" } }, T)).toBeUndefined();
    // A new message for the same key replaces the old one.
    expect(w.raise("bad:a", { code: "bad-line", message: "a is not JSON", source: { file: "/x/a" } }, T)).toMatchObject({ code: "bad-line", message: "a is not JSON" });
    expect(w.clear("bad:a", (was) => `${was.code} over`, T)).toEqual({ kind: "warning", code: "bad-line", key: "bad:a", message: "bad-line over", ts: T, tsFrom: "observed", source: { file: "/x/a" }, cleared: true });
    expect(w.clear("bad:a", "again", T)).toBeUndefined();
    expect(w.has("bad:a")).toBe(false);
  });

  it("shows exactly the warnings wanted: the others cleared, new and changed ones raised, the same ones left alone", () => {
    const w = new KeyedWarnings();
    const src = { table: "t" };
    const one = (keys: [string, string][]) => new Map(keys.map(([k, message]) => [k, { code: "source-error" as const, message, source: src }]));
    expect(w.showOnly(one([["auth", "no password"], ["table", "no table"]]), (k) => `${k} ok`, T).map((o) => o.kind === "warning" && [o.key, o.message, o.cleared ?? false])).toEqual([
      ["auth", "no password", false],
      ["table", "no table", false],
    ]);
    expect(w.showOnly(one([["table", "no table"]]), (k) => `${k} ok`, T).map((o) => o.kind === "warning" && [o.key, o.message, o.cleared ?? false])).toEqual([["auth", "auth ok", true]]);
    expect(w.showOnly(one([["table", "still no table"]]), (k) => `${k} ok`, T)).toHaveLength(1);
    expect(w.keys()).toEqual(["table"]);
  });
});
