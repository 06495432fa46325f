import { useEffect } from "react";
import type { UserFacingError } from "../../../../shared/errors";
import { FolderBrowser } from "./FolderBrowser";
import { useFolderListing } from "./use-folder-listing";
import { useStore } from "../../store/store";

/** The folder holding a path ("/a/b/c.log" → "/a/b"), or the path itself when it has no parent part. */
function parentOf(p: string): string {
  const i = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return i > 0 ? p.slice(0, i) : p;
}

/**
 * A file on the backend's machine, typed or chosen: in a browser the backend lists its own folders
 * and files (the ones `fileHint` accepts marked); the desktop app also offers its native picker.
 * Starts at `initial` (a file: the folder it is in), else at the backend's home folder.
 */
export function FilePathField(props: { id: string; label: string; path: string; onPath(p: string): void; initial?: string | undefined; placeholder: string; fileHint(name: string): boolean; pickNative(): Promise<string | null>; onError(e: UserFacingError | null): void; children?: React.ReactNode }): React.JSX.Element {
  const mode = useStore((s) => s.mode);
  const { listing, browse } = useFolderListing(props.onError);
  const { initial } = props;

  useEffect(() => {
    if (!initial) {
      void browse();
      return;
    }
    // A prefilled path may be a file: list the folder it is in (quietly: its error is the one shown).
    void browse(initial, true).then((l) => l ?? browse(parentOf(initial), true));
  }, [browse, initial]);

  /** Typed: list it when it is a folder, else the folder it is in. */
  const showNear = async (p: string): Promise<void> => {
    if (!p) return;
    if (!(await browse(p, true))) await browse(parentOf(p), true);
  };

  const choose = async (): Promise<void> => {
    const picked = await props.pickNative();
    if (picked) {
      props.onPath(picked);
      await showNear(picked);
    }
  };

  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <div className="path-row">
        <input id={props.id} value={props.path} onChange={(e) => props.onPath(e.target.value)} onBlur={() => void showNear(props.path)} spellCheck={false} placeholder={props.placeholder} />
        {mode === "electron" && (
          <button type="button" className="ghost" onClick={() => void choose()}>
            Choose…
          </button>
        )}
      </div>
      {props.children}
      {listing && (
        <FolderBrowser
          listing={listing}
          chosen={props.path}
          fileHint={props.fileHint}
          onBrowse={(p) => {
            void browse(p).then((l) => l && props.onPath(l.path));
          }}
          onChooseFile={props.onPath}
        />
      )}
    </>
  );
}
