/**
 * The observed machine of a log or folder, for an export: every observation read as `check` reads
 * it and judged by the same accumulator, counted per from→to with its verdict, dwell per state.
 */
import { addObservedEdge, emptyObserved, setDwell, type ObservedMachine } from "../../../shared/diagram/export/observed";
import { profileTrace } from "../../../shared/trace/accumulator";
import { readTarget } from "../check/read-target";
import { isSnapshotSequence, type CheckTarget } from "../target/target";

export async function observedMachine(target: CheckTarget): Promise<ObservedMachine> {
  const o = emptyObserved();
  const trace = profileTrace(target.profile, isSnapshotSequence(target));
  const dwell = new Map<string, number[]>();
  const reading = readTarget(target, { fields: false, current: (i) => trace.current(i) });
  for (;;) {
    const next = await reading.next();
    if (next.done) {
      o.sources = next.value.map((f) => f.file);
      break;
    }
    for (const { obs, tsMs } of next.value) {
      const judged = trace.observe(obs, tsMs);
      if (obs.kind === "state") o.seen.add(obs.state);
      if (obs.kind !== "transition" || !judged) continue;
      addObservedEdge(o, obs.from, obs.to, 1, judged.verdict);
      const samples: [string, number][] = Object.entries(judged.containerDwell ?? {});
      if (judged.dwellMs !== undefined) samples.push([obs.from, judged.dwellMs]);
      for (const [state, ms] of samples) {
        const list = dwell.get(state);
        if (list) list.push(ms);
        else dwell.set(state, [ms]);
      }
    }
  }
  for (const [state, list] of dwell) setDwell(o, state, list);
  return o;
}
