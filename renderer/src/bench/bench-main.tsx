/**
 * Diagram benchmark page (bench.html; run by `npm run bench`, not part of the app), for a
 * generated 100-state, 300-transition machine: how soon the first picture is drawn (a quick
 * layout), elk's own time in the worker, how soon a machine opened before is drawn in its final
 * layout (the backend's cache), and frame times while transitions stream at 20 per second — each
 * next to a baseline measured in the same page.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { normalize } from "../../../shared/machine/normalize";
import type { Observation } from "../../../shared/trace/observation";
import { applyObservation, emptyModel, type SessionModel } from "../../../shared/trace/session-model";
import { findProfile } from "../../../shared/profiles";
import { MachineDiagram } from "../graph/MachineDiagram";
import { buildDiagram } from "../../../shared/diagram/diagram";
import { forgetLayouts, layoutCacheKey, layoutUncached, setPersistentLayouts } from "../graph/layout/layout-client";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { pageAccess, wsUrlFor } from "../transport/page-access";
import { wsApi } from "../transport/ws";
import { percentile } from "../../../shared/trace/stats";
import { useStore } from "../store/store";
import { generateMachine } from "./generate";
import "../styles/app.css";

declare global {
  interface Window {
    __bench?: unknown;
  }
}

let machine: MachineDefinition = generateMachine(100, 300);
const m = normalize(machine);

async function layoutTimes(def: typeof machine, runs: number): Promise<number[]> {
  const d = buildDiagram(normalize(def));
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await layoutUncached(d, "RIGHT", 60_000);
    if (!r.layout?.ms) throw new Error(`elk failed: ${r.error}`);
    out.push(r.layout.ms);
  }
  return out;
}

/** Frame durations (ms between animation frames) over `ms`. */
function frames(ms: number): Promise<number[]> {
  return new Promise((resolve) => {
    const out: number[] = [];
    let last = performance.now();
    const end = last + ms;
    const tick = (t: number): void => {
      out.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick);
      else resolve(out.slice(1));
    };
    requestAnimationFrame(tick);
  });
}

let model: SessionModel = emptyModel();

const root = createRoot(document.getElementById("root") as HTMLElement);
/** Draw `def` (the current machine when not given; nothing when null) with the model. */
function render(next: SessionModel, def: MachineDefinition | null = machine): void {
  model = next;
  root.render(
    <StrictMode>
      <div style={{ position: "fixed", inset: 0 }}>{def && <MachineDiagram key={def.id} machine={def} model={model} instance="w1" />}</div>
    </StrictMode>,
  );
}

/**
 * Draws `def` from nothing and returns the ms until its states are in the page with the wanted
 * layout engine (checked on every change of the page, not once a frame: a frame is 16.7 ms).
 */
async function timeToPicture(def: MachineDefinition, engines: readonly string[]): Promise<number> {
  render(emptyModel(), null);
  await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  const states = Object.keys(def.states).length;
  const drawn = (): boolean => {
    const engine = document.querySelector("[role=figure]")?.getAttribute("data-layout") ?? "";
    return engines.includes(engine) && document.querySelectorAll(".react-flow__node").length >= Math.min(states, 20);
  };
  return new Promise((resolve, reject) => {
    let t0 = 0;
    const give = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${def.id} was not drawn within 60 s`));
    }, 60_000);
    const observer = new MutationObserver(() => {
      if (!drawn()) return;
      observer.disconnect();
      clearTimeout(give);
      resolve(performance.now() - t0);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-layout"] });
    t0 = performance.now();
    render(model, def);
  });
}

async function run(): Promise<void> {
  useStore.getState().setTheme("dark", "system");
  document.documentElement.dataset["theme"] = "dark";
  const iai = findProfile("iai-mcp")?.machine;
  if (!iai) throw new Error("no iai-mcp profile");
  const baselineLayout = await layoutTimes(iai, 5);
  const bigLayout = await layoutTimes(machine, 5);

  // The backend keeps finished layouts, as in the app.
  const access = pageAccess(window.location, window.sessionStorage, window.history);
  if (access.token === undefined) throw new Error("the benchmark page needs the serve token");
  const api = wsApi(wsUrlFor(window.location.host, { ...access, token: access.token })).api;
  setPersistentLayouts({ get: (key) => api.getCachedLayout({ key }), put: (key, layout) => api.cacheLayout({ key, layout }) });
  const runId = Date.now().toString(36);
  const fresh = [0, 1, 2, 3, 4].map((i) => ({ ...generateMachine(100, 300, 42 + i), id: `bench-${runId}-${i}` }));
  const firstPicture: number[] = [];
  for (const def of fresh) {
    firstPicture.push(await timeToPicture(def, ["quick", "elk", "fallback"]));
    await timeToPicture(def, ["elk"]);
  }
  // Wait until the backend holds all three (both directions: the diagram's AUTO lays out both).
  const keys = fresh.flatMap((def) => (["RIGHT", "DOWN"] as const).map((d) => layoutCacheKey(buildDiagram(normalize(def)), d)));
  for (let i = 0; i < 300; i++) {
    const held = await Promise.all(keys.map((key) => api.getCachedLayout({ key }).catch(() => null)));
    if (held.every((l) => l !== null)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cached: number[] = [];
  for (const def of fresh) {
    forgetLayouts();
    cached.push(await timeToPicture(def, ["elk"]));
  }
  machine = generateMachine(100, 300);
  render(emptyModel(), machine);

  let state = m.initial;
  let seq = 0;
  model = applyObservation(emptyModel(), { kind: "state", seq: ++seq, instance: "w1", state, tsFrom: "observed", ts: new Date().toISOString(), source: {} });
  render(model);
  await new Promise((r) => setTimeout(r, 1500)); // layout (cached) and first paint
  // Idle and streaming windows alternate, so a slow spell of the machine hits both alike.
  const out = m.edges.filter((e) => e.from !== "*");
  const idle: number[] = [];
  const streaming: number[] = [];
  for (let round = 0; round < 5; round++) {
    idle.push(...(await frames(1000)));
    const timer = setInterval(() => {
      const options = out.filter((e) => e.from === state);
      const e = options[seq % Math.max(1, options.length)] ?? out[seq % out.length];
      if (!e) return;
      const obs: Observation = { kind: "transition", seq: ++seq, instance: "w1", from: e.from, to: e.to, event: e.event, verdict: "declared", ts: new Date().toISOString(), tsFrom: "observed", source: {} };
      state = e.to;
      render(applyObservation(model, obs));
    }, 50);
    streaming.push(...(await frames(2000)));
    clearInterval(timer);
  }
  const share = (list: number[]): number => list.filter((f) => f <= 16.7 + 0.5).length / Math.max(1, list.length);
  const sorted = (list: number[]): number[] => [...list].sort((a, b) => a - b);
  const r2 = (n: number): number => Math.round(n * 100) / 100;
  const med = (list: number[]): number => r2(percentile(sorted(list), 50));
  window.__bench = {
    machine: { states: m.states.length, transitions: m.edges.length },
    firstPicture: { medianMs: med(firstPicture), runsMs: firstPicture.map(r2) },
    cached: { medianMs: med(cached), runsMs: cached.map(r2) },
    layout: {
      medianMs: r2(percentile(sorted(bigLayout), 50)),
      runsMs: bigLayout.map(r2),
      baselineMedianMs: r2(percentile(sorted(baselineLayout), 50)),
      baselineWhat: "elk on the 4-state iai-mcp machine, same worker",
      ratio: r2(percentile(sorted(bigLayout), 50) / Math.max(0.01, percentile(sorted(baselineLayout), 50))),
      targetMs: 200,
      met: percentile(sorted(bigLayout), 50) < 200,
    },
    frames: {
      transitionsPerSecond: 20,
      transitionsApplied: seq - 1,
      frames: streaming.length,
      under16_7: r2(share(streaming)),
      p50Ms: r2(percentile(sorted(streaming), 50)),
      p95Ms: r2(percentile(sorted(streaming), 95)),
      baselineIdleUnder16_7: r2(share(idle)),
      baselineIdleP95Ms: r2(percentile(sorted(idle), 95)),
      ratioP95: r2(percentile(sorted(streaming), 95) / Math.max(0.01, percentile(sorted(idle), 95))),
      target: "95% of frames under 16.7 ms",
      met: share(streaming) >= 0.95,
    },
  };
}

run().catch((err: unknown) => {
  window.__bench = { error: err instanceof Error ? err.message : String(err) };
});
