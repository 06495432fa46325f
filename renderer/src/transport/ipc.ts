import { BRIDGE_GLOBAL, CALL_NAMES, type FsmApi, type RawBridge } from "../../../shared/ipc/contract";
import { FsmError } from "../../../shared/errors";
import type { Result } from "../../../shared/ipc/views";

/** The bridge the Electron preload exposes, when we run inside the desktop app. */
export function findBridge(): RawBridge | undefined {
  return (globalThis as unknown as Record<string, RawBridge | undefined>)[BRIDGE_GLOBAL];
}

function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new FsmError(r.error);
}

/** FsmApi over Electron IPC: one function per contract call, results unwrapped into values or FsmErrors. */
export function ipcApi(bridge: RawBridge): FsmApi {
  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    const call = bridge[name] as (arg: unknown) => Promise<Result<unknown>>;
    api[name] = async (arg: unknown) => unwrap(await call(arg));
  }
  api["subscribe"] = (event: string, listener: (p: unknown) => void) => bridge.subscribe(event as never, listener);
  return api as FsmApi;
}
