/**
 * Consumes observations in trace order and builds the check report: each transition's verdict and
 * dwell (TraceAccumulator — the same judgement a live session makes), per-instance statistics
 * (TraceStats), events, gaps and errors.
 */
import { ANY_STATE, normalize, type NormalizedMachine } from "../../../shared/machine/normalize";
import type { Profile } from "../../../shared/profiles/profile";
import { profileTrace, type TraceAccumulator } from "../../../shared/trace/accumulator";
import { dict } from "../../../shared/dict";
import type { NewObservation } from "../../../shared/trace/observation";
import { TraceStats, edgeKey } from "../../../shared/trace/stats";
import { parseIsoMs } from "../../../shared/trace/time";
import { COUNT_KEY, conforms, emptyCounts, type CheckInstance, type CheckProblem, type CheckReport } from "./report";

export interface SinkOptions {
  /** Keep every transition and event in the report (the JSON output); the summary only needs counts. */
  keepDetails: boolean;
  /** The source samples state (snapshots): missed steps between samples are gaps. */
  sampled: boolean;
}

export class ReportSink {
  private readonly machine: NormalizedMachine;
  private readonly trace: TraceAccumulator;
  private readonly stats = new TraceStats();
  private readonly instances = new Map<string, CheckInstance>();
  private readonly gaps: CheckReport["gaps"] = [];
  private readonly errors: CheckProblem[] = [];
  private readonly warnings: CheckProblem[] = [];
  private readonly notes: string[] = [];
  private readonly eventByEdge = new Map<string, string | null>();
  private anyTs = false;
  private anyTransition = false;

  constructor(
    readonly profile: Profile,
    private readonly opts: SinkOptions,
  ) {
    this.machine = normalize(profile.machine);
    this.trace = profileTrace(profile, opts.sampled, this.machine);
    for (const e of this.machine.edges) {
      if (e.targetless || e.event === "") continue;
      const froms = e.from === ANY_STATE ? this.machine.states : [e.from];
      for (const f of froms) {
        const key = edgeKey(f, e.to);
        const prev = this.eventByEdge.get(key);
        this.eventByEdge.set(key, prev === undefined || prev === e.event ? e.event : null);
      }
    }
  }

  private instance(id: string): CheckInstance {
    let inst = this.instances.get(id);
    if (!inst) {
      inst = { id, finalState: null, transitions: [], counts: emptyCounts(), dwell: dict(), edges: dict(), eventCounts: dict(), events: [], notes: [] };
      this.instances.set(id, inst);
    }
    return inst;
  }

  /** A break in every instance's trace (a file after missing days, a restart). */
  gap(message: string, file: string, line: number | null, instance: string | null = null): void {
    this.trace.gap(instance ?? undefined);
    this.gaps.push({ file, line, message, instance });
  }

  error(file: string, line: number | null, message: string): void {
    this.errors.push({ file, line, message });
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  current(instance: string): string | undefined {
    return this.trace.current(instance);
  }

  push(items: readonly NewObservation[]): void {
    for (const o of items) this.one(o);
  }

  /** One observation; `parsedTs` is its time in epoch ms when the reader parsed it already. */
  add(o: NewObservation, parsedTs?: number): void {
    this.one(o, parsedTs);
  }

  private one(o: NewObservation, parsedTs?: number): void {
    const file = o.source.file ?? "";
    const line = o.source.line ?? null;
    const tsMs = parsedTs ?? (o.ts !== undefined ? parseIsoMs(o.ts) : undefined);
    if (tsMs !== undefined) this.anyTs = true;
    switch (o.kind) {
      case "transition": {
        this.anyTransition = true;
        const inst = this.instance(o.instance);
        const { verdict, dwellMs, containerDwell } = this.trace.transition(o.instance, o.from, o.to, tsMs);
        this.stats.transition(o.instance, o.from, o.to, dwellMs, containerDwell);
        inst.counts[COUNT_KEY[verdict]] += 1;
        inst.finalState = o.to;
        // The summary lists the first transitions that do not conform; --json lists them all.
        if (this.opts.keepDetails || (verdict !== "declared" && verdict !== "gap" && inst.transitions.length < 100)) {
          const inferred = o.event === undefined ? this.eventByEdge.get(edgeKey(o.from, o.to)) : undefined;
          inst.transitions.push({
            index: inst.counts.declared + inst.counts.undeclared + inst.counts.fromMismatch + inst.counts.unknownState + inst.counts.gap - 1,
            file,
            line,
            ts: o.ts ?? null,
            from: o.from,
            to: o.to,
            event: o.event ?? inferred ?? null,
            eventFrom: o.event !== undefined ? "log" : inferred ? "machine" : null,
            verdict,
          });
        }
        return;
      }
      case "state": {
        const inst = this.instance(o.instance);
        this.trace.observe(o);
        inst.finalState = o.state;
        return;
      }
      case "event": {
        const inst = this.instance(o.instance);
        // A null-prototype table: nothing is inherited, an index reads only its own entries.
        inst.eventCounts[o.name] = (inst.eventCounts[o.name] ?? 0) + 1;
        if (this.opts.keepDetails) inst.events.push({ file, line, ts: o.ts ?? null, name: o.name });
        return;
      }
      case "warning":
        if (o.code === "gap") this.gap(o.message, file, line, o.instance ?? null);
        // Odd but readable (a repeated line, a time going backwards): shown, not a conformance error.
        else if (o.code === "suspicious") this.warnings.push({ file, line, message: o.message });
        else if (!o.cleared) this.error(file, line, o.message);
        return;
      default:
        return;
    }
  }

  report(target: string, files: CheckReport["files"]): CheckReport {
    const instances = [...this.instances.values()].map((inst) => ({
      ...inst,
      dwell: this.stats.dwell(inst.id),
      edges: this.stats.edges(inst.id),
    }));
    if (this.anyTransition && !this.anyTs) this.note("This log has no timestamps: transitions are ordered by line, and dwell times are not available.");
    const base = { instances, errors: this.errors };
    return { profile: this.profile.id, target, files, instances, gaps: this.gaps, errors: this.errors, warnings: this.warnings, notes: this.notes, conforms: conforms(base) };
  }
}
