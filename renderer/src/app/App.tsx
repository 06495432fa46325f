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
import { selectActiveView, useStore } from "../store/store";

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
  return (
    <div className="empty-state">
      <h1>No session open</h1>
      <p>Start the live demo: a simulated iai-mcp daemon writing real-format files into a temp folder.</p>
      <button type="button" className="primary" onClick={() => api.openDemo(null).catch((e: unknown) => showError(toUserFacing(e)))}>
        Open the live demo
      </button>
    </div>
  );
}

export function App({ api }: { api: FsmApi }): React.JSX.Element {
  const view = useStore(selectActiveView);
  const { connection, theme, setTheme, selected, selectInstance, sessionCount } = useStore(
    useShallow((s) => ({
      connection: s.connection,
      theme: s.theme,
      setTheme: s.setTheme,
      selected: s.selectedInstance,
      selectInstance: s.selectInstance,
      sessionCount: s.sessions.length,
    })),
  );

  useEffect(() => {
    document.documentElement.dataset["theme"] = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.key === "t" && !e.ctrlKey && !e.metaKey && !e.altKey) setTheme(useStore.getState().theme === "dark" ? "light" : "dark");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setTheme]);

  const instance = view ? (selected && view.model.instances[selected] ? selected : view.model.instanceOrder[0]) : undefined;
  const warnings = view ? (Object.values(view.model.warnings) as WarningObservation[]) : [];

  return (
    <div className="app">
      <Header session={view?.summary} connection={connection} theme={theme} onToggleTheme={() => setTheme(theme === "dark" ? "light" : "dark")} />
      <Errors />
      {!view ? (
        sessionCount === 0 && connection === "open" ? <EmptyState api={api} /> : <div className="loading">Loading…</div>
      ) : (
        <main className="workspace">
          <aside className="sidebar">
            <InstancePanel model={view.model} selected={instance} onSelect={selectInstance} />
            <WarningList warnings={warnings} />
          </aside>
          <section className="center" aria-label="Machine">
            <MachineDiagram machine={view.machine} model={view.model} instance={instance} />
          </section>
          <aside className="rightbar">
            <TransitionList recent={view.model.recent} />
            <EventList events={view.model.events} />
          </aside>
        </main>
      )}
    </div>
  );
}
