import { useCallback, useEffect, useState } from "react";
import { toUserFacing } from "../../../../shared/ipc/errors";
import { DialogFooter } from "./DialogFooter";
import type { FolderListing } from "../../../../shared/ipc/views";
import { useOpenAction } from "./use-open";
import { useApi } from "../../app/api-context";
import { useStore } from "../../store/store";
import { Modal } from "./Modal";
import { ProfileSelect } from "./ProfileSelect";

/**
 * Open a program's data folder to watch it live. The desktop app offers the native picker; in a
 * browser the backend lists its own folders (it is the backend's disk that is watched).
 */
export function OpenFolderDialog(): React.JSX.Element {
  const api = useApi();
  const close = useStore((s) => s.openDialog);
  const mode = useStore((s) => s.mode);
  const [path, setPath] = useState("");
  const [profileId, setProfileId] = useState("");
  const [listing, setListing] = useState<FolderListing | null>(null);
  const { busy, error, setError, run } = useOpenAction();

  const browse = useCallback(
    async (p?: string) => {
      try {
        const l = await api.browseFolder(p ? { path: p } : {});
        setListing(l);
        setPath(l.path);
        setError(null);
      } catch (e) {
        setError(toUserFacing(e));
      }
    },
    [api, setError],
  );

  useEffect(() => {
    void browse();
  }, [browse]);

  const pickNative = async (): Promise<void> => {
    const picked = await api.pickFolder(null);
    if (picked) {
      setPath(picked);
      await browse(picked);
    }
  };

  const open = async (e?: React.FormEvent): Promise<void> => {
    e?.preventDefault();
    await run(() => api.openFolder(profileId ? { path, profileId } : { path }));
  };

  return (
    <Modal title="Open a folder to watch" onClose={() => close(null)} wide>
      <form className="dialog-body" onSubmit={(e) => void open(e)}>
        <label htmlFor="folder-path">Folder (or one log file)</label>
        <div className="path-row">
          <input id="folder-path" value={path} onChange={(e) => setPath(e.target.value)} onBlur={() => path && void browse(path)} spellCheck={false} placeholder="~/.iai-mcp" />
          {mode === "electron" && (
            <button type="button" className="ghost" onClick={() => void pickNative()}>
              Choose…
            </button>
          )}
        </div>
        {listing && (
          <div className="folder-browser" aria-label="Folders">
            <div className="folder-browser-bar">
              <button type="button" className="ghost small" disabled={!listing.parent} onClick={() => listing.parent && void browse(listing.parent)} aria-label="Parent folder">
                ↑ Up
              </button>
              <button type="button" className="ghost small" onClick={() => void browse(listing.home)}>
                Home
              </button>
              <code className="folder-browser-path">{listing.path}</code>
            </div>
            <ul className="folder-list">
              {listing.entries.map((e) => (
                <li key={e.name}>
                  {e.dir ? (
                    <button type="button" className="folder-entry" onClick={() => void browse(`${listing.path}/${e.name}`)}>
                      <span aria-hidden="true">▸</span> {e.name}/
                    </button>
                  ) : (
                    <button type="button" className="folder-entry file" onClick={() => setPath(`${listing.path}/${e.name}`)}>
                      {e.name}
                    </button>
                  )}
                </li>
              ))}
              {listing.entries.length === 0 && <li className="empty">This folder is empty.</li>}
            </ul>
            {listing.truncated && <p className="hint">Only the first 2,000 entries are listed.</p>}
          </div>
        )}
        <label htmlFor="folder-profile">Profile</label>
        <ProfileSelect id="folder-profile" value={profileId} onChange={setProfileId} />
        <DialogFooter error={error} busy={busy} disabled={!path} submit="Watch this folder" busyText="Opening…" onCancel={() => close(null)} />
      </form>
    </Modal>
  );
}
