import { useEffect, useMemo, useState } from "react";
import type { MachineDefinition } from "../../../../shared/machine/definition";
import type { Payload } from "../../../../shared/machine/guards";
import { shortestPath, type PathStep } from "../../../../shared/machine/explore";
import { normalize } from "../../../../shared/machine/normalize";
import { ahead, branchTips, chartRunNow, current, divergence, line, type ForkHop, type SandboxCommand, type SandboxNode, type SandboxTimeline } from "../../../../shared/sandbox/timeline";
import { formatDelay } from "../../../../shared/machine/chart";
import { isTyping } from "../../hooks/typing";

/** What the machine remembers now; the keys the last step set are marked. */
export function ContextPanel({ timeline }: { timeline: SandboxTimeline }): React.JSX.Element {
  const at = current(timeline);
  const last = timeline.head !== undefined ? timeline.nodes[timeline.head] : undefined;
  const changed = new Set(last?.result.assignments.map((a) => a.key) ?? []);
  const entries = Object.entries(at.context);
  return (
    <section className="panel" aria-labelledby="context-h">
      <h2 id="context-h">Remembers</h2>
      {entries.length === 0 ? (
        <p className="empty">This machine remembers nothing between events (it has no context).</p>
      ) : (
        <dl className="context-list" data-testid="sandbox-context">
          {entries.map(([k, v]) => (
            <div key={k} className={`context-row${changed.has(k) ? " is-changed" : ""}`} data-key={k}>
              <dt>{k}</dt>
              <dd data-value={JSON.stringify(v)}>{JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The last step's one sentence: what happened, or why nothing did. */
export function LastStep({ timeline }: { timeline: SandboxTimeline }): React.JSX.Element {
  const last = timeline.head !== undefined ? timeline.nodes[timeline.head] : undefined;
  return (
    <section className={`panel last-step outcome-${last?.result.outcome ?? "none"}`} aria-live="polite" aria-labelledby="last-h">
      <h2 id="last-h">Last step</h2>
      {last ? (
        <>
          <p className="last-sentence" data-testid="sandbox-explanation">
            {last.result.explanation}
          </p>
        </>
      ) : (
        <p className="empty">Send an event: the machine answers here, with why when it does nothing.</p>
      )}
    </section>
  );
}

/** "How do I reach X?": the shortest sequence of events from here, which can be played step by step. */
export function ReachPanel({ machine, timeline, send }: { machine: MachineDefinition; timeline: SandboxTimeline; send(event: string, payload: Payload): void }): React.JSX.Element {
  const states = useMemo(() => normalize(machine).states, [machine]);
  const [target, setTarget] = useState("");
  const at = current(timeline);
  const path: PathStep[] | undefined | null = useMemo(() => (target ? (shortestPath(machine, at.state, at.context, target) ?? null) : undefined), [machine, at.state, at.context, target]);
  return (
    <section className="panel" aria-labelledby="reach-h">
      <h2 id="reach-h">How do I reach…</h2>
      <select aria-label="State to reach" value={target} onChange={(e) => setTarget(e.target.value)}>
        <option value="">a state</option>
        {states.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      {path === null && <p className="empty">{target} cannot be reached from {at.state} with what it remembers now.</p>}
      {path && path.length === 0 && <p className="empty">The sandbox is in {target}.</p>}
      {path && path.length > 0 && (
        <>
          <ol className="reach-path" data-testid="reach-path">
            {path.map((p, i) => (
              <li key={i}>
                <code>{p.event}</code>
                {Object.keys(p.payload).length > 0 && <code className="dim"> {JSON.stringify(p.payload)}</code>} <span className="dim">→ {p.to}</span>
              </li>
            ))}
          </ol>
          <div className="reach-actions">
            <button type="button" className="small" onClick={() => path[0] && send(path[0].event, path[0].payload)}>
              Play next step
            </button>
            <button type="button" className="ghost small" onClick={() => path.forEach((p) => send(p.event, p.payload))}>
              Play all
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function StepLabel({ n, index }: { n: SandboxNode; index: number }): React.JSX.Element {
  const r = n.result;
  const to = r.outcome === "taken" ? (r.path.length > 1 ? r.path.slice(1).join(" → ") : "stays") : r.outcome === "guard-blocked" ? "blocked" : "ignored";
  return (
    <>
      <span className="step-no">{index + 1}</span> <code>{n.event}</code>
      {Object.keys(n.payload).length > 0 && <code className="dim"> {JSON.stringify(n.payload)}</code>} <span className={`step-to outcome-${r.outcome}`}>{to}</span>
    </>
  );
}

/** The sandbox's own timeline: the steps on screen, the ones redo would replay, the other branches, the diff with the original. */
export function SandboxHistory({ timeline, dispatch, original = timeline.start.original }: { timeline: SandboxTimeline; dispatch(c: SandboxCommand): void; original?: readonly ForkHop[] }): React.JSX.Element {
  const steps = line(timeline);
  const next = ahead(timeline);
  const onLine = new Set([...steps, ...next].map((n) => n.id));
  const others = branchTips(timeline).filter((n) => !onLine.has(n.id));
  const diff = divergence(timeline, original);
  const what = timeline.start.origin === "replay" ? "recording" : timeline.start.origin === "live" ? "live instance" : "original";
  return (
    <div className="sandbox-history" aria-label="Sandbox history">
      <div className="history-head">
        <button type="button" className="ghost small" onClick={() => dispatch({ type: "undo" })} disabled={timeline.head === undefined} title="Undo (Ctrl+Z)">
          ↶ Undo
        </button>
        <button type="button" className="ghost small" onClick={() => dispatch({ type: "redo" })} disabled={next.length === 0} title="Redo (Ctrl+Shift+Z)">
          Redo ↷
        </button>
        <span className="dim small" data-testid="sandbox-steps" data-steps={steps.length}>
          {steps.length} step{steps.length === 1 ? "" : "s"}
          {next.length > 0 ? ` · ${next.length} to redo` : ""}
          {others.length > 0 ? ` · ${others.length} other branch${others.length === 1 ? "" : "es"}` : ""}
        </span>
      </div>
      <ol className="history-steps">
        <li>
          <button type="button" className={`history-step${timeline.head === undefined ? " is-head" : ""}`} onClick={() => dispatch({ type: "jump" })}>
            <span className="step-no">0</span> start in <code>{timeline.start.state}</code>
          </button>
        </li>
        {steps.map((n, i) => (
          <li key={n.id}>
            <button type="button" className={`history-step${n.id === timeline.head ? " is-head" : ""}`} onClick={() => dispatch({ type: "jump", to: n.id })} title={n.result.explanation}>
              <StepLabel n={n} index={i} />
            </button>
          </li>
        ))}
        {next.map((n, i) => (
          <li key={n.id}>
            <button type="button" className="history-step is-ahead" onClick={() => dispatch({ type: "jump", to: n.id })} title={`Redo up to here: ${n.result.explanation}`}>
              <StepLabel n={n} index={steps.length + i} />
            </button>
          </li>
        ))}
      </ol>
      {others.length > 0 && (
        <div className="history-branches">
          <span className="dim small">Other branches:</span>
          {others.map((n) => (
            <button key={n.id} type="button" className="chip" onClick={() => dispatch({ type: "jump", to: n.id })} title={n.result.explanation} data-testid="branch">
              … {n.event}
              {Object.keys(n.payload).length > 0 ? ` ${JSON.stringify(n.payload)}` : ""} → {n.result.next}
            </button>
          ))}
        </div>
      )}
      {original.length > 0 && (
        <p className="history-diff small" data-testid="sandbox-diff">
          {diff
            ? `Diverges from the ${what} at transition ${diff.index + 1}: the sandbox went ${diff.ours?.from} → ${diff.ours?.to}, the ${what} ${diff.theirs?.from} → ${diff.theirs?.to}.`
            : `Follows the ${what} so far (it went on: ${original
                .slice(0, 4)
                .map((h) => `${h.from} → ${h.to}`)
                .join(", ")}${original.length > 4 ? ", …" : ""}).`}
        </p>
      )}
    </div>
  );
}

/**
 * A statechart's delayed ("after") transitions run on a virtual clock that moves only when the user
 * moves it: what is waiting, when it is due, and buttons (and the key A) to move time on.
 */
export function ClockPanel({ machine, timeline, dispatch }: { machine: MachineDefinition; timeline: SandboxTimeline; dispatch(c: SandboxCommand): void }): React.JSX.Element | null {
  const delayed = useMemo(() => normalize(machine).edges.some((e) => e.kind === "after"), [machine]);
  const run = useMemo(() => (delayed ? chartRunNow(timeline, machine) : undefined), [delayed, timeline, machine]);
  const timers = useMemo(() => [...(run?.timers ?? [])].sort((a, b) => a.dueMs - b.dueMs), [run]);
  const next = timers[0];
  const toNext = next && run ? Math.max(0, next.dueMs - run.nowMs) : undefined;
  useEffect(() => {
    if (toNext === undefined) return;
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== "a") return;
      e.preventDefault();
      dispatch({ type: "advance", ms: toNext });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toNext, dispatch]);
  if (!delayed || !run) return null;
  return (
    <section className="panel clock-panel" aria-labelledby="clock-h">
      <h2 id="clock-h">Time</h2>
      <p className="small">
        Virtual clock: <strong data-testid="sandbox-clock">{formatDelay(run.nowMs - timeline.start.tsMs)}</strong> since the start. It moves only when you move it.
      </p>
      {timers.length === 0 ? (
        <p className="empty">No delayed transition is waiting here.</p>
      ) : (
        <ul className="timer-list" aria-label="Delayed transitions waiting">
          {timers.map((t) => (
            <li key={t.id} data-state={t.state} data-due-in={t.dueMs - run.nowMs}>
              <code>{t.state}</code>: after {formatDelay(t.delayMs)}, due in <strong>{formatDelay(Math.max(0, t.dueMs - run.nowMs))}</strong>
            </li>
          ))}
        </ul>
      )}
      <div className="clock-buttons">
        <button type="button" disabled={toNext === undefined} onClick={() => toNext !== undefined && dispatch({ type: "advance", ms: toNext })} title="Move the clock to the next delayed transition (A)">
          {toNext === undefined ? "Nothing due" : `Advance ${formatDelay(toNext)}`} <kbd>A</kbd>
        </button>
        <button type="button" className="ghost" onClick={() => dispatch({ type: "advance", ms: 1000 })}>
          +1 s
        </button>
        <button type="button" className="ghost" onClick={() => dispatch({ type: "advance", ms: 60_000 })}>
          +1 min
        </button>
      </div>
    </section>
  );
}
