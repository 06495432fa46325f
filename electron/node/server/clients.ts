/**
 * Who opened what, in serve mode. Each page has a client id (random, kept in the tab's
 * sessionStorage, sent with its WebSocket), so a reload reconnects as the same client. When the
 * last connection of a client closes, a grace timer starts; a reconnect cancels it; when it runs
 * out, the sessions that client opened — and no other known client opened too — are closed.
 * Sessions the server opened itself (the demo at start) are never recorded, so never closed here.
 */

export type ClientEvent =
  | { kind: "connected"; clientId: string; connections: number }
  | { kind: "grace-started"; clientId: string; graceMs: number }
  | { kind: "grace-cancelled"; clientId: string }
  | { kind: "expired"; clientId: string; closing: string[] };

interface ClientRecord {
  connections: number;
  opened: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface ClientRegistry {
  /** A connection of `clientId` opened. */
  connect(clientId: string): void;
  /** A connection of `clientId` closed. */
  disconnect(clientId: string): void;
  /** `clientId` opened (or was handed) session `sessionId`. */
  opened(clientId: string, sessionId: string): void;
  /** Forget sessions that are no longer open (closed by a user, or by the backend). */
  retain(open: ReadonlySet<string>): void;
  /** Stop every timer (server shutting down); closes nothing. */
  dispose(): void;
}

export interface RegistryOptions {
  graceMs: number;
  /** Close these sessions (the client that opened them has gone). */
  closeSessions(ids: string[]): void;
  onEvent?: (e: ClientEvent) => void;
}

export function clientRegistry(opts: RegistryOptions): ClientRegistry {
  const clients = new Map<string, ClientRecord>();
  const emit = (e: ClientEvent): void => opts.onEvent?.(e);

  const record = (clientId: string): ClientRecord => {
    let r = clients.get(clientId);
    if (!r) {
      r = { connections: 0, opened: new Set(), timer: undefined };
      clients.set(clientId, r);
    }
    return r;
  };

  const expire = (clientId: string): void => {
    const r = clients.get(clientId);
    if (!r || r.connections > 0) return;
    clients.delete(clientId);
    const keptByOthers = new Set<string>();
    for (const other of clients.values()) for (const id of other.opened) keptByOthers.add(id);
    const closing = [...r.opened].filter((id) => !keptByOthers.has(id));
    emit({ kind: "expired", clientId, closing });
    if (closing.length > 0) opts.closeSessions(closing);
  };

  const startGrace = (clientId: string, r: ClientRecord): void => {
    r.timer = setTimeout(() => {
      r.timer = undefined;
      expire(clientId);
    }, opts.graceMs);
    r.timer.unref?.();
    emit({ kind: "grace-started", clientId, graceMs: opts.graceMs });
  };

  return {
    connect(clientId) {
      const r = record(clientId);
      r.connections++;
      if (r.timer !== undefined) {
        clearTimeout(r.timer);
        r.timer = undefined;
        emit({ kind: "grace-cancelled", clientId });
      }
      emit({ kind: "connected", clientId, connections: r.connections });
    },
    disconnect(clientId) {
      const r = clients.get(clientId);
      if (!r || r.connections === 0) return;
      r.connections--;
      if (r.connections === 0) startGrace(clientId, r);
    },
    opened(clientId, sessionId) {
      const r = record(clientId);
      r.opened.add(sessionId);
      // A call that finished after its client left (or after its record expired): same grace.
      if (r.connections === 0 && r.timer === undefined) startGrace(clientId, r);
    },
    retain(open) {
      for (const r of clients.values()) for (const id of r.opened) if (!open.has(id)) r.opened.delete(id);
    },
    dispose() {
      for (const r of clients.values()) if (r.timer !== undefined) clearTimeout(r.timer);
      clients.clear();
    },
  };
}
