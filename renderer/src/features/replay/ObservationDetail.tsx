import { memo, useEffect, useState } from "react";
import { formatUserError, toUserFacing } from "../../../../shared/errors";
import type { UserFacingError } from "../../../../shared/errors";
import type { Observation } from "../../../../shared/trace/observation";
import { parseIsoMs } from "../../../../shared/trace/time";
import { useApi } from "../../hooks/api-context";
import { useStore } from "../../store/store";
import { formatDateTime } from "../time/format-time";
import { formatCount } from "./format-count";

/** Wait this long after the cursor stops before reading a line's fields back from its file. */
const SETTLE_MS = 150;
const MAX_FIELDS = 40;

function headline(o: Observation): string {
  switch (o.kind) {
    case "transition":
      return `${o.instance}: ${o.from} → ${o.to}${o.event ? ` on ${o.event}` : ""}${o.verdict && o.verdict !== "declared" ? ` (${o.verdict.replace("-", " ")})` : ""}`;
    case "state":
      return `${o.instance}: in ${o.state}`;
    case "event":
      return `${o.instance}: ${o.name}`;
    case "warning":
      return `${o.cleared ? "cleared: " : ""}${o.message}`;
    case "lock":
      return `${o.path}: ${o.holders.length > 0 ? `held by pid ${o.holders.map((h) => h.pid).join(", ")}` : "free"}`;
    case "signal":
      return `${o.path}: ${o.present ? "present" : "absent"}`;
  }
}

function valueText(v: unknown): string {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

/** The observation at the cursor, with every field of its line (read back from its file). */
export const ObservationDetail = memo(function ObservationDetail({ sessionId }: { sessionId: string }): React.JSX.Element {
  const api = useApi();
  const current = useStore((s) => s.replays[sessionId]?.current ?? null);
  const position = useStore((s) => s.replays[sessionId]?.position ?? 0);
  const utc = useStore((s) => s.utc);
  const [detail, setDetail] = useState<{ position: number; obs: Observation | null; error?: UserFacingError } | undefined>(undefined);

  useEffect(() => {
    if (position === 0) return;
    let live = true;
    const t = setTimeout(() => {
      api.replayDetail({ sessionId, position }).then(
        (obs) => live && setDetail({ position, obs }),
        (err: unknown) => live && setDetail({ position, obs: null, error: toUserFacing(err) }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, sessionId, position]);

  const o = detail?.position === position && detail.obs ? detail.obs : current;
  const fields = o && "fields" in o && o.fields ? Object.entries(o.fields) : [];
  const ms = o?.ts ? parseIsoMs(o.ts) : undefined;
  const src = o?.source.file ?? o?.source.table;
  return (
    <section className="panel detail" aria-labelledby="detail-h" data-testid="observation-detail" data-position={position} data-line={o?.source.line ?? ""}>
      <h2 id="detail-h">
        At the cursor <span className="count">#{formatCount(position)}</span>
      </h2>
      {!o ? (
        <p className="empty">Before the first observation. Press → or play.</p>
      ) : (
        <>
          <p className={`detail-head kind-${o.kind}`}>{headline(o)}</p>
          <p className="detail-meta">
            {ms !== undefined && <time dateTime={o.ts}>{formatDateTime(ms, utc, true)}</time>}
            {src && (
              <span className="detail-src" title={src}>
                {src.split(/[\\/]/).pop()}
                {o.source.line !== undefined ? `:${o.source.line}` : ""}
              </span>
            )}
          </p>
          {detail?.position === position && detail.error && <p className="dialog-error">{formatUserError(detail.error)}</p>}
          {fields.length > 0 && (
            <dl className="detail-fields">
              {fields.slice(0, MAX_FIELDS).map(([k, v]) => (
                <div key={k} className="detail-field">
                  <dt>{k}</dt>
                  <dd title={typeof v === "string" ? v : JSON.stringify(v)}>{valueText(v)}</dd>
                </div>
              ))}
              {fields.length > MAX_FIELDS && <p className="hint">{fields.length - MAX_FIELDS} more fields not shown.</p>}
            </dl>
          )}
        </>
      )}
    </section>
  );
});
