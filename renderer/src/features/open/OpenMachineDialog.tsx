import { useState } from "react";
import { DialogFooter } from "./DialogFooter";
import { FilePathField } from "./FilePathField";
import { Modal } from "./Modal";
import { useOpenAction } from "./use-open";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";

const MACHINE_NAME = /\.(scxml|xml|json|ya?ml)$/i;

/**
 * Open a machine of the user's own — drawn in Stately Studio (XState JSON), written in SCXML or
 * YAML, or a profile — to read it, step it in a sandbox and export it. Every problem in the file is
 * shown with its line.
 */
export function OpenMachineDialog(): React.JSX.Element {
  const api = useApi();
  const close = useStore((s) => s.openDialog);
  const mode = useStore((s) => s.mode);
  const [prefill] = useState(() => useStore.getState().dialogPrefill);
  const [path, setPath] = useState(prefill?.path ?? "");
  const { busy, error, setError, run } = useOpenAction(prefill?.error ?? null);
  const open = async (e?: React.FormEvent): Promise<void> => {
    e?.preventDefault();
    await run(() => api.openMachineFile({ path }));
  };
  return (
    <Modal title="Open a machine" onClose={() => close(null)} wide>
      <form className="dialog-body" onSubmit={(e) => void open(e)}>
        <FilePathField id="machine-path" label="Machine or profile file" path={path} onPath={setPath} initial={prefill?.path} placeholder="~/machines/lease.scxml" fileHint={(name) => MACHINE_NAME.test(name)} pickNative={() => api.pickMachine(null)} onError={setError}>
          <p className="hint">
            An XState machine config (JSON or YAML, as Stately Studio exports it, v4 or v5), an SCXML file, or a profile. Nested, parallel and history states are drawn as the machine says. It is read{" "}
            {mode === "electron" ? "on this computer" : "on the machine running FSM Inspector"}.
          </p>
        </FilePathField>
        <DialogFooter error={error} busy={busy} disabled={!path} submit="Open" busyText="Opening…" onCancel={() => close(null)} />
      </form>
    </Modal>
  );
}
