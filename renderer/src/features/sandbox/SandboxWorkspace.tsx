import { useCallback, useEffect, useMemo } from "react";
import { useSelector } from "@xstate/react";
import type { Payload } from "../../../../shared/machine/guards";
import { chartRunNow, current, type SandboxCommand } from "../../../../shared/sandbox/timeline";
import { MachineDiagram } from "../../graph/MachineDiagram";
import type { SandboxEntry } from "../../store/sandbox-slice";
import { EventPalette } from "./EventPalette";
import { sandboxModel } from "./sandbox-model";
import { liveOriginal } from "./fork";
import { useStore } from "../../store/store";
import { isTyping } from "../../hooks/typing";
import { ExportButton } from "../export/ExportButton";
import { ClockPanel, ContextPanel, LastStep, ReachPanel, SandboxHistory } from "./SandboxPanels";
import { SandboxOutput } from "./SandboxOutput";

const ORIGIN: Record<string, string> = { machine: "the machine's initial state", live: "a live instance", replay: "a replay position" };

/** A sandbox on screen: a private copy of a machine, stepped by hand. Nothing here reaches a watched program. */
export function SandboxWorkspace({ entry }: { entry: SandboxEntry }): React.JSX.Element {
  const timeline = useSelector(entry.actor, (s) => s.context);
  const model = useMemo(() => sandboxModel(timeline), [timeline]);
  const at = current(timeline);
  const chartRun = useMemo(() => chartRunNow(timeline, entry.machine), [timeline, entry.machine]);
  // A live fork is compared with what the live instance did since (its session's latest transitions).
  const live = timeline.start.live;
  const liveRecent = useStore((s) => (live ? s.views[live.sessionId]?.model.recent : undefined));
  const original = useMemo(() => (live ? liveOriginal(liveRecent, timeline.start.instance, live.afterSeq) : timeline.start.original), [live, liveRecent, timeline.start]);
  const dispatch = useCallback((c: SandboxCommand) => entry.actor.send(c), [entry.actor]);
  const send = useCallback((event: string, payload: Payload) => entry.actor.send({ type: "send", event, payload }), [entry.actor]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target)) return;
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "z") {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "y") {
          e.preventDefault();
          entry.actor.send({ type: "redo" });
        }
        return;
      }
      e.preventDefault();
      entry.actor.send({ type: e.shiftKey ? "redo" : "undo" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [entry.actor]);

  return (
    <main className="workspace is-sandbox" data-testid="sandbox" data-state={at.state}>
      <aside className="sidebar">
        <section className="panel sandbox-card" aria-labelledby="sandbox-h">
          <h2 id="sandbox-h">
            <span className="sandbox-badge">Sandbox</span> {entry.profileId}
          </h2>
          <p className="small">
            Forked from {ORIGIN[timeline.start.origin]}: <span className="dim">{timeline.start.label}</span>
          </p>
          <p className="sandbox-state">
            <span className="dim small">{timeline.start.instance} is in</span>{" "}
            <strong data-testid="sandbox-state" data-state={at.state}>
              {at.state}
            </strong>
          </p>
        </section>
        <ContextPanel timeline={timeline} />
        <ReachPanel machine={entry.machine} timeline={timeline} send={send} />
        <SandboxOutput entry={entry} timeline={timeline} />
      </aside>
      <section className="center" aria-label="Sandbox machine">
        <div className="sandbox-banner" role="note">
          Sandbox — a private copy of {entry.machine.id}. Events sent here change nothing outside it.
        </div>
        <div className="diagram-area">
          <MachineDiagram
            machine={entry.machine}
            model={model}
            instance={timeline.start.instance}
            toolbarExtra={<ExportButton />}
          />
        </div>
        <SandboxHistory timeline={timeline} dispatch={dispatch} original={original} />
      </section>
      <aside className="rightbar">
        <LastStep timeline={timeline} />
        <ClockPanel machine={entry.machine} timeline={timeline} dispatch={dispatch} />
        <EventPalette machine={entry.machine} state={at.state} context={at.context} run={chartRun} onSend={send} />
      </aside>
    </main>
  );
}
