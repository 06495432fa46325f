import { StrictMode } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { FsmApi } from "../../shared/ipc/contract";
import { App } from "./app/App";
import { AccessRefused, type AccessProblem } from "./app/AccessRefused";
import { startController } from "./app/controller";
import { setPersistentLayouts } from "./graph/layout/layout-client";
import { restoreAndKeepPreferences } from "./app/preferences";
import { useStore } from "./store/store";
import { findBridge, ipcApi } from "./transport/ipc";
import { pageAccess, probeAccess, wsUrlFor } from "./transport/page-access";
import { wsApi } from "./transport/ws";
import "./styles/app.css";

const rootEl = document.getElementById("root");
if (!rootEl) throw new Error("index.html has no #root element");
const root: Root = createRoot(rootEl);

function showApp(api: FsmApi): void {
  root.render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
}

function showRefused(problem: AccessProblem): void {
  root.render(
    <StrictMode>
      <AccessRefused problem={problem} />
    </StrictMode>,
  );
}

/** The desktop app's IPC bridge, else serve mode's WebSocket with the token this tab holds. */
function connect(): FsmApi | AccessProblem {
  const bridge = findBridge();
  if (bridge) {
    useStore.getState().setConnection("open");
    const api = ipcApi(bridge);
    startController(api).resync();
    return api;
  }
  const access = pageAccess(window.location, window.sessionStorage, window.history);
  const token = access.token;
  if (token === undefined) return "no-token";
  const ws = wsApi(wsUrlFor(window.location.host, { ...access, token }), WebSocket, { probe: () => probeAccess(token) });
  const controller = startController(ws.api);
  ws.onState((s) => {
    if (s === "refused") {
      useStore.getState().setConnection("closed");
      return showRefused("refused");
    }
    useStore.getState().setConnection(s);
    if (s === "open") void controller.resync();
  });
  return ws.api;
}

const prefersLight = window.matchMedia?.("(prefers-color-scheme: light)").matches;
if (prefersLight) useStore.getState().setTheme("light", "system");

const api = connect();
if (typeof api === "string") showRefused(api);
else {
  // Finished diagram layouts are kept by the backend, so a machine opened before draws at once.
  setPersistentLayouts({ get: (key) => api.getCachedLayout({ key }), put: (key, layout) => api.cacheLayout({ key, layout }) });
  // The theme, UTC, overlays, direction and collapsed containers as the user left them.
  void restoreAndKeepPreferences(api);
  showApp(api);
}
