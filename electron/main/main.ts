/**
 * Electron main: window, protocol, IPC wiring. No logic of its own — the backend lives in
 * electron/node and is the same one serve mode uses.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, webContents } from "electron";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createBackend, type Backend } from "../node/backend";
import { registerIpc } from "./ipc";
import { APP_CSP, APP_URL, lockDown, secureWebPreferences } from "./security";

protocol.registerSchemesAsPrivileged([{ scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } }]);

const here = __dirname; // dist/electron (bundled as CommonJS)
const rendererDir = path.resolve(here, "..", "renderer");
const trusted = new Set<number>();
let backend: Backend | undefined;
let quitting = false;

function serveApp(): void {
  protocol.handle("app", async (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, "") || "index.html";
    const file = path.resolve(rendererDir, rel);
    if (url.host !== "fsm" || !file.startsWith(rendererDir + path.sep)) return new Response("Forbidden", { status: 403 });
    let res: Response;
    try {
      res = await net.fetch(pathToFileURL(file).toString());
    } catch {
      return new Response("Not found", { status: 404 });
    }
    const headers = new Headers(res.headers);
    headers.set("Content-Security-Policy", APP_CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    return new Response(res.body, { status: res.status, headers });
  });
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: "FSM Inspector",
    backgroundColor: "#0f1419",
    show: false,
    webPreferences: secureWebPreferences(path.join(here, "preload.cjs")),
  });
  const id = win.webContents.id;
  trusted.add(id);
  win.on("closed", () => trusted.delete(id));
  win.once("ready-to-show", () => win.show());
  await win.loadURL(APP_URL);
}

app.on("web-contents-created", (_event, contents) => lockDown(contents));

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _p, callback) => callback(false));
  serveApp();
  const pickPath = async (options: Electron.OpenDialogOptions): Promise<string | null> => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  backend = createBackend({
    mode: "electron",
    version: app.getVersion(),
    demo: {
      launcher: {
        script: path.join(here, "demo-daemon.cjs"),
        execPath: process.execPath,
        execArgv: [],
        env: { ELECTRON_RUN_AS_NODE: "1" },
      },
    },
    pickFolder: () => pickPath({ title: "Open a folder to watch", properties: ["openDirectory", "showHiddenFiles"] }),
    // On Linux and Windows a dialog picks files or folders, not both: logs are files; folders of logs go through Open folder… or drag and drop.
    pickLog: () =>
      pickPath({
        title: "Open a log, a folder of logs or a recording",
        properties: process.platform === "darwin" ? ["openFile", "openDirectory", "showHiddenFiles"] : ["openFile", "showHiddenFiles"],
        filters: [
          { name: "Logs and recordings", extensions: ["jsonl", "log", "txt", "gz", "csv", "json", "fsmrec"] },
          { name: "All files", extensions: ["*"] },
        ],
      }),
    pickMachine: () =>
      pickPath({
        title: "Open a machine (SCXML, XState JSON or YAML) or a profile",
        properties: ["openFile", "showHiddenFiles"],
        filters: [
          { name: "Machines and profiles", extensions: ["scxml", "xml", "json", "yaml", "yml"] },
          { name: "All files", extensions: ["*"] },
        ],
      }),
    pickSaveFile: async (suggestedName) => {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options: Electron.SaveDialogOptions = { title: "Save recording", defaultPath: suggestedName, filters: [{ name: "FSM Inspector recording", extensions: ["fsmrec"] }] };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  registerIpc(ipcMain, backend, trusted, () => webContents.getAllWebContents().filter((wc) => trusted.has(wc.id)));
  try {
    await backend.handlers.openDemo(null);
  } catch (err) {
    console.error(`The live demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  await createWindow();
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});

app.on("before-quit", (event) => {
  if (quitting || !backend) return;
  event.preventDefault();
  quitting = true;
  void backend.dispose().finally(() => app.quit());
});
