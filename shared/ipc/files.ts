/**
 * The desktop app's one extra preload function, beside the contract's bridge: the path of a file
 * or folder dropped onto the window (Electron's `webUtils.getPathForFile`). A page in a browser
 * has no such global — a browser never tells a page where a dropped file lives.
 */
export const FILES_GLOBAL = "fsmFiles";

/** What the preload exposes under FILES_GLOBAL: a named function, never ipcRenderer or webUtils. */
export interface FilesBridge<F = unknown> {
  /** The file's path on disk; "" when it has none (a file made by the page, not dropped). */
  pathForFile(file: F): string;
}
