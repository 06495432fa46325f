import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { FsmApi } from "../../shared/ipc/contract";
import { App } from "./app/App";
import { startController } from "./app/controller";
import { useStore } from "./store/store";
import { findBridge, ipcApi } from "./transport/ipc";
import { wsApi, wsUrlFor } from "./transport/ws";
import "./styles/app.css";

function connect(): FsmApi {
  const bridge = findBridge();
  if (bridge) {
    useStore.getState().setConnection("open");
    const api = ipcApi(bridge);
    startController(api).resync();
    return api;
  }
  const ws = wsApi(wsUrlFor(window.location));
  const controller = startController(ws.api);
  ws.onState((s) => {
    useStore.getState().setConnection(s);
    if (s === "open") void controller.resync();
  });
  return ws.api;
}

const prefersLight = window.matchMedia?.("(prefers-color-scheme: light)").matches;
if (prefersLight) useStore.getState().setTheme("light");

const api = connect();
const rootEl = document.getElementById("root");
if (!rootEl) throw new Error("index.html has no #root element");
createRoot(rootEl).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);
