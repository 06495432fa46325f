import { useState } from "react";
import { DialogFooter } from "./DialogFooter";
import { FilePathField } from "./FilePathField";
import { Modal } from "./Modal";
import { ProfileSelect } from "./ProfileSelect";
import { useOpenAction } from "./use-open";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { knownTimeZones } from "../../../../shared/time-zones";
import { localZoneName } from "../time/format-time";

const LOG_NAME = /\.(jsonl|log|txt|gz|csv|json|fsmrec)$/i;

/**
 * Open a recorded log, a folder of logs or a recording to replay it. It is read on the backend's
 * machine (FilePathField).
 */
export function OpenLogDialog(): React.JSX.Element {
  const api = useApi();
  const close = useStore((s) => s.openDialog);
  const mode = useStore((s) => s.mode);
  const [prefill] = useState(() => useStore.getState().dialogPrefill);
  const [path, setPath] = useState(prefill?.path ?? "");
  const [profileId, setProfileId] = useState(prefill?.profileId ?? "");
  const [timeZone, setTimeZone] = useState("");
  const [zones] = useState(knownTimeZones);
  const mine = localZoneName();
  const { busy, error, setError, run } = useOpenAction(prefill?.error ?? null);

  const open = async (e?: React.FormEvent): Promise<void> => {
    e?.preventDefault();
    const zone = timeZone.trim();
    await run(() => api.openLog({ path, ...(profileId ? { profileId } : {}), ...(zone ? { timeZone: zone } : {}) }));
  };

  return (
    <Modal title="Open a log to replay" onClose={() => close(null)} wide>
      <form className="dialog-body" onSubmit={(e) => void open(e)}>
        <FilePathField id="log-path" label="Log file, folder of logs, or recording" path={path} onPath={setPath} initial={prefill?.path} placeholder="~/.iai-mcp/logs/lifecycle-events-2026-06-10.jsonl" fileHint={(name) => LOG_NAME.test(name)} pickNative={() => api.pickLog(null)} onError={setError}>
          <p className="hint">
            JSONL and text logs, folders of daily logs (<code>.gz</code> too), snapshot folders, CSV dumps, a program&apos;s data folder, or a recording (<code>.fsmrec</code>). Choose a file, or enter a folder to replay all of it. It is read{" "}
            {mode === "electron" ? "on this computer" : "on the machine running FSM Inspector"}, and indexed in the background: you can move through it while it is read.
          </p>
        </FilePathField>
        <label htmlFor="log-profile">Profile</label>
        <ProfileSelect id="log-profile" value={profileId} onChange={setProfileId} detectLabel="Detect from the content" />
        <label htmlFor="log-zone">Time zone of times written without one</label>
        <div className="path-row">
          <input id="log-zone" list="log-zones" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} spellCheck={false} placeholder="the profile's (UTC unless it says)" />
          {mine && (
            <button type="button" className="ghost" onClick={() => setTimeZone(mine)} title="Read them in this computer's time zone">
              Mine: {mine}
            </button>
          )}
          <datalist id="log-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <p className="hint">Only for logs whose times carry no zone (Rich&apos;s <code>[11/25/26 10:00:00]</code>, syslog); times with an offset or a Z are exact whatever this says.</p>
        <DialogFooter error={error} busy={busy} disabled={!path} submit="Replay" busyText="Opening…" onCancel={() => close(null)} />
      </form>
    </Modal>
  );
}
