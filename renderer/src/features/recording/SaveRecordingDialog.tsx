import { useState } from "react";
import { formatUserError, toUserFacing } from "../../../../shared/errors";
import type { RedactOptions } from "../../../../shared/ipc/replay";
import type { UserFacingError } from "../../../../shared/errors";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { storedToken } from "../../transport/page-access";
import { Modal } from "../open/Modal";
import { formatBytes, formatCount } from "../replay/format-count";
import { downloadRecording, recordingFileName, saveRecordingAs } from "./save-recording";

const CHOICES: { key: keyof RedactOptions; label: string; hint: string }[] = [
  { key: "paths", label: "File paths", hint: "/home/me/.iai-mcp/logs/x.jsonl becomes x.jsonl" },
  { key: "hosts", label: "Host and pod names", hint: "become host-1, host-2 …" },
  { key: "sensitive", label: "Fields the profile marks as sensitive", hint: "org ids and the like become [redacted]" },
];

/**
 * Save the session on screen (live or replayed) as one recording file that Open log… replays:
 * with the choice of what to leave out first. The desktop app asks where; a browser downloads it.
 */
export function SaveRecordingDialog(): React.JSX.Element {
  const api = useApi();
  const close = useStore((s) => s.openDialog);
  const mode = useStore((s) => s.mode);
  const session = useStore((s) => s.sessions.find((x) => x.id === s.activeSessionId));
  const [redact, setRedact] = useState<RedactOptions>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const desktop = mode === "electron";

  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      if (desktop) {
        const saved = await saveRecordingAs(api, session.id, session.title, redact);
        if (saved) setDone(`Saved ${formatCount(saved.observations)} observations (${formatBytes(saved.bytes)}) to ${saved.path}.`);
      } else {
        const got = await downloadRecording({ sessionId: session.id, title: session.title, redact, token: storedToken() });
        setDone(`Downloaded ${got.name} (${formatBytes(got.bytes)}): your browser saved it with its downloads.`);
      }
    } catch (err) {
      setError(toUserFacing(err));
    } finally {
      setBusy(false);
    }
  };

  if (!session || session.kind === "machine") {
    return (
      <Modal title="Save recording" onClose={() => close(null)}>
        <div className="dialog-body">
          <p>{session ? "A machine opened on its own has no observations to record." : "No session is open."} Open a folder, a log or the demo, then save it.</p>
          <footer className="dialog-actions">
            <button type="button" className="primary" onClick={() => close(null)}>
              Close
            </button>
          </footer>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title="Save recording" onClose={() => close(null)}>
      <form className="dialog-body" onSubmit={(e) => void save(e)}>
        <p>
          Saves <b>{session.title}</b> as one compressed file: the profile, the machine and every observation with its file and line. <i>Open log…</i> replays it, showing what this session showed.
        </p>
        <fieldset className="redact-choices">
          <legend>Leave out (for sharing)</legend>
          {CHOICES.map((c) => (
            <label key={c.key} className="inline-check">
              <input type="checkbox" checked={redact[c.key] === true} onChange={(e) => setRedact((r) => ({ ...r, [c.key]: e.target.checked }))} />
              <span className="redact-text">
                {c.label}
                <span className="hint">{c.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className="hint">
          {desktop ? "You choose where it goes next." : `Your browser downloads it as ${recordingFileName(session.title)}.`}
        </p>
        {error && (
          <p className="dialog-error" role="alert">
            {formatUserError(error)}
          </p>
        )}
        {done && (
          <p className="dialog-done" role="status" data-testid="recording-saved">
            {done}
          </p>
        )}
        <footer className="dialog-actions">
          <button type="button" className="ghost" onClick={() => close(null)}>
            {done ? "Done" : "Cancel"}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : desktop ? "Save as…" : "Download"}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
