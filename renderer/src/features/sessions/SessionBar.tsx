import { useShallow } from "zustand/react/shallow";
import { useProfiles } from "../open/use-profiles";
import { toUserFacing } from "../../../../shared/ipc/errors";
import { useApi } from "../../app/api-context";
import { useStore } from "../../store/store";
import { openLogAction } from "../open/open-log";

/** The open sessions as tabs, and the ways to open another. */
export function SessionBar(): React.JSX.Element {
  const api = useApi();
  const { sessions, active, setActive, openDialog, showError } = useStore(
    useShallow((s) => ({ sessions: s.sessions, active: s.activeSessionId, setActive: s.setActiveSession, openDialog: s.openDialog, showError: s.showError })),
  );
  const activeKind = sessions.find((s) => s.id === active)?.kind;
  const close = (id: string): void => {
    api.closeSession({ sessionId: id }).catch((e: unknown) => showError(toUserFacing(e)));
  };
  return (
    <nav className="session-bar" aria-label="Sessions">
      <div className="session-tabs" role="tablist">
        {sessions.map((s) => (
          <div key={s.id} className={`session-tab${s.id === active ? " is-active" : ""}`}>
            <button type="button" role="tab" aria-selected={s.id === active} className="session-tab-main" onClick={() => setActive(s.id)} title={s.target}>
              <span className={`kind-dot kind-${s.kind}`} aria-hidden="true" />
              {s.title}
            </button>
            <button type="button" className="session-tab-close" aria-label={`Close ${s.title}`} title="Close this session" onClick={() => close(s.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
      <div className="session-actions">
        <MachineMenu />
        <button type="button" className="ghost" onClick={() => openDialog("open-folder")} title="Watch a program's data folder (o)">
          Open folder…
        </button>
        <button type="button" className="ghost" onClick={() => void openLogAction(api)} title="Replay a log, a folder of logs or a recording (l)">
          Open log…
        </button>
        <button type="button" className="ghost" onClick={() => openDialog("open-database")} title="Poll a duckgres control-plane table">
          Open database…
        </button>
        <span className="bar-sep" aria-hidden="true" />
        <button type="button" className="ghost" disabled={!active || activeKind === "machine"} onClick={() => openDialog("save-recording")} title="Save this session as a recording file that Open log… replays (s)">
          Save recording…
        </button>
      </div>
    </nav>
  );
}

/** Open a built-in profile's machine on its own, to read it. */
function MachineMenu(): React.JSX.Element {
  const api = useApi();
  const profiles = useProfiles();
  const setActive = useStore((s) => s.setActiveSession);
  const showError = useStore((s) => s.showError);
  return (
    <select
      className="ghost machine-menu"
      aria-label="Show a built-in machine"
      value=""
      onChange={(e) => {
        const profileId = e.target.value;
        if (profileId) api.openMachine({ profileId }).then((s) => setActive(s.id), (err: unknown) => showError(toUserFacing(err)));
      }}
    >
      <option value="">Machines…</option>
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
    </select>
  );
}
