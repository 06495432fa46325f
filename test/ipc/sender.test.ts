import { describe, expect, it } from "vitest";
import { isTrustedSenderUrl } from "../../shared/ipc/sender";
import { isTrustedEvent, registerIpc, type InvokeEventLike } from "../../electron/main/ipc";
import { channelOf } from "../../shared/ipc/contract";
import { recordingBackend } from "../helpers/fake-backend";

const trusted = new Set([1]);
const ev = (url: string, parent: unknown = null, id = 1): InvokeEventLike => ({ senderFrame: { url, parent }, sender: { id } });

describe("IPC sender check", () => {
  it("accepts our own page", () => {
    expect(isTrustedSenderUrl("app://fsm/index.html")).toBe(true);
    expect(isTrustedSenderUrl("app://fsm/")).toBe(true);
    expect(isTrustedEvent(ev("app://fsm/index.html"), trusted)).toBe(true);
  });

  it.each([
    ["a remote page", "https://evil.example/index.html"],
    ["a local file", "file:///etc/passwd"],
    ["another app host", "app://other/index.html"],
    ["a look-alike host", "app://fsm.evil/index.html"],
    ["credentials in the URL", "app://user:pw@fsm/index.html"],
    ["http on localhost", "http://127.0.0.1:3000/"],
    ["an empty URL", ""],
    ["garbage", "not a url"],
  ])("refuses %s", (_label, url) => {
    expect(isTrustedSenderUrl(url)).toBe(false);
    expect(isTrustedEvent(ev(url), trusted)).toBe(false);
  });

  it("refuses a sub-frame, an unknown window, and a missing frame", () => {
    expect(isTrustedEvent(ev("app://fsm/index.html", { url: "app://fsm/" }), trusted)).toBe(false);
    expect(isTrustedEvent(ev("app://fsm/index.html", null, 99), trusted)).toBe(false);
    expect(isTrustedEvent({ senderFrame: null, sender: { id: 1 } }, trusted)).toBe(false);
  });

  it("main answers an untrusted sender with 'forbidden' and never calls the backend", async () => {
    const backend = recordingBackend();
    const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => unknown>();
    registerIpc({ handle: (c, f) => void handlers.set(c, f), removeHandler: () => {} }, backend, trusted, () => []);
    const handler = handlers.get(channelOf("listSessions"));
    expect(handler).toBeDefined();
    const bad = await handler?.(ev("https://evil.example/"), null);
    expect(bad).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(backend.calls).toEqual([]);
    const good = await handler?.(ev("app://fsm/index.html"), null);
    expect(good).toMatchObject({ ok: true });
    expect(backend.calls.map((c) => c.name)).toEqual(["listSessions"]);
  });
});
