import type { LockHolder, LockObservation, SignalObservation } from "../../../../shared/trace/observation";
import { formatDuration, parseIsoMs } from "../../../../shared/trace/time";
import { useViewNow } from "../../hooks/use-view-now";

function base(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function Holder({ h, now, waiting }: { h: LockHolder; now: number; waiting?: boolean }): React.JSX.Element {
  const since = parseIsoMs(h.since);
  return (
    <li className={`lock-holder${h.stale ? " is-stale" : ""}${waiting ? " is-waiting" : ""}`} data-testid={waiting ? "lock-waiter" : "lock-holder"} data-pid={h.pid}>
      <span className="lock-pid">
        {waiting ? "waiting: " : ""}pid {h.pid}
        {h.comm ? <span className="lock-comm"> ({h.comm})</span> : null}
      </span>
      <span className="lock-meta">
        {h.type === "PIDFILE" ? "pid file" : h.type} · {h.mode}
        {since !== undefined && !h.stale ? ` · ${waiting ? "waiting" : "held"} for ${formatDuration(Math.max(0, now - since))}` : ""}
        {h.stale ? " · stale: the process is gone" : ""}
      </span>
    </li>
  );
}

function Lock({ lock, now }: { lock: LockObservation; now: number }): React.JSX.Element {
  const free = lock.holders.length === 0;
  return (
    <li className="lock" data-testid="lock" data-path={lock.path} data-held={free ? "false" : "true"}>
      <div className="lock-head">
        <code title={lock.path}>{base(lock.path)}</code>
        <span className={`lock-state ${free ? "free" : "held"}`}>{lock.unavailable ? "unknown" : free ? "free" : "held"}</span>
      </div>
      {lock.unavailable ? (
        <p className="hint">{lock.unavailable}</p>
      ) : (
        <ul className="lock-holders">
          {lock.holders.map((h, i) => (
            <Holder key={`${h.pid}-${h.type}-${h.mode}-${i}`} h={h} now={now} />
          ))}
          {lock.waiters.map((h, i) => (
            <Holder key={`w-${h.pid}-${h.type}-${i}`} h={h} now={now} waiting />
          ))}
        </ul>
      )}
    </li>
  );
}

function Signal({ s, now }: { s: SignalObservation; now: number }): React.JSX.Element {
  // The age was measured when the observation was made; it keeps growing since.
  const seenAt = s.ts ? parseIsoMs(s.ts) : undefined;
  const age = s.ageMs !== undefined ? s.ageMs + (seenAt !== undefined ? Math.max(0, now - seenAt) : 0) : undefined;
  return (
    <li className={`signal${s.stale ? " is-stale" : ""}`} data-testid="signal">
      <code title={s.path}>{base(s.path)}</code>{" "}
      <span className="lock-meta">
        {s.present ? (age !== undefined ? `${formatDuration(age)} old` : "present") : "gone"}
        {s.stale ? " · stale" : ""}
      </span>
    </li>
  );
}

export function LockPanel({ locks, signals }: { locks: Record<string, LockObservation>; signals: Record<string, SignalObservation> }): React.JSX.Element | null {
  const now = useViewNow();
  const lockList = Object.values(locks);
  const signalList = Object.values(signals).filter((s) => s.present);
  if (lockList.length === 0 && signalList.length === 0) return null;
  return (
    <section className="panel locks" aria-labelledby="locks-h">
      <h2 id="locks-h">Locks{signalList.length ? " and signals" : ""}</h2>
      <ul className="lock-list">
        {lockList.map((l) => (
          <Lock key={l.path} lock={l} now={now} />
        ))}
      </ul>
      {signalList.length > 0 && (
        <ul className="signal-list">
          {signalList.map((s) => (
            <Signal key={s.path} s={s} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
