import { FILES_GLOBAL, type FilesBridge } from "../../../shared/ipc/files";

/** Where a dropped file or folder is on disk (the desktop app only); undefined in a browser. */
export function droppedPath(file: File): string | undefined {
  const bridge = (globalThis as unknown as Record<string, FilesBridge<File> | undefined>)[FILES_GLOBAL];
  if (!bridge || typeof bridge.pathForFile !== "function") return undefined;
  const p = bridge.pathForFile(file);
  return p ? p : undefined;
}
