import { useEffect } from "react";
import { useShallow } from "zustand/react/shallow";
import type { FsmApi } from "../../../shared/ipc/contract";
import { formatUserError } from "../../../shared/ipc/errors";
import { MachineDiagram } from "../graph/MachineDiagram";
import { Header } from "../features/header/Header";
import { InstancePanel } from "../features/instances/InstancePanel";
import { shownInstance } from "../features/instances/listed";
import { SessionWarnings } from "../features/warnings/SessionWarnings";
import { TransitionList } from "../features/timeline/TransitionList";
import { EventList } from "../features/timeline/EventList";
import { LockPanel } from "../features/locks/LockPanel";
import { SessionBar } from "../features/sessions/SessionBar";
import { OpenFolderDialog } from "../features/open/OpenFolderDialog";
import { OpenDatabaseDialog } from "../features/open/OpenDatabaseDialog";
import { OpenLogDialog } from "../features/open/OpenLogDialog";
import { DropOverlay } from "../features/open/DropOverlay";
import { useDropToOpen } from "../features/open/use-drop";
import { SaveRecordingDialog } from "../features/recording/SaveRecordingDialog";
import { ReplayPanel } from "../features/replay/ReplayPanel";
import { ReplayLists } from "../features/replay/ReplayLists";
import { ObservationDetail } from "../features/replay/ObservationDetail";
import { ScopeToggle } from "../features/replay/ScopeToggle";
import { StartScreen } from "../features/start/StartScreen";
import { selectActiveSandbox, selectActiveView, useStore } from "../store/store";
import { SandboxWorkspace } from "../features/sandbox/SandboxWorkspace";
import { ForkButton } from "../features/sandbox/ForkButton";
import { ExportDialog } from "../features/export/ExportDialog";
import { ExportButton } from "../features/export/ExportButton";
import { ApiContext } from "./api-context";
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

export function App({ api }: { api: FsmApi }): React.JSX.Element {
  const view = useStore(selectActiveView);
  const sandbox = useStore(selectActiveSandbox);
  const sandboxCount = useStore((s) => s.sandboxes.length);
  const { connection, theme, setTheme, selected, selectInstance, sessionCount, dialog, helpOpen } = useStore(
    useShallow((s) => ({
      connection: s.connection,
      theme: s.theme,
      setTheme: s.setTheme,
      selected: s.selectedInstance,
      selectInstance: s.selectInstance,
      sessionCount: s.sessions.length,
      dialog: s.dialog,
      helpOpen: s.helpOpen,
    })),
  );

  useEffect(() => {
    document.documentElement.dataset["theme"] = theme;
  }, [theme]);

  useShortcuts(api);
  const dragging = useDropToOpen(api);

  // The selected instance, else the first one something is known of.
  const instance = view ? shownInstance(view.model, selected) : undefined;

  const replayId = view?.summary.kind === "replay" ? view.summary.id : undefined;

  return (
    <ApiContext.Provider value={api}>
      <div className="app">
        <Header session={view?.summary} connection={connection} theme={theme} onToggleTheme={() => setTheme(theme === "dark" ? "light" : "dark")} onOpenHelp={() => useStore.getState().setHelpOpen(true)} />
        {sessionCount + sandboxCount > 0 && <SessionBar />}
        <Errors />
        {sandbox ? (
          <SandboxWorkspace key={sandbox.id} entry={sandbox} />
        ) : !view ? (
          sessionCount === 0 && connection === "open" ? <StartScreen api={api} /> : <div className="loading">Loading…</div>
        ) : (
          <main className="workspace">
            <aside className="sidebar">
              <InstancePanel
                model={view.model}
                selected={instance}
                onSelect={selectInstance}
                profileId={view.summary.profileId}
                machine={view.machine}
                {...(view.summary.instanceLabel ? { label: view.summary.instanceLabel } : {})}
                {...(replayId ? { emptyText: "No instance seen up to the cursor: move it, or press play." } : {})}
              />
              <LockPanel locks={view.model.locks} signals={view.model.signals} />
              <SessionWarnings view={view} />
            </aside>
            <section className={`center${replayId ? " has-replay" : ""}`} aria-label="Machine">
              <div className="diagram-area">
                <MachineDiagram
                  machine={view.machine}
                  model={view.model}
                  instance={instance}
                  toolbarExtra={
                    <>
                      {replayId && <ScopeToggle sessionId={replayId} />}
                      <ForkButton summary={view.summary} instance={instance} state={instance ? view.model.instances[instance]?.state : undefined} />
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
                  <ReplayLists sessionId={replayId} model={view.model} selected={instance} />
                </>
              ) : (
                <>
                  <TransitionList recent={view.model.recent} total={view.model.totals.transitions} selected={instance} />
                  <EventList events={view.model.events} />
                </>
              )}
            </aside>
          </main>
        )}
        {dialog === "open-folder" && <OpenFolderDialog />}
        {dialog === "open-database" && <OpenDatabaseDialog />}
        {dialog === "open-log" && <OpenLogDialog />}
        {dialog === "save-recording" && <SaveRecordingDialog />}
        {dialog === "export" && <ExportDialog />}
        {helpOpen && <HelpOverlay />}
        {dragging && <DropOverlay />}
      </div>
    </ApiContext.Provider>
  );
}
