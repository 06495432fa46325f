import { memo } from "react";
import type { FsmApi } from "../../../../shared/ipc/contract";
import { toUserFacing } from "../../../../shared/errors";
import type { RecentTarget } from "../../../../shared/ipc/replay";
import { parseIsoMs } from "../../../../shared/trace/time";
import { EXAMPLE_MACHINES } from "../../../../shared/machine/examples";
import { useStore } from "../../store/store";
import { useProfiles } from "../open/use-profiles";
import { openLogAction, openMachineAction } from "../open/open-log";
import { formatDateTime } from "../time/format-time";
import { reopen } from "./reopen";
import { useRecent } from "./use-recent";

const KIND_TEXT: Record<RecentTarget["kind"], string> = { folder: "folder", log: "replay", database: "database", machine: "machine", "machine-file": "machine" };

function RecentRow({ r, api, utc }: { r: RecentTarget; api: FsmApi; utc: boolean }): React.JSX.Element {
  const at = parseIsoMs(r.openedAt);
  return (
    <li>
      <button type="button" className="recent-row" onClick={() => void reopen(api, r)} title={r.kind === "database" ? `${r.target} — the password is not kept: the dialog asks for it` : r.target} data-testid="recent" data-kind={r.kind}>
        <span className={`recent-kind kind-${r.kind}`}>{KIND_TEXT[r.kind]}</span>
        <span className="recent-title">{r.title}</span>
        <code className="recent-target">{r.target}</code>
        {at !== undefined && <time dateTime={r.openedAt}>{formatDateTime(at, utc)}</time>}
      </button>
    </li>
  );
}

/** No session open: every way in, and the targets opened recently. */
export const StartScreen = memo(function StartScreen({ api }: { api: FsmApi }): React.JSX.Element {
  const showError = useStore((s) => s.showError);
  const openDialog = useStore((s) => s.openDialog);
  const setActive = useStore((s) => s.setActiveSession);
  const utc = useStore((s) => s.utc);
  const profiles = useProfiles();
  const recent = useRecent();
  const fail = (e: unknown): void => showError(toUserFacing(e));
  return (
    <div className="start-screen" data-testid="start-screen">
      <div className="start-columns">
        <section className="start-ways" aria-labelledby="start-h">
          <h1 id="start-h">No session open</h1>
          <p className="dim">Watch a program live, replay what it logged, or read a machine.</p>
          <div className="start-actions">
            <button type="button" className="start-action" onClick={() => openDialog("open-folder")}>
              <b>Open folder…</b>
              <span>Watch a program&apos;s data folder live (<kbd>o</kbd>)</span>
            </button>
            <button type="button" className="start-action" onClick={() => void openLogAction(api)}>
              <b>Open log…</b>
              <span>Replay a log, a folder of logs or a recording (<kbd>l</kbd>)</span>
            </button>
            <button type="button" className="start-action" onClick={() => void openMachineAction(api)}>
              <b>Open machine…</b>
              <span>Read, step and export a machine file: SCXML, XState JSON or YAML (<kbd>m</kbd>)</span>
            </button>
            <button type="button" className="start-action" onClick={() => openDialog("open-database")}>
              <b>Open database…</b>
              <span>Poll a duckgres control plane&apos;s worker table</span>
            </button>
            <button type="button" className="start-action" onClick={() => api.openDemo(null).then((s) => setActive(s.id), fail)}>
              <b>Live demo</b>
              <span>A simulated iai-mcp daemon writing real-format files into a temp folder</span>
            </button>
          </div>
          <h2>Built-in machines</h2>
          <div className="start-machines">
            {profiles.map((p) => (
              <button key={p.id} type="button" className="ghost" title={p.description} onClick={() => api.openMachine({ profileId: p.id }).then((s) => setActive(s.id), fail)}>
                {p.title}
              </button>
            ))}
            {EXAMPLE_MACHINES.map((e) => (
              <button key={e.id} type="button" className="ghost" title={e.description} data-example={e.id} onClick={() => api.openMachine({ profileId: e.id }).then((s) => setActive(s.id), fail)}>
                {e.title}
              </button>
            ))}
          </div>
        </section>
        <section className="start-recent" aria-labelledby="recent-h">
          <h2 id="recent-h">Opened recently</h2>
          {recent === undefined ? (
            <p className="dim">Loading…</p>
          ) : recent.length === 0 ? (
            <p className="dim">Nothing yet: what you open is listed here, to open again in one click.</p>
          ) : (
            <ul className="recent-list">
              {recent.map((r) => (
                <RecentRow key={`${r.kind}\u0000${r.target}\u0000${r.profileId ?? ""}`} r={r} api={api} utc={utc} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
});
