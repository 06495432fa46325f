import type { SessionSummary } from "../../../../shared/ipc/views";
import { toUserFacing } from "../../../../shared/errors";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { forkActiveView } from "./fork";

/**
 * "Fork to sandbox": a private copy of the machine at the instance's state (a live instance, the
 * replay's cursor) or at its initial state (a machine opened to read). The session itself is not
 * touched: a live view stays read-only.
 */
export function ForkButton({ summary, instance, state }: { summary: SessionSummary; instance: string | undefined; state: string | undefined }): React.JSX.Element {
  const api = useApi();
  const showError = useStore((s) => s.showError);
  const machineOnly = summary.kind === "machine";
  const disabled = !machineOnly && (!instance || !state);
  const fork = (): void => {
    forkActiveView(api).catch((e: unknown) => showError(toUserFacing(e)));
  };
  const what = machineOnly ? "from its initial state" : summary.kind === "replay" ? `here: ${instance ?? "the instance"} in ${state ?? "?"} at the cursor, with its recorded history` : `from ${instance ?? "the instance"}'s current state (${state ?? "?"})`;
  return (
    <button type="button" className="ghost small fork-button" disabled={disabled} onClick={fork} title={`Step a private copy of this machine ${what}. The ${machineOnly ? "machine" : "watched program"} is not touched (x)`} data-testid="fork-sandbox">
      Fork to sandbox{summary.kind === "replay" ? " here" : ""}
    </button>
  );
}
