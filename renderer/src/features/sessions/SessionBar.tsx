import { useShallow } from "zustand/react/shallow";
import { toUserFacing } from "../../../../shared/errors";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { openLogAction, openMachineAction } from "../open/open-log";
import { BUILTIN_PROFILES, findProfile } from "../../../../shared/profiles";
import { openMachineSandbox } from "../sandbox/fork";
import { EXAMPLE_MACHINES } from "../../../../shared/machine/examples";

/** The open sessions as tabs, and the ways to open another. */
export function SessionBar(): React.JSX.Element {
  const api = useApi();
  const { sessions, active, setActive, openDialog, showError, sandboxes, activeSandbox, setActiveSandbox, closeSandbox } = useStore(
    useShallow((s) => ({
      sessions: s.sessions,
      active: s.activeSandboxId ? undefined : s.activeSessionId,
      setActive: s.setActiveSession,
      openDialog: s.openDialog,
      showError: s.showError,
      sandboxes: s.sandboxes,
      activeSandbox: s.activeSandboxId,
      setActiveSandbox: s.setActiveSandbox,
      closeSandbox: s.closeSandbox,
    })),
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
        {sandboxes.map((x) => (
          <div key={x.id} className={`session-tab is-sandbox${x.id === activeSandbox ? " is-active" : ""}`}>
            <button type="button" role="tab" aria-selected={x.id === activeSandbox} className="session-tab-main" onClick={() => setActiveSandbox(x.id)} title={`Sandbox of ${x.profileId}: a private copy, stepped by hand`}>
              <span className="sandbox-badge small">Sandbox</span>
              {x.title}
            </button>
            <button type="button" className="session-tab-close" aria-label={`Close sandbox ${x.title}`} title="Close this sandbox" onClick={() => {
                if (x.files) api.stopSandboxFiles({ writerId: x.files.writerId }).catch((e: unknown) => showError(toUserFacing(e)));
                closeSandbox(x.id);
              }}>
              ×
            </button>
          </div>
        ))}
      </div>
      <div className="session-actions">
        <MachineMenu />
        <SandboxMenu />
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

/** A menu of the built-in profiles (and, with `examples`, the example statecharts): pick one to act on it. */
/** The Machines menu's last entry: a machine file of the user's own. */
const MACHINE_FILE = "\u0000file";

function ProfileMenu({ label, placeholder, onPick, examples = false }: { label: string; placeholder: string; onPick(profileId: string): void; examples?: boolean }): React.JSX.Element {
  return (
    <select className="ghost machine-menu" aria-label={label} value="" onChange={(e) => e.target.value && onPick(e.target.value)}>
      <option value="">{placeholder}</option>
      {BUILTIN_PROFILES.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
      {examples &&
        EXAMPLE_MACHINES.map((e) => (
          <option key={e.id} value={e.id}>
            {e.title}
          </option>
        ))}
      {examples && <option value={MACHINE_FILE}>Open a machine file… (m)</option>}
    </select>
  );
}

/** Start a sandbox of a built-in profile's machine, at its initial state. */
function SandboxMenu(): React.JSX.Element {
  return (
    <ProfileMenu
      label="Start a sandbox of a built-in machine"
      placeholder="Sandbox…"
      onPick={(id) => {
        const p = findProfile(id);
        if (p) openMachineSandbox(p.id, p.machine, p.title);
      }}
    />
  );
}

/** Open a built-in profile's machine on its own, to read it. */
function MachineMenu(): React.JSX.Element {
  const api = useApi();
  const setActive = useStore((s) => s.setActiveSession);
  const showError = useStore((s) => s.showError);
  return (
    <ProfileMenu
      label="Show a built-in machine"
      placeholder="Machines…"
      examples
      onPick={(profileId) => (profileId === MACHINE_FILE ? void openMachineAction(api) : api.openMachine({ profileId }).then((s) => setActive(s.id), (err: unknown) => showError(toUserFacing(err))))}
    />
  );
}
