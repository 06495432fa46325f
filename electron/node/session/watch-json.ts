/**
 * One line of `fsm-inspector watch --json` per observation. The shape is documented in the README;
 * keep it stable (add fields, never rename).
 */
import type { Observation } from "../../../shared/trace/observation";
import { parseIsoMs } from "../../../shared/trace/time";

export type WatchLine = Record<string, unknown> & { kind: Observation["kind"]; instance: string | null; ts: string | null };

export function watchLine(o: Observation, nowMs: number): WatchLine {
  const base = { kind: o.kind, ts: o.ts ?? null, seq: o.seq, file: o.source.file ?? o.source.table ?? null, line: o.source.line ?? null };
  switch (o.kind) {
    case "state":
      return { ...base, instance: o.instance, state: o.state, since: o.since ?? null, fields: o.fields ?? {} };
    case "transition":
      return { ...base, instance: o.instance, from: o.from, to: o.to, event: o.event ?? null, verdict: o.verdict ?? null };
    case "event":
      return { ...base, instance: o.instance, name: o.name, fields: o.fields ?? {} };
    case "lock": {
      const h = o.holders[0];
      const since = h ? parseIsoMs(h.since) : undefined;
      return {
        ...base,
        instance: null,
        path: o.path,
        held: o.holders.length > 0,
        pid: h?.pid ?? null,
        comm: h?.comm ?? null,
        type: h?.type ?? null,
        mode: h?.mode ?? null,
        heldMs: since !== undefined ? Math.max(0, Math.round(nowMs - since)) : null,
        stale: h?.stale ?? false,
        holders: o.holders,
        waiters: o.waiters,
        unavailable: o.unavailable ?? null,
      };
    }
    case "signal":
      return { ...base, instance: null, path: o.path, present: o.present, ageMs: o.ageMs ?? null, stale: o.stale ?? false, fields: o.fields ?? {} };
    case "warning":
      return { ...base, instance: o.instance ?? null, code: o.code, message: o.message, cleared: o.cleared ?? false };
  }
}
