import { useEffect, useState } from "react";
import type { FsmApi } from "../../../../shared/ipc/contract";
import { useStore } from "../../store/store";
import { droppedPath } from "../../transport/files";
import { openLogPath, openMachinePath } from "./open-log";

/** Dropped files shown as a machine rather than replayed. */
const MACHINE_FILE = /\.(scxml|ya?ml)$/i;

function carriesFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes("Files");
}

/**
 * A file or folder dropped onto the window is replayed as a log, or shown as a machine when it is
 * an SCXML or YAML file (the desktop app, which knows its path). A browser never tells a page where a dropped file is: there, a drop says to use Open log….
 * Returns whether something is being dragged over the window.
 */
export function useDropToOpen(api: FsmApi): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overWindow = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    };
    const drop = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      // Never let the browser navigate to the file.
      e.preventDefault();
      depth = 0;
      setOver(false);
      const store = useStore.getState();
      const file = e.dataTransfer?.files[0];
      const path = file ? droppedPath(file) : undefined;
      if (path) {
        // A machine file (SCXML, YAML) is shown as a machine; anything else is replayed as a log (JSON could be either: a log).
        void (MACHINE_FILE.test(path) ? openMachinePath(api, path) : openLogPath(api, path));
        return;
      }
      store.showError({
        code: "drop-unsupported",
        message: store.mode === "electron" ? "That drop carried no file on this computer's disk." : "Dropping a file works in the desktop app: a browser does not tell the page where a dropped file is.",
        hint: store.mode === "electron" ? "Drop a log file or a folder of logs, or use Open log… (l)." : "Use Open log… (l) to choose the log on the machine running FSM Inspector.",
      });
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", overWindow);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", overWindow);
      window.removeEventListener("drop", drop);
    };
  }, [api]);
  return over;
}
