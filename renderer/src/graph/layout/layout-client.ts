/**
 * Layout once per (machine shape, direction): elk in a Web Worker, cached; the fallback layout
 * when elk fails or takes longer than `timeoutMs`.
 */
import type { Diagram } from "../diagram";
import { fallbackLayout } from "./fallback";
import type { Direction, Layout, LayoutRequest } from "./types";

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (r: { layout?: Layout; error?: string }) => void>();
const cache = new Map<string, Promise<Layout>>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module", name: "elk-layout" });
    worker.onmessage = (ev: MessageEvent<{ id: number; layout?: Layout; error?: string }>) => {
      pending.get(ev.data.id)?.(ev.data);
      pending.delete(ev.data.id);
    };
    worker.onerror = (ev) => {
      for (const [id, resolve] of pending) {
        resolve({ error: ev.message || "the layout worker failed" });
        pending.delete(id);
      }
      worker = undefined;
    };
  }
  return worker;
}

export function layoutRequest(d: Diagram, direction: Direction): LayoutRequest {
  return {
    key: d.key,
    direction,
    nodes: d.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: d.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, labelWidth: e.labelWidth, labelHeight: e.labelHeight })),
  };
}

function runElk(request: LayoutRequest, timeoutMs: number): Promise<{ layout?: Layout; error?: string }> {
  return new Promise((resolve) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve({ error: `elk took longer than ${timeoutMs} ms` });
    }, timeoutMs);
    pending.set(id, (r) => {
      clearTimeout(timer);
      resolve(r);
    });
    try {
      getWorker().postMessage({ id, request });
    } catch (err) {
      clearTimeout(timer);
      pending.delete(id);
      resolve({ error: err instanceof Error ? err.message : String(err) });
    }
  });
}

export function layoutDiagram(d: Diagram, direction: Direction, timeoutMs = 4000): Promise<Layout> {
  const key = `${d.key}|${direction}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = runElk(layoutRequest(d, direction), timeoutMs).then((r) => r.layout ?? fallbackLayout(d, direction, r.error));
    cache.set(key, hit);
  }
  return hit;
}

/** For the benchmark: a fresh elk run, bypassing the cache. */
export function layoutUncached(d: Diagram, direction: Direction, timeoutMs = 10_000): Promise<{ layout?: Layout; error?: string }> {
  return runElk(layoutRequest(d, direction), timeoutMs);
}
