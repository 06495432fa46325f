/**
 * Preferences as they come back from disk or a client: every valid field kept, anything else left
 * out (never an error), names from files kept as data (a machine called `__proto__` or
 * `constructor` is a key like any other), and the lists bounded.
 */
import { describe, expect, it } from "vitest";
import { checkedPreferences } from "../../shared/ipc/preferences";

describe("preferences, checked", () => {
  it("keeps every valid field", () => {
    const p = { theme: "light", utc: true, overlays: { counts: false, dwell: true, ghosts: true, unseen: false, badges: true }, direction: "DOWN", collapsed: { lease: ["active"], worker: ["working.job", "working.connection"] } };
    expect(checkedPreferences(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it("leaves out what is not valid, field by field", () => {
    expect(checkedPreferences({ theme: "blue", utc: "yes", direction: "UP", overlays: { counts: "no", dwell: true, nope: true }, collapsed: { a: "x", b: [1, "", "s"], c: [] } })).toEqual({ overlays: { dwell: true }, collapsed: { b: ["s"] } });
    for (const junk of [null, 1, "x", [], [{ theme: "light" }]]) expect(checkedPreferences(junk)).toEqual({});
  });

  it("keeps names from files as data, in a table without a prototype", () => {
    const p = checkedPreferences(JSON.parse('{"collapsed": {"__proto__": ["a"], "constructor": ["b"], "toString": ["c"]}}'));
    expect(Object.getPrototypeOf(p.collapsed)).toBeNull();
    expect(Object.keys(p.collapsed ?? {}).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(({} as Record<string, unknown>)["a"]).toBeUndefined();
  });

  it("bounds what it keeps: machines, containers per machine, repeated paths once", () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`m${i}`, ["x", "x", ...Array.from({ length: 700 }, (_, k) => `p${k}`)]]));
    const p = checkedPreferences({ collapsed: many });
    expect(Object.keys(p.collapsed ?? {})).toHaveLength(200);
    expect(p.collapsed?.["m0"]).toHaveLength(500);
    expect(p.collapsed?.["m0"]?.filter((x) => x === "x")).toHaveLength(1);
  });
});
