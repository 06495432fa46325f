/** elk in this process (the command line has no Web Worker): the same graph and options as the app's worker. */
import ELK from "elkjs/lib/elk.bundled.js";
import { fromElk, toElk } from "../../../shared/diagram/elk-graph";
import type { Layout, LayoutRequest } from "../../../shared/diagram/layout";

let elk: InstanceType<typeof ELK> | undefined;

export async function layoutWithElk(request: LayoutRequest): Promise<Layout> {
  elk ??= new ELK();
  const t0 = performance.now();
  const graph = await elk.layout(toElk(request));
  return fromElk(graph, performance.now() - t0, request);
}
