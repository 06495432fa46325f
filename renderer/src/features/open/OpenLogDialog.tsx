import { useEffect, useState } from "react";
import { DialogFooter } from "./DialogFooter";
import { FolderBrowser } from "./FolderBrowser";
import { Modal } from "./Modal";
import { ProfileSelect } from "./ProfileSelect";
import { useFolderListing } from "./use-folder-listing";
import { useOpenAction } from "./use-open";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { knownTimeZones } from "../../../../shared/time-zones";
import { localZoneName } from "../time/format-time";

const LOG_NAME = /\.(jsonl|log|txt|gz|csv|json|fsmrec)$/i;

/** The folder holding a path ("/a/b/c.log" → "/a/b"), or the path itself when it has no parent part. */
function parentOf(p: string): string {
  const i = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return i > 0 ? p.slice(0, i) : p;
}

/**
 * Open a recorded log, a folder of logs or a recording to replay it. It is read on the backend's
 * machine: in a browser the backend lists its own folders and files; the desktop app also offers
 * its native picker.
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
  const { listing, browse } = useFolderListing(setError);

  useEffect(() => {
    const start = prefill?.path;
    if (!start) {
      void browse();
      return;
    }
    // A prefilled path may be a file: list the folder it is in (quietly: its error is the one shown).
    void browse(start, true).then((l) => l ?? browse(parentOf(start), true));
  }, [browse, prefill]);

  /** Typed: list it when it is a folder, else the folder it is in. */
  const showNear = async (p: string): Promise<void> => {
    if (!p) return;
    if (!(await browse(p, true))) await browse(parentOf(p), true);
  };

  const pickNative = async (): Promise<void> => {
    const picked = await api.pickLog(null);
    if (picked) {
      setPath(picked);
      await showNear(picked);
    }
  };

  const open = async (e?: React.FormEvent): Promise<void> => {
    e?.preventDefault();
    const zone = timeZone.trim();
    await run(() => api.openLog({ path, ...(profileId ? { profileId } : {}), ...(zone ? { timeZone: zone } : {}) }));
  };

  return (
    <Modal title="Open a log to replay" onClose={() => close(null)} wide>
      <form className="dialog-body" onSubmit={(e) => void open(e)}>
        <label htmlFor="log-path">Log file, folder of logs, or recording</label>
        <div className="path-row">
          <input id="log-path" value={path} onChange={(e) => setPath(e.target.value)} onBlur={() => void showNear(path)} spellCheck={false} placeholder="~/.iai-mcp/logs/lifecycle-events-2026-06-10.jsonl" />
          {mode === "electron" && (
            <button type="button" className="ghost" onClick={() => void pickNative()}>
              Choose…
            </button>
          )}
        </div>
        <p className="hint">
          JSONL and text logs, folders of daily logs (<code>.gz</code> too), snapshot folders, CSV dumps, a program&apos;s data folder, or a recording (<code>.fsmrec</code>). Choose a file, or enter a folder to replay all of it. It is read{" "}
          {mode === "electron" ? "on this computer" : "on the machine running FSM Inspector"}, and indexed in the background: you can move through it while it is read.
        </p>
        {listing && (
          <FolderBrowser
            listing={listing}
            chosen={path}
            fileHint={(name) => LOG_NAME.test(name)}
            onBrowse={(p) => {
              void browse(p).then((l) => l && setPath(l.path));
            }}
            onChooseFile={setPath}
          />
        )}
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
