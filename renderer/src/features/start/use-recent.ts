import { useEffect, useState } from "react";
import type { RecentTarget } from "../../../../shared/ipc/replay";
import { useApi } from "../../hooks/api-context";

/** The targets opened before, newest first (fetched when the start screen shows). */
export function useRecent(): RecentTarget[] | undefined {
  const api = useApi();
  const [recent, setRecent] = useState<RecentTarget[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api.listRecent(null).then(
      (r) => live && setRecent(r),
      () => live && setRecent([]),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return recent;
}
