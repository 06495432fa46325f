/**
 * The bridge object the preload exposes: one named function per contract call, plus `subscribe`.
 * Never ipcRenderer itself. Built from a minimal ipcRenderer-like interface so tests can check it.
 */
import { CALL_NAMES, EVENT_CHANNEL, channelOf, isEventName, type EventName, type RawBridge } from "../../shared/ipc/contract";

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildBridge(ipc: IpcRendererLike): RawBridge {
  const bridge: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    bridge[name] = (arg: unknown) => ipc.invoke(channelOf(name), arg ?? null);
  }
  bridge["subscribe"] = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    const handler = (_e: unknown, msg: unknown): void => {
      const m = msg as { event?: unknown; payload?: unknown } | undefined;
      if (m && m.event === event) listener(m.payload);
    };
    ipc.on(EVENT_CHANNEL, handler);
    return () => {
      ipc.removeListener(EVENT_CHANNEL, handler);
    };
  };
  return bridge as RawBridge;
}
