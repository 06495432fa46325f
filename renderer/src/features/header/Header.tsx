import type { SessionSummary } from "../../../../shared/ipc/views";
import type { Connection } from "../../store/ui-slice";
import { ZoneToggle } from "../time/ZoneToggle";

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "connecting…",
  open: "live",
  closed: "disconnected — reconnecting…",
};

export function Header(props: { session: SessionSummary | undefined; connection: Connection; theme: "light" | "dark"; onToggleTheme(): void; onOpenHelp(): void }): React.JSX.Element {
  const { session } = props;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◈
        </span>
        FSM Inspector
      </div>
      {session && (
        <div className="session-info">
          <span className="session-title">{session.title}</span>
          <span className="profile-chip" title="profile">
            {session.profileId}
          </span>
          {session.kind === "machine" ? (
            <span className="watched">The machine alone: no program is watched</span>
          ) : session.kind === "replay" ? (
            <span className="watched" data-testid="replayed-target" title={session.target}>
              Replaying <code>{session.target}</code>
            </span>
          ) : (
            <span className="watched" data-testid="watched-folder" title={session.target}>
              Watching <code>{session.target}</code>
            </span>
          )}
        </div>
      )}
      <div className="header-right">
        <ZoneToggle />
        <span className={`connection conn-${props.connection}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" /> {CONNECTION_TEXT[props.connection]}
        </span>
        <button type="button" className="icon-button" onClick={props.onOpenHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          ?
        </button>
        <button type="button" className="icon-button" onClick={props.onToggleTheme} aria-label={`Switch to ${props.theme === "dark" ? "light" : "dark"} theme`} title="Toggle theme (t)">
          {props.theme === "dark" ? "☀" : "☾"}
        </button>
      </div>
    </header>
  );
}
