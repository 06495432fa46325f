import { useState } from "react";
import { toUserFacing } from "../../../../shared/errors";
import type { SessionSummary } from "../../../../shared/ipc/views";
import type { UserFacingError } from "../../../../shared/errors";
import { useStore } from "../../store/store";

/**
 * Submitting an "open …" dialog: busy while the backend works, the error shown in the dialog
 * when it fails, the new session selected and the dialog closed when it succeeds.
 */
export function useOpenAction(initialError: UserFacingError | null = null): { busy: boolean; error: UserFacingError | null; setError(e: UserFacingError | null): void; run(open: () => Promise<SessionSummary>): Promise<void> } {
  const close = useStore((s) => s.openDialog);
  const setActive = useStore((s) => s.setActiveSession);
  const [error, setError] = useState<UserFacingError | null>(initialError);
  const [busy, setBusy] = useState(false);
  const run = async (open: () => Promise<SessionSummary>): Promise<void> => {
    setBusy(true);
    try {
      const summary = await open();
      setActive(summary.id);
      close(null);
    } catch (err) {
      setError(toUserFacing(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
