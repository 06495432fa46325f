/**
 * IPC wiring: one handler per contract call, each checking its sender first (our own page in our
 * own window, top frame), then answering with a Result so errors keep their file and line.
 */
import { CALL_NAMES, EVENT_CHANNEL, EVENT_NAMES, channelOf } from "../../shared/ipc/contract";
import { isTrustedSenderUrl } from "../../shared/ipc/sender";
import type { Result } from "../../shared/ipc/views";
import { dispatch, type Backend } from "../node/backend";

/** The parts of an IpcMainInvokeEvent we look at. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export function isTrustedEvent(event: InvokeEventLike, trustedWebContentsIds: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return trustedWebContentsIds.has(event.sender.id) && isTrustedSenderUrl(frame.url);
}

/** Register every call; returns the channels registered and a function that removes them. */
export function registerIpc(
  ipcMain: IpcMainLike,
  backend: Backend,
  trusted: ReadonlySet<number>,
  targets: () => WebContentsLike[],
): { channels: string[]; dispose(): void } {
  const channels: string[] = [];
  for (const name of CALL_NAMES) {
    const channel = channelOf(name);
    channels.push(channel);
    ipcMain.handle(channel, async (event, arg): Promise<Result<unknown>> => {
      if (!isTrustedEvent(event, trusted)) {
        return { ok: false, error: { code: "forbidden", message: "IPC message from an untrusted sender was refused." } };
      }
      return dispatch(backend, name, arg);
    });
  }
  const unsubs = EVENT_NAMES.map((event) =>
    backend.subscribe(event, (payload) => {
      for (const wc of targets()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, { event, payload });
    }),
  );
  return {
    channels,
    dispose() {
      for (const c of channels) ipcMain.removeHandler(c);
      for (const u of unsubs) u();
    },
  };
}
