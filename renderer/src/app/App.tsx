import { useEffect, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { FsmApi } from "../../../shared/ipc/contract";
import { formatUserError } from "../../../shared/errors";
import { MachineDiagram } from "../graph/MachineDiagram";
import { Header } from "../features/header/Header";
import { InstancePanel } from "../features/instances/InstancePanel";
import { shownInstance } from "../features/instances/listed";
import { SessionWarnings } from "../features/warnings/SessionWarnings";
import { useActiveStuck } from "../features/warnings/use-stuck";
import { useViewNow } from "../hooks/use-view-now";
import { TransitionList } from "../features/timeline/TransitionList";
import { EventList } from "../features/timeline/EventList";
import { LockPanel } from "../features/locks/LockPanel";
import { SessionBar } from "../features/sessions/SessionBar";
import { OpenFolderDialog } from "../features/open/OpenFolderDialog";
import { OpenDatabaseDialog } from "../features/open/OpenDatabaseDialog";
import { OpenLogDialog } from "../features/open/OpenLogDialog";
import { OpenMachineDialog } from "../features/open/OpenMachineDialog";
import { DropOverlay } from "../features/open/DropOverlay";
import { useDropToOpen } from "../features/open/use-drop";
import { SaveRecordingDialog } from "../features/recording/SaveRecordingDialog";
import { ReplayPanel } from "../features/replay/ReplayPanel";
import { ReplayLists } from "../features/replay/ReplayLists";
import { ObservationDetail } from "../features/replay/ObservationDetail";
import { ScopeToggle } from "../features/replay/ScopeToggle";
import { StartScreen } from "../features/start/StartScreen";
import { selectActiveSandbox, selectActiveView, useStore, type AppState } from "../store/store";
import type { SessionModel } from "../../../shared/trace/session-model";
import type { MachineDefinition } from "../../../shared/machine/definition";
import type { SessionSummary } from "../../../shared/ipc/views";
import { SandboxWorkspace } from "../features/sandbox/SandboxWorkspace";
import { ForkButton } from "../features/sandbox/ForkButton";
import { ExportDialog } from "../features/export/ExportDialog";
import { ExportButton } from "../features/export/ExportButton";
import { ApiContext } from "../hooks/api-context";
import { useShortcuts } from "./use-shortcuts";
import { HelpOverlay } from "../features/help/HelpOverlay";

function Errors(): React.JSX.Element | null {
  const errors = useStore((s) => s.errors);
  const dismiss = useStore((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="error-stack" role="alert">
      {errors.map((e, i) => (
        <div className="error-toast" key={i} data-code={e.code}>
          <span>{formatUserError(e)}</span>
          <button type="button" className="icon-button" onClick={() => dismiss(i)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/**
 * The model of the session on screen, or a piece of it. Each panel selects what it draws (a table
 * of the model keeps its identity when a batch does not change it), so a batch of observations
 * draws again only the panels whose piece it changed.
 */
function useActiveModel<T>(pick: (m: SessionModel) => T): T | undefined {
  return useStore((s) => {
    const v = selectActiveView(s);
    return v ? pick(v.model) : undefined;
  });
}

const whole = (m: SessionModel): SessionModel => m;

/** Several tables of the model on screen, compared one by one (useShallow): drawn again when one of them changes. */
function pieces<T extends object>(s: AppState, pick: (m: SessionModel) => T): T | undefined {
  const v = selectActiveView(s);
  return v ? pick(v.model) : undefined;
}

function Instances(props: { selected: string | undefined; label?: string; emptyText?: string }): React.JSX.Element | null {
  const model = useStore(useShallow((s) => pieces(s, (m) => ({ instances: m.instances, instanceOrder: m.instanceOrder }))));
  const selectInstance = useStore((s) => s.selectInstance);
  return model ? <InstancePanel model={model} onSelect={selectInstance} {...props} /> : null;
}

function Locks(): React.JSX.Element | null {
  const locks = useActiveModel((m) => m.locks);
  const signals = useActiveModel((m) => m.signals);
  return locks && signals ? <LockPanel locks={locks} signals={signals} /> : null;
}

function Diagram({ machine, instance, toolbarExtra }: { machine: MachineDefinition; instance: string | undefined; toolbarExtra: React.ReactNode }): React.JSX.Element {
  const model = useStore(useShallow((s) => pieces(s, (m) => ({ instances: m.instances, instanceOrder: m.instanceOrder, edges: m.edges, dwell: m.dwell }))));
  const now = useViewNow();
  const stuckList = useActiveStuck(now);
  const stuck = useMemo(() => {
    const per = new Map<string, number>();
    for (const s of stuckList) per.set(s.state, (per.get(s.state) ?? 0) + 1);
    return per;
  }, [stuckList]);
  return <MachineDiagram machine={machine} model={model} instance={instance} toolbarExtra={toolbarExtra} now={now} stuck={stuck} />;
}

function Fork({ summary, instance }: { summary: SessionSummary; instance: string | undefined }): React.JSX.Element {
  const state = useActiveModel((m) => (instance ? m.instances[instance]?.state : undefined));
  return <ForkButton summary={summary} instance={instance} state={state} />;
}

function Transitions({ selected }: { selected: string | undefined }): React.JSX.Element | null {
  const recent = useActiveModel((m) => m.recent);
  const total = useActiveModel((m) => m.totals.transitions);
  return recent ? <TransitionList recent={recent} total={total ?? 0} selected={selected} /> : null;
}

function Events(): React.JSX.Element | null {
  const events = useActiveModel((m) => m.events);
  return events ? <EventList events={events} /> : null;
}

function ReplayModelLists({ sessionId, selected }: { sessionId: string; selected: string | undefined }): React.JSX.Element | null {
  const model = useActiveModel(whole);
  return model ? <ReplayLists sessionId={sessionId} model={model} selected={selected} /> : null;
}

/** The right-hand side of a machine opened on its own: nothing is watched, so what to do with it. */
function MachineAlone(): React.JSX.Element {
  return (
    <section className="panel machine-alone" aria-labelledby="machine-alone-h">
      <h2 id="machine-alone-h">The machine alone</h2>
      <p>No program is watched here, so no transition arrives.</p>
      <ul>
        <li>
          <strong>Fork to sandbox</strong> (<kbd>x</kbd>) steps a copy of it by hand: send events, move time, undo.
        </li>
        <li>
          <strong>Export…</strong> (<kbd>e</kbd>) saves the diagram as SVG, PNG, Mermaid, DOT, SCXML or XState JSON.
        </li>
        <li>
          To see a program run it: <strong>Open folder…</strong> (<kbd>o</kbd>), <strong>Open log…</strong> (<kbd>l</kbd>) or <strong>Open database…</strong>
        </li>
      </ul>
    </section>
  );
}

export function App({ api }: { api: FsmApi }): React.JSX.Element {
  // Only what changes with the session shown (not with each batch of its observations).
  const { summary, machine } = useStore(useShallow((s) => ({ summary: selectActiveView(s)?.summary, machine: selectActiveView(s)?.machine })));
  const sandbox = useStore(selectActiveSandbox);
  const sandboxCount = useStore((s) => s.sandboxes.length);
  const { connection, theme, setTheme, sessionCount, dialog, helpOpen } = useStore(
    useShallow((s) => ({
      connection: s.connection,
      theme: s.theme,
      setTheme: s.setTheme,
      sessionCount: s.sessions.length,
      dialog: s.dialog,
      helpOpen: s.helpOpen,
    })),
  );
  // The selected instance, else the first one something is known of (a name: drawn again only when it changes).
  const instance = useStore((s) => {
    const v = selectActiveView(s);
    return v ? shownInstance(v.model, s.selectedInstance) : undefined;
  });

  useEffect(() => {
    document.documentElement.dataset["theme"] = theme;
  }, [theme]);

  useShortcuts(api);
  const dragging = useDropToOpen(api);

  const replayId = summary?.kind === "replay" ? summary.id : undefined;

  return (
    <ApiContext.Provider value={api}>
      <div className="app">
        <Header session={summary} connection={connection} theme={theme} onToggleTheme={() => setTheme(theme === "dark" ? "light" : "dark")} onOpenHelp={() => useStore.getState().setHelpOpen(true)} />
        {sessionCount + sandboxCount > 0 && <SessionBar />}
        <Errors />
        {sandbox ? (
          <SandboxWorkspace key={sandbox.id} entry={sandbox} />
        ) : !summary || !machine ? (
          sessionCount === 0 && connection === "open" ? <StartScreen api={api} /> : <div className="loading">Loading…</div>
        ) : (
          <main className="workspace">
            <aside className="sidebar">
              <Instances
                selected={instance}
                {...(summary.instanceLabel ? { label: summary.instanceLabel } : {})}
                {...(replayId ? { emptyText: "No instance seen up to the cursor: move it, or press play." } : summary.kind === "machine" ? { emptyText: "None: no program is watched here." } : {})}
              />
              <Locks />
              <SessionWarnings summary={summary} />
            </aside>
            <section className={`center${replayId ? " has-replay" : ""}`} aria-label="Machine">
              <div className="diagram-area">
                <Diagram
                  machine={machine}
                  instance={instance}
                  toolbarExtra={
                    <>
                      {replayId && <ScopeToggle sessionId={replayId} />}
                      <Fork summary={summary} instance={instance} />
                      <ExportButton />
                    </>
                  }
                />
              </div>
              {replayId && <ReplayPanel key={replayId} sessionId={replayId} />}
            </section>
            <aside className="rightbar">
              {replayId ? (
                <>
                  <ObservationDetail key={replayId} sessionId={replayId} />
                  <ReplayModelLists sessionId={replayId} selected={instance} />
                </>
              ) : summary.kind === "machine" ? (
                <MachineAlone />
              ) : (
                <>
                  <Transitions selected={instance} />
                  <Events />
                </>
              )}
            </aside>
          </main>
        )}
        {dialog === "open-folder" && <OpenFolderDialog />}
        {dialog === "open-database" && <OpenDatabaseDialog />}
        {dialog === "open-log" && <OpenLogDialog />}
        {dialog === "open-machine" && <OpenMachineDialog />}
        {dialog === "save-recording" && <SaveRecordingDialog />}
        {dialog === "export" && <ExportDialog />}
        {helpOpen && <HelpOverlay />}
        {dragging && <DropOverlay />}
      </div>
    </ApiContext.Provider>
  );
}
