// Sandboxed preload: exposes the typed bridge, nothing else.
import { contextBridge, ipcRenderer } from "electron";
import { BRIDGE_GLOBAL } from "../../shared/ipc/contract";
import { buildBridge } from "./bridge";

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, buildBridge(ipcRenderer));
