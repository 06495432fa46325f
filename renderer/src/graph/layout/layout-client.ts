/**
 * Layout once per (machine shape, direction): a quick layout for the first picture, then elk's in
 * a Web Worker — kept for this run and, through the backend, in the user's cache folder, so the
 * next opening draws it at once. The fallback layout when elk fails or takes longer than `timeoutMs`.
 */
import type { Diagram } from "../../../../shared/diagram/diagram";
import { fallbackLayout } from "../../../../shared/diagram/fallback";
import { layoutRequest } from "../../../../shared/diagram/elk-graph";
import type { Direction, Layout, LayoutRequest } from "../../../../shared/diagram/layout";
import { toDict } from "../../../../shared/dict";

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (r: { layout?: Layout; error?: string }) => void>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module", name: "elk-layout" });
    worker.onmessage = (ev: MessageEvent<{ id: number; layout?: Layout; error?: string }>) => {
      // Structured clone gives ordinary objects: rebuild the tables keyed by state names.
      const { layout } = ev.data;
      pending.get(ev.data.id)?.(layout ? { ...ev.data, layout: { ...layout, nodes: toDict(layout.nodes), edges: toDict(layout.edges) } } : ev.data);
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

/** Where finished layouts are kept between openings (the backend, through the contract); none in tests and benchmarks unless given. */
export interface PersistentLayouts {
  get(key: string): Promise<Layout | null>;
  put(key: string, layout: Layout): Promise<unknown>;
}

let persistent: PersistentLayouts | undefined;

export function setPersistentLayouts(p: PersistentLayouts | undefined): void {
  persistent = p;
}

/**
 * How long an opening waits for the persistent cache to answer before drawing the quick layout
 * anyway (a busy backend); a cache that says "not here" sooner lets the quick layout show at once.
 */
const CACHE_WAIT_MS = 150;
/** A cache that has not answered by then is taken as a miss: a slow or stuck backend never holds back elk's layout. */
const CACHE_GIVE_UP_MS = 1500;

/** The persistent cache's layout for a key, or null: not there, failing, or not answering in time. */
function fromCache(key: string): Promise<Layout | null> {
  if (!persistent) return Promise.resolve(null);
  const store = persistent;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), CACHE_GIVE_UP_MS);
    store.get(key).then(
      (stored) => {
        clearTimeout(timer);
        resolve(stored ? { ...stored, nodes: toDict(stored.nodes), edges: toDict(stored.edges) } : null);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}
/** Bump when the layout code changes what it draws, so old cached layouts are not used (2: statecharts nested). */
const LAYOUT_VERSION = 2;

export const layoutCacheKey = (d: Diagram, direction: Direction): string => `v${LAYOUT_VERSION}|${d.key}|${direction}`;

/** Finished layouts (elk's, from this run or the persistent cache; or the fallback when elk failed). */
const finished = new Map<string, Layout>();
const running = new Map<string, { cached: Promise<Layout | null>; final: Promise<Layout> }>();

/** The layout being made for a key: what the persistent cache holds (null: nothing), and the final one. */
function making(d: Diagram, direction: Direction, key: string, timeoutMs: number): { cached: Promise<Layout | null>; final: Promise<Layout> } {
  let m = running.get(key);
  if (!m) {
    const cached = fromCache(key);
    const final = (async () => {
      const stored = await cached;
      if (stored) return stored;
      const r = await runElk(layoutRequest(d, direction), timeoutMs);
      if (r.layout) {
        void persistent?.put(key, r.layout).catch(() => undefined);
        return r.layout;
      }
      return fallbackLayout(d, direction, r.error);
    })();
    m = { cached, final };
    running.set(key, m);
    void final.then((l) => {
      finished.set(key, l);
      running.delete(key);
    });
  }
  return m;
}

/**
 * The layout of a diagram in a direction, as it becomes known: a finished one at once when this
 * run or the backend's cache has it; else a quick layout right away (the first picture), then
 * elk's when it is done. Returns a function that stops further calls.
 */
export function followLayout(d: Diagram, direction: Direction, onLayout: (l: Layout) => void, timeoutMs = 4000): () => void {
  const key = layoutCacheKey(d, direction);
  const done = finished.get(key);
  if (done) {
    onLayout(done);
    return () => undefined;
  }
  let live = true;
  let final = false;
  const m = making(d, direction, key, timeoutMs);
  let quickShown = false;
  const showQuick = (): void => {
    if (!live || final || quickShown) return;
    quickShown = true;
    onLayout(fallbackLayout(d, direction, undefined, "quick"));
  };
  const quick = setTimeout(showQuick, persistent ? CACHE_WAIT_MS : 0);
  void m.cached.then((stored) => {
    // Not in the cache: elk has to run, so the first picture is drawn now.
    if (!stored) {
      clearTimeout(quick);
      showQuick();
    }
  });
  void m.final.then((l) => {
    final = true;
    clearTimeout(quick);
    if (live) onLayout(l);
  });
  return () => {
    live = false;
    clearTimeout(quick);
  };
}

/** The finished layout (elk's, or the fallback when elk fails). */
export function layoutDiagram(d: Diagram, direction: Direction, timeoutMs = 4000): Promise<Layout> {
  const key = layoutCacheKey(d, direction);
  const done = finished.get(key);
  return done ? Promise.resolve(done) : making(d, direction, key, timeoutMs).final;
}

/** For the benchmark: forget the layouts of this run (the persistent cache stays). */
export function forgetLayouts(): void {
  finished.clear();
}

/** For the benchmark: a fresh elk run, bypassing every cache. */
export function layoutUncached(d: Diagram, direction: Direction, timeoutMs = 10_000): Promise<{ layout?: Layout; error?: string }> {
  return runElk(layoutRequest(d, direction), timeoutMs);
}

/** elk's layout of any request (an export's picture), fresh; rejects with elk's error. */
export async function layoutRequestOnce(request: LayoutRequest, timeoutMs = 15_000): Promise<Layout> {
  const r = await runElk(request, timeoutMs);
  if (!r.layout) throw new Error(r.error ?? "the layout failed");
  return r.layout;
}
