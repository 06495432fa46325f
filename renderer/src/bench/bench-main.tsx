/**
 * Diagram benchmark page (bench.html; run by `npm run bench`, not part of the app): elk layout
 * time in the worker for a generated 100-state, 300-transition machine, and frame times while
 * transitions stream at 20 per second — each next to a baseline measured in the same page.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { normalize } from "../../../shared/machine/normalize";
import type { Observation } from "../../../shared/trace/observation";
import { applyObservation, emptyModel, type SessionModel } from "../../../shared/trace/session-model";
import { findProfile } from "../../../shared/profiles";
import { MachineDiagram } from "../graph/MachineDiagram";
import { buildDiagram } from "../graph/diagram";
import { layoutUncached } from "../graph/layout/layout-client";
import { percentile } from "../../../shared/trace/stats";
import { useStore } from "../store/store";
import { generateMachine } from "./generate";
import "../styles/app.css";

declare global {
  interface Window {
    __bench?: unknown;
  }
}

const machine = generateMachine(100, 300);
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
let render: (m: SessionModel) => void = () => {};

function App(): React.JSX.Element {
  return <MachineDiagram machine={machine} model={model} instance="w1" />;
}

const root = createRoot(document.getElementById("root") as HTMLElement);
render = (next) => {
  model = next;
  root.render(
    <StrictMode>
      <div style={{ position: "fixed", inset: 0 }}>
        <App />
      </div>
    </StrictMode>,
  );
};

async function run(): Promise<void> {
  useStore.getState().setTheme("dark");
  document.documentElement.dataset["theme"] = "dark";
  const iai = findProfile("iai-mcp")?.machine;
  if (!iai) throw new Error("no iai-mcp profile");
  const baselineLayout = await layoutTimes(iai, 5);
  const bigLayout = await layoutTimes(machine, 5);

  let state = m.initial;
  let seq = 0;
  model = applyObservation(emptyModel(), { kind: "state", seq: ++seq, instance: "w1", state, tsFrom: "observed", ts: new Date().toISOString(), source: {} });
  render(model);
  await new Promise((r) => setTimeout(r, 1500)); // layout (cached) and first paint
  const idle = await frames(3000);
  const out = m.edges.filter((e) => e.from !== "*");
  const timer = setInterval(() => {
    const options = out.filter((e) => e.from === state);
    const e = options[seq % Math.max(1, options.length)] ?? out[seq % out.length];
    if (!e) return;
    const obs: Observation = { kind: "transition", seq: ++seq, instance: "w1", from: e.from, to: e.to, event: e.event, verdict: "declared", ts: new Date().toISOString(), tsFrom: "observed", source: {} };
    state = e.to;
    render(applyObservation(model, obs));
  }, 50);
  const streaming = await frames(10_000);
  clearInterval(timer);
  const share = (list: number[]): number => list.filter((f) => f <= 16.7 + 0.5).length / Math.max(1, list.length);
  const sorted = (list: number[]): number[] => [...list].sort((a, b) => a - b);
  const r2 = (n: number): number => Math.round(n * 100) / 100;
  window.__bench = {
    machine: { states: m.states.length, transitions: m.edges.length },
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
