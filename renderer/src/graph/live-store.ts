import { createContext, useContext } from "react";
import { createStore, useStore, type StoreApi } from "zustand";
import type { EdgeLive, Live, NodeLive } from "./flow-mapper";
import { dict, get } from "../../../shared/dict";

/** One diagram's live decorations; nodes and edges each select only their own entry. */
export type LiveStore = StoreApi<Live>;

export function createLiveStore(): LiveStore {
  return createStore<Live>(() => ({ nodes: dict(), edges: dict() }));
}

/** Equal entries: the same fields, each the same value — or, for a small record (a dwell or spread), the same fields. */
function sameEntry<T extends object>(a: T | undefined, b: T, depth = 1): boolean {
  if (!a) return false;
  const ka = Object.keys(a) as (keyof T)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => {
    const x = a[k];
    const y = b[k];
    if (x === y) return true;
    return depth > 0 && typeof x === "object" && x !== null && typeof y === "object" && y !== null && sameEntry(x, y, depth - 1);
  });
}

/** Publish new decorations, keeping the previous object of every entry that did not change. */
export function publish(store: LiveStore, next: Live): void {
  const prev = store.getState();
  const keep = <T extends object>(p: Record<string, T>, n: Record<string, T>): Record<string, T> => {
    const out: Record<string, T> = dict();
    for (const [id, v] of Object.entries(n)) out[id] = sameEntry(get(p, id), v) ? (p[id] as T) : v;
    return out;
  };
  store.setState({ nodes: keep(prev.nodes, next.nodes), edges: keep(prev.edges, next.edges) }, true);
}

export const LiveContext = createContext<LiveStore | null>(null);

const NO_NODE: NodeLive = { current: false, unseen: false, queued: 0 };
const NO_EDGE: EdgeLive = { count: 0, weight: 1.5, showCount: false, unseen: false, active: false, pulse: 0 };

export function useNodeLive(id: string): NodeLive {
  const store = useContext(LiveContext);
  if (!store) throw new Error("useNodeLive() outside <LiveContext.Provider>");
  return useStore(store, (s) => get(s.nodes, id) ?? NO_NODE);
}

export function useEdgeLive(id: string): EdgeLive {
  const store = useContext(LiveContext);
  if (!store) throw new Error("useEdgeLive() outside <LiveContext.Provider>");
  return useStore(store, (s) => get(s.edges, id) ?? NO_EDGE);
}
