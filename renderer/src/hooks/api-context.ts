import { createContext, useContext } from "react";
import type { FsmApi } from "../../../shared/ipc/contract";

export const ApiContext = createContext<FsmApi | null>(null);

/** The backend API (IPC in the desktop app, WebSocket in serve mode). */
export function useApi(): FsmApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi() outside <ApiContext.Provider>");
  return api;
}
