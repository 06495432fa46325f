import { useEffect, useState } from "react";
import type { ProfileSummary } from "../../../../shared/ipc/views";
import { useApi } from "../../hooks/api-context";

/** The built-in profiles, fetched once per component. */
export function useProfiles(): ProfileSummary[] {
  const api = useApi();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  useEffect(() => {
    let live = true;
    void api.listProfiles(null).then((p) => live && setProfiles(p));
    return () => {
      live = false;
    };
  }, [api]);
  return profiles;
}
