// Sandboxed preload: exposes the typed bridge and the path of a dropped file, nothing else.
import { contextBridge, ipcRenderer, webUtils } from "electron";
import { BRIDGE_GLOBAL } from "../../shared/ipc/contract";
import { FILES_GLOBAL, type FilesBridge } from "../../shared/ipc/files";
import { buildBridge } from "./bridge";

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, buildBridge(ipcRenderer));

const files: FilesBridge<File> = { pathForFile: (file) => webUtils.getPathForFile(file) };
contextBridge.exposeInMainWorld(FILES_GLOBAL, files);
