/**
 * How a served page proves it may see data: the token printed by `fsm-inspector serve` arrives
 * once in the address (`?token=`), is kept in this tab's sessionStorage (its origin's alone,
 * port included — never a cookie, which every server on 127.0.0.1 would receive) and is removed
 * from the address bar. A reload finds it there. The tab also keeps a random client id, so the
 * server knows a reload from a page that has gone.
 */

const TOKEN_KEY = "fsm-inspector.token";
const CLIENT_KEY = "fsm-inspector.client";

export interface PageAccess {
  /** This run's token, or undefined when the page was opened without one. */
  token: string | undefined;
  clientId: string;
}

type Place = Pick<Location, "search" | "pathname" | "hash">;
type Storage = Pick<globalThis.Storage, "getItem" | "setItem">;
type History = Pick<globalThis.History, "replaceState" | "state">;

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function read(storage: Storage, key: string): string | undefined {
  try {
    return storage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function write(storage: Storage, key: string, value: string): void {
  try {
    storage.setItem(key, value);
  } catch {
    // storage disabled: the token still works until the page is reloaded
  }
}

/** Take the token from the address (then drop it from there) or from sessionStorage. */
export function pageAccess(place: Place, storage: Storage, history: History): PageAccess {
  const params = new URLSearchParams(place.search);
  const fromUrl = params.get("token");
  if (fromUrl !== null) {
    if (fromUrl !== "") write(storage, TOKEN_KEY, fromUrl);
    params.delete("token");
    const rest = params.toString();
    history.replaceState(history.state, "", `${place.pathname}${rest ? `?${rest}` : ""}${place.hash}`);
  }
  const token = fromUrl || read(storage, TOKEN_KEY) || undefined;
  let clientId = read(storage, CLIENT_KEY);
  if (clientId === undefined || !/^[\w-]{8,64}$/.test(clientId)) {
    clientId = randomId();
    write(storage, CLIENT_KEY, clientId);
  }
  return { token, clientId };
}

/** The WebSocket URL of the page's own server, carrying the token and the client id. */
export function wsUrlFor(host: string, access: PageAccess & { token: string }): string {
  return `ws://${host}/ws?token=${encodeURIComponent(access.token)}&client=${encodeURIComponent(access.clientId)}`;
}

export type AccessAnswer = "ok" | "refused" | "unreachable";

/** Ask the page's server whether `token` is still its token (after a WebSocket was refused). */
export async function probeAccess(token: string): Promise<AccessAnswer> {
  try {
    const res = await fetch("/api/access", { headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
    if (res.ok) return "ok";
    return res.status === 403 ? "refused" : "unreachable";
  } catch {
    return "unreachable";
  }
}

/** This tab's token, for a data request the page makes itself (a recording's download). */
export function storedToken(storage: Storage = window.sessionStorage): string | undefined {
  return read(storage, TOKEN_KEY);
}
