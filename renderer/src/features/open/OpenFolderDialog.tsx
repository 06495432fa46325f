import { useEffect, useState } from "react";
import { DialogFooter } from "./DialogFooter";
import { FolderBrowser } from "./FolderBrowser";
import { useFolderListing } from "./use-folder-listing";
import { useOpenAction } from "./use-open";
import { useApi } from "../../hooks/api-context";
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
  const { busy, error, setError, run } = useOpenAction();
  const { listing, browse } = useFolderListing(setError);

  const go = async (p?: string): Promise<void> => {
    const l = await browse(p);
    if (l) setPath(l.path);
  };

  useEffect(() => {
    void browse().then((l) => l && setPath(l.path));
  }, [browse]);

  const pickNative = async (): Promise<void> => {
    const picked = await api.pickFolder(null);
    if (picked) {
      setPath(picked);
      await go(picked);
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
          <input id="folder-path" value={path} onChange={(e) => setPath(e.target.value)} onBlur={() => path && void go(path)} spellCheck={false} placeholder="~/.iai-mcp" />
          {mode === "electron" && (
            <button type="button" className="ghost" onClick={() => void pickNative()}>
              Choose…
            </button>
          )}
        </div>
        {listing && <FolderBrowser listing={listing} chosen={path} onBrowse={(p) => void go(p)} onChooseFile={setPath} />}
        <label htmlFor="folder-profile">Profile</label>
        <ProfileSelect id="folder-profile" value={profileId} onChange={setProfileId} />
        <DialogFooter error={error} busy={busy} disabled={!path} submit="Watch this folder" busyText="Opening…" onCancel={() => close(null)} />
      </form>
    </Modal>
  );
}
