/**
 * The layout client's promise to the diagram: whatever the persistent cache does (answers, fails,
 * or never answers), a final layout arrives — the cache can delay elk's layout, never hold it back.
 * Here there is no Web Worker (Node), so elk "fails" at once and the final layout is the fallback.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { normalize } from "../../shared/machine/normalize";
import { findProfile } from "../../shared/profiles";
import { buildDiagram } from "../../shared/diagram/diagram";
import { fallbackLayout } from "../../shared/diagram/fallback";
import type { Layout } from "../../shared/diagram/layout";
import { followLayout, forgetLayouts, setPersistentLayouts } from "../../renderer/src/graph/layout/layout-client";

const diagram = buildDiagram(normalize(findProfile("ecluse")!.machine));

afterEach(() => {
  setPersistentLayouts(undefined);
  forgetLayouts();
  vi.useRealTimers();
});

/** The layouts followLayout hands over, in order, until one is not the quick first picture. */
async function layoutsUntilFinal(direction: "RIGHT" | "DOWN"): Promise<Layout[]> {
  const seen: Layout[] = [];
  await new Promise<void>((resolve) => {
    followLayout(diagram, direction, (l) => {
      seen.push(l);
      if (l.engine !== "quick") resolve();
    });
  });
  return seen;
}

describe("followLayout with a persistent cache", () => {
  it("a cache that never answers is given up on: the quick picture, then the final layout", async () => {
    let asked = 0;
    setPersistentLayouts({ get: () => (asked++, new Promise<Layout | null>(() => undefined)), put: async () => null });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const done = layoutsUntilFinal("RIGHT");
    await vi.advanceTimersByTimeAsync(10_000);
    const seen = await done;
    expect(asked).toBe(1);
    expect(seen.map((l) => l.engine)).toEqual(["quick", "fallback"]);
  });

  it("a cache that fails is a miss", async () => {
    setPersistentLayouts({ get: () => Promise.reject(new Error("disconnected")), put: async () => null });
    const seen = await layoutsUntilFinal("DOWN");
    expect(seen.at(-1)?.engine).toBe("fallback");
  });

  it("a cache that has the layout: it is drawn, with no quick picture before it", async () => {
    const stored: Layout = { ...fallbackLayout(diagram, "RIGHT"), engine: "elk" };
    setPersistentLayouts({ get: async () => stored, put: async () => null });
    const seen = await layoutsUntilFinal("RIGHT");
    expect(seen.map((l) => l.engine)).toEqual(["elk"]);
    expect(Object.keys(seen[0]!.nodes).sort()).toEqual(Object.keys(stored.nodes).sort());
  });
});
