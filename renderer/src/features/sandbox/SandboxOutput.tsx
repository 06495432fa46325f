import { useEffect, useState } from "react";
import { formatUserError, toUserFacing } from "../../../../shared/errors";
import type { UserFacingError } from "../../../../shared/errors";
import { exportKind, sandboxExport, suggestedExportName } from "../../../../shared/sandbox/export";
import { isSandboxProfileId } from "../../../../shared/sandbox/run";
import { tarFolder } from "../../../../shared/sandbox/tar";
import { current, runOf, stepOf, type SandboxTimeline } from "../../../../shared/sandbox/timeline";
import { useApi } from "../../hooks/api-context";
import { download } from "../../hooks/download";
import { useStore } from "../../store/store";
import type { SandboxEntry } from "../../store/sandbox-slice";

/**
 * The sandbox's run as real artifacts: exported once in the profile's own format (a log, or a
 * folder of snapshots), or written step by step into a folder of its own ("Sandbox files") that the
 * app can watch like a real program's. Only the built-in profiles have formats to write.
 */
export function SandboxOutput({ entry, timeline }: { entry: SandboxEntry; timeline: SandboxTimeline }): React.JSX.Element | null {
  const api = useApi();
  const mode = useStore((s) => s.mode);
  const setFiles = useStore((s) => s.setSandboxFiles);
  const setActiveSession = useStore((s) => s.setActiveSession);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const files = entry.files;
  const supported = isSandboxProfileId(entry.profileId);

  // Each new step goes to the files as it is made (steps made before they were turned on are not).
  useEffect(() => {
    if (!files || timeline.nodes.length <= files.written) return;
    const fresh = timeline.nodes.slice(files.written);
    setFiles(entry.id, { ...files, written: timeline.nodes.length });
    void (async () => {
      for (const n of fresh) {
        try {
          await api.sandboxFilesStep({ writerId: files.writerId, step: stepOf(timeline, n) });
        } catch (err) {
          const e = toUserFacing(err);
          setError(e.code === "sandbox-bad-step" ? { ...e, hint: "Undo does not unwrite files: they stay where the program was. Turn Sandbox files off and on to start the files from here." } : e);
        }
      }
    })();
  }, [api, entry.id, files, setFiles, timeline]);

  if (!supported) return null;
  const run = runOf(timeline, entry.profileId);
  const steps = run.steps.length;

  const exportRun = async (): Promise<void> => {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const name = suggestedExportName(run);
      if (mode === "electron") {
        const target = await api.pickSaveFile({ suggestedName: name });
        if (!target) return;
        const out = await api.exportSandbox({ run, path: target });
        setDone(`Wrote ${out.files.length} file${out.files.length === 1 ? "" : "s"}: ${target}`);
      } else {
        const made = sandboxExport(run);
        if (made.kind === "file") download(name, made.text, "text/plain");
        else download(`${name}.tar`, tarFolder(name, made.files, current(timeline).tsMs), "application/x-tar");
        setDone(`Downloaded ${made.kind === "file" ? name : `${name}.tar (${made.files.length} files; tar xf it)`}: ${made.transitions} transition${made.transitions === 1 ? "" : "s"}, which check and Open log… read back.`);
      }
    } catch (err) {
      setError(toUserFacing(err));
    } finally {
      setBusy(false);
    }
  };

  const toggleFiles = async (on: boolean): Promise<void> => {
    setError(null);
    try {
      if (!on && files) {
        await api.stopSandboxFiles({ writerId: files.writerId });
        setFiles(entry.id, undefined);
      } else if (on) {
        const at = current(timeline);
        const started = await api.startSandboxFiles({ profileId: entry.profileId, initial: { [timeline.start.instance]: at.state }, startMs: at.tsMs });
        setFiles(entry.id, { ...started, written: timeline.nodes.length });
      }
    } catch (err) {
      setError(toUserFacing(err));
    }
  };

  const watch = async (): Promise<void> => {
    if (!files) return;
    try {
      const s = await api.openFolder({ path: files.dataFolder, profileId: entry.profileId });
      setActiveSession(s.id);
    } catch (err) {
      setError(toUserFacing(err));
    }
  };

  return (
    <section className="panel sandbox-output" aria-labelledby="output-h">
      <h2 id="output-h">Real files</h2>
      <button type="button" className="small" disabled={busy || steps === 0} onClick={() => void exportRun()} title={`The steps on screen in ${entry.profileId}'s own format (${exportKind(entry.profileId) === "file" ? "a log" : "a folder of snapshots"}), which check and Open log… read back`}>
        Export run ({steps} step{steps === 1 ? "" : "s"})
      </button>
      <label className="inline-check sandbox-files-toggle">
        <input type="checkbox" checked={files !== undefined} onChange={(e) => void toggleFiles(e.target.checked)} />
        <span>Sandbox files: write each step as {entry.profileId} writes it</span>
      </label>
      {files && (
        <div className="sandbox-files small">
          <div>
            In <code data-testid="sandbox-folder">{files.folder}</code>, its own folder (never one a session watches).
          </div>
          <button type="button" className="ghost small" onClick={() => void watch()}>
            Watch this folder
          </button>
        </div>
      )}
      {done && (
        <p className="small" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="payload-error" role="alert">
          {formatUserError(error)}
        </p>
      )}
    </section>
  );
}
