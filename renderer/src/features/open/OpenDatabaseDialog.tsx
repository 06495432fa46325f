import { useState } from "react";
import { DialogFooter } from "./DialogFooter";
import { useOpenAction } from "./use-open";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { Modal } from "./Modal";

/** Poll a duckgres control-plane database's worker_records table. */
export function OpenDatabaseDialog(): React.JSX.Element {
  const api = useApi();
  const close = useStore((s) => s.openDialog);
  // Reopened from the recent list: its connection string, without the password (never kept).
  const [connection, setConnection] = useState(() => useStore.getState().dialogPrefill?.connection ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const [interval, setIntervalMs] = useState(1000);
  const { busy, error, run } = useOpenAction();

  const open = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    await run(() => api.openDatabase({ connection, profileId: "duckgres", intervalMs: interval }));
  };

  return (
    <Modal title="Watch a duckgres control plane" onClose={() => close(null)}>
      <form className="dialog-body" onSubmit={(e) => void open(e)}>
        <label htmlFor="db-connection">Connection string</label>
        <input id="db-connection" value={connection} onChange={(e) => setConnection(e.target.value)} spellCheck={false} />
        {connection.includes(":***@") && <p className="hint">The password is not kept: replace *** with it, or leave it out to use ~/.pgpass.</p>}
        <p className="hint">The table cp_runtime.worker_records is read (SELECT only, in a read-only session) and its rows are diffed by worker_id.</p>
        <label htmlFor="db-interval">Poll every (ms)</label>
        <input id="db-interval" type="number" min={100} step={100} value={interval} onChange={(e) => setIntervalMs(Math.max(100, Number(e.target.value) || 1000))} />
        <DialogFooter error={error} busy={busy} submit="Watch" busyText="Connecting…" onCancel={() => close(null)} />
      </form>
    </Modal>
  );
}
