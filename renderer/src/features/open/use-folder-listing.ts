import { useCallback, useState } from "react";
import { toUserFacing } from "../../../../shared/errors";
import type { FolderListing } from "../../../../shared/ipc/views";
import type { UserFacingError } from "../../../../shared/errors";
import { useApi } from "../../hooks/api-context";

/** A folder of the backend's machine, listed for browsing in a dialog; errors go to `onError`. */
export function useFolderListing(onError: (e: UserFacingError | null) => void): { listing: FolderListing | null; browse(path?: string, quiet?: boolean): Promise<FolderListing | null> } {
  const api = useApi();
  const [listing, setListing] = useState<FolderListing | null>(null);
  const browse = useCallback(
    async (p?: string, quiet = false): Promise<FolderListing | null> => {
      try {
        const l = await api.browseFolder(p ? { path: p } : {});
        setListing(l);
        if (!quiet) onError(null);
        return l;
      } catch (e) {
        if (!quiet) onError(toUserFacing(e));
        return null;
      }
    },
    [api, onError],
  );
  return { listing, browse };
}

/** A child of a listed folder (the backend's separator: "/" unless the listing shows Windows paths). */
export function childPath(listing: FolderListing, name: string): string {
  const sep = /^[A-Za-z]:\\/.test(listing.path) ? "\\" : "/";
  return listing.path.endsWith(sep) ? `${listing.path}${name}` : `${listing.path}${sep}${name}`;
}
