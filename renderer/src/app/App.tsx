import { useEffect } from "react";
import { useShallow } from "zustand/react/shallow";
import type { FsmApi } from "../../../shared/ipc/contract";
import { toUserFacing, formatUserError } from "../../../shared/ipc/errors";
import type { WarningObservation } from "../../../shared/trace/observation";
import { MachineDiagram } from "../graph/MachineDiagram";
import { Header } from "../features/header/Header";
import { InstancePanel } from "../features/instances/InstancePanel";
import { TransitionList } from "../features/timeline/TransitionList";
import { EventList } from "../features/timeline/EventList";
import { WarningList } from "../features/warnings/WarningList";
import { LockPanel } from "../features/locks/LockPanel";
import { SessionBar } from "../features/sessions/SessionBar";
import { OpenFolderDialog } from "../features/open/OpenFolderDialog";
import { OpenDatabaseDialog } from "../features/open/OpenDatabaseDialog";
import { selectActiveView, useStore } from "../store/store";
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
        <div className="error-toast" key={i}>
          <span>{formatUserError(e)}</span>
          <button type="button" className="icon-button" onClick={() => dismiss(i)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function EmptyState({ api }: { api: FsmApi }): React.JSX.Element {
  const showError = useStore((s) => s.showError);
  const openDialog = useStore((s) => s.openDialog);
  return (
    <div className="empty-state">
      <h1>No session open</h1>
      <p>Watch a program's data folder, or start the live demo: a simulated iai-mcp daemon writing real-format files into a temp folder.</p>
      <div className="empty-actions">
        <button type="button" className="primary" onClick={() => openDialog("open-folder")}>
          Open a folder…
        </button>
        <button type="button" className="ghost" onClick={() => api.openDemo(null).catch((e: unknown) => showError(toUserFacing(e)))}>
          Open the live demo
        </button>
      </div>
    </div>
  );
}

export function App({ api }: { api: FsmApi }): React.JSX.Element {
  const view = useStore(selectActiveView);
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

  useShortcuts();

  const instance = view ? (selected && view.model.instances[selected] ? selected : view.model.instanceOrder[0]) : undefined;
  const warnings = view ? (Object.values(view.model.warnings) as WarningObservation[]) : [];

  return (
    <ApiContext.Provider value={api}>
      <div className="app">
        <Header session={view?.summary} connection={connection} theme={theme} onToggleTheme={() => setTheme(theme === "dark" ? "light" : "dark")} onOpenHelp={() => useStore.getState().setHelpOpen(true)} />
        {sessionCount > 0 && <SessionBar />}
        <Errors />
        {!view ? (
          sessionCount === 0 && connection === "open" ? <EmptyState api={api} /> : <div className="loading">Loading…</div>
        ) : (
          <main className="workspace">
            <aside className="sidebar">
              <InstancePanel model={view.model} selected={instance} onSelect={selectInstance} {...(view.summary.instanceLabel ? { label: view.summary.instanceLabel } : {})} />
              <LockPanel locks={view.model.locks} signals={view.model.signals} />
              <WarningList warnings={warnings} />
            </aside>
            <section className="center" aria-label="Machine">
              <MachineDiagram machine={view.machine} model={view.model} instance={instance} />
            </section>
            <aside className="rightbar">
              <TransitionList recent={view.model.recent} total={view.model.totals.transitions} selected={instance} />
              <EventList events={view.model.events} />
            </aside>
          </main>
        )}
        {dialog === "open-folder" && <OpenFolderDialog />}
        {dialog === "open-database" && <OpenDatabaseDialog />}
        {helpOpen && <HelpOverlay />}
      </div>
    </ApiContext.Provider>
  );
}
