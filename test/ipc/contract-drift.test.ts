/**
 * The IPC transport (preload bridge + main's handlers) and the WebSocket transport (serve mode)
 * must carry exactly the calls and events of shared/ipc/contract.ts. Each check below fails when a
 * call is added to the contract but not to a transport, or a transport grows a call of its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CALL_NAMES, EVENT_CHANNEL, channelOf, type FsmApi } from "../../shared/ipc/contract";
import { buildBridge, type IpcRendererLike } from "../../electron/preload/bridge";
import { registerIpc, type IpcMainLike, type InvokeEventLike } from "../../electron/main/ipc";
import { serve, type RunningServer } from "../../electron/node/server/server";
import { ipcApi } from "../../renderer/src/transport/ipc";
import { wsApi, type WsApi } from "../../renderer/src/transport/ws";
import { recordingBackend } from "../helpers/fake-backend";
import { tempDir } from "../helpers/tmp";
import type { Observation } from "../../shared/trace/observation";

const GOOD_EVENT: InvokeEventLike = { senderFrame: { url: "app://fsm/index.html", parent: null }, sender: { id: 7 } };

/** An in-memory ipcMain/ipcRenderer pair with one trusted web contents. */
function ipcPair() {
  const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => unknown>();
  const rendererListeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipcMain: IpcMainLike = {
    handle: (ch, fn) => void handlers.set(ch, fn),
    removeHandler: (ch) => void handlers.delete(ch),
  };
  const ipcRenderer: IpcRendererLike = {
    invoke: async (ch, ...args) => {
      const h = handlers.get(ch);
      if (!h) throw new Error(`No handler registered for '${ch}'`);
      return h(GOOD_EVENT, ...args);
    },
    on: (ch, fn) => void (rendererListeners.get(ch) ?? rendererListeners.set(ch, new Set()).get(ch))?.add(fn),
    removeListener: (ch, fn) => void rendererListeners.get(ch)?.delete(fn),
  };
  const webContents = {
    id: 7,
    isDestroyed: () => false,
    send: (ch: string, ...args: unknown[]) => rendererListeners.get(ch)?.forEach((l) => l({}, ...args)),
  };
  return { ipcMain, ipcRenderer, webContents, handlers };
}

function ownFunctions(api: object): string[] {
  return Object.keys(api).filter((k) => typeof (api as Record<string, unknown>)[k] === "function").sort();
}

const EXPECTED = [...CALL_NAMES, "subscribe"].sort();

let server: RunningServer | undefined;
let client: WsApi | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
});

async function wsSetup() {
  const backend = recordingBackend();
  server = await serve({ backend, rendererDir: tempDir() });
  client = wsApi(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, WebSocket as unknown as typeof globalThis.WebSocket);
  return { backend, api: client.api };
}

function ipcSetup() {
  const backend = recordingBackend();
  const pair = ipcPair();
  const registered = registerIpc(pair.ipcMain, backend, new Set([7]), () => [pair.webContents]);
  const bridge = buildBridge(pair.ipcRenderer);
  return { backend, bridge, registered, pair, api: ipcApi(bridge) };
}

describe("one contract, two transports", () => {
  it("the preload bridge exposes exactly the contract's calls plus subscribe", () => {
    const { bridge } = ipcSetup();
    expect(ownFunctions(bridge)).toEqual(EXPECTED);
  });

  it("main registers exactly one handler per contract call", () => {
    const { registered, pair } = ipcSetup();
    const expectedChannels = CALL_NAMES.map(channelOf).sort();
    expect([...registered.channels].sort()).toEqual(expectedChannels);
    expect([...pair.handlers.keys()].sort()).toEqual(expectedChannels);
  });

  it("the renderer's IPC and WebSocket APIs expose the same functions", async () => {
    const ipc = ipcSetup().api;
    const { api: ws } = await wsSetup();
    expect(ownFunctions(ipc)).toEqual(EXPECTED);
    expect(ownFunctions(ws)).toEqual(EXPECTED);
  });

  it("every call reaches the backend handler of the same name, over both transports", async () => {
    const ipc = ipcSetup();
    const ws = await wsSetup();
    for (const [label, t] of [
      ["ipc", ipc],
      ["ws", ws],
    ] as const) {
      for (const name of CALL_NAMES) {
        const arg = { probe: `${label}-${name}` };
        const result = await (t.api[name] as (a: unknown) => Promise<unknown>)(arg);
        expect(result, `${label} ${name}`).toEqual({ handled: name, arg });
      }
      expect(t.backend.calls.map((c) => c.name)).toEqual([...CALL_NAMES]);
    }
  });

  it("errors keep their code, file, line and hint over both transports", async () => {
    const error = { code: "bad-line", message: "not valid JSON", file: "/x/log.jsonl", line: 3, hint: "Fix the line." };
    const ipc = ipcSetup();
    const ws = await wsSetup();
    for (const t of [ipc, ws]) {
      const { FsmError } = await import("../../shared/errors");
      (t.backend.handlers as Record<string, unknown>)["getSession"] = () => {
        throw new FsmError(error);
      };
      await expect(t.api.getSession({ sessionId: "x" })).rejects.toMatchObject(error);
    }
  });

  it("events reach subscribers over both transports, and unsubscribe stops them", async () => {
    const ipc = ipcSetup();
    const ws = await wsSetup();
    const payload = { sessionId: "s1", items: [] as Observation[] };
    for (const t of [ipc, ws] as { backend: ReturnType<typeof recordingBackend>; api: FsmApi }[]) {
      const got: unknown[] = [];
      const off = t.api.subscribe("observations", (p) => got.push(p));
      await t.api.listSessions(null); // the WebSocket is open once a call has come back
      t.backend.publish("observations", payload);
      await expect.poll(() => got.length).toBe(1);
      expect(got[0]).toEqual(payload);
      off();
      t.backend.publish("observations", payload);
      await new Promise((r) => setTimeout(r, 50));
      expect(got.length).toBe(1);
    }
    expect(EVENT_CHANNEL).toBe("fsm:event");
  });
});
