import type { FolderListing } from "../../../../shared/ipc/views";
import { childPath } from "./use-folder-listing";

/** A listed folder of the backend's machine: up, home, its folders (to enter) and files (to choose). */
export function FolderBrowser(props: { listing: FolderListing; chosen: string; onBrowse(path: string): void; onChooseFile(path: string): void; fileHint?: (name: string) => boolean }): React.JSX.Element {
  const { listing } = props;
  return (
    <div className="folder-browser" aria-label="Folders">
      <div className="folder-browser-bar">
        <button type="button" className="ghost small" disabled={!listing.parent} onClick={() => listing.parent && props.onBrowse(listing.parent)} aria-label="Parent folder">
          ↑ Up
        </button>
        <button type="button" className="ghost small" onClick={() => props.onBrowse(listing.home)}>
          Home
        </button>
        <code className="folder-browser-path">{listing.path}</code>
      </div>
      <ul className="folder-list">
        {listing.entries.map((e) => {
          const full = childPath(listing, e.name);
          return (
            <li key={e.name}>
              {e.dir ? (
                <button type="button" className="folder-entry" onClick={() => props.onBrowse(full)}>
                  <span aria-hidden="true">▸</span> {e.name}/
                </button>
              ) : (
                <button type="button" className={`folder-entry file${props.chosen === full ? " is-chosen" : ""}${props.fileHint && !props.fileHint(e.name) ? " is-dim" : ""}`} aria-pressed={props.chosen === full} onClick={() => props.onChooseFile(full)}>
                  {e.name}
                </button>
              )}
            </li>
          );
        })}
        {listing.entries.length === 0 && <li className="empty">This folder is empty.</li>}
      </ul>
      {listing.truncated && <p className="hint">Only the first 2,000 entries are listed.</p>}
    </div>
  );
}
