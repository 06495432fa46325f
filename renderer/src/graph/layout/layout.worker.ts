/// <reference lib="webworker" />
// Runs elk off the main thread: one layout request in, one Layout (or an error) out.
import ELK from "elkjs/lib/elk.bundled.js";
import { fromElk, toElk } from "../../../../shared/diagram/elk-graph";
import type { LayoutRequest } from "../../../../shared/diagram/layout";

const elk = new ELK();

self.onmessage = async (ev: MessageEvent<{ id: number; request: LayoutRequest }>) => {
  const { id, request } = ev.data;
  const t0 = performance.now();
  try {
    const result = await elk.layout(toElk(request));
    self.postMessage({ id, layout: fromElk(result, performance.now() - t0, request) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
