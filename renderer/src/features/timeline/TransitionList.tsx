import { useMemo, useState } from "react";
import type { TransitionObservation } from "../../../../shared/trace/observation";
import { VirtualList } from "./VirtualList";

const VERDICT_TEXT: Record<string, string> = {
  declared: "declared",
  undeclared: "undeclared",
  "from-mismatch": "from mismatch",
  "unknown-state": "unknown state",
  gap: "after a gap",
};

function clock(ts: string | undefined): string {
  if (ts === undefined) return "—";
  const t = ts.indexOf("T");
  return t >= 0 ? ts.slice(t + 1, t + 13) : ts;
}

function Row({ t, many }: { t: TransitionObservation; many: boolean }): React.JSX.Element {
  return (
    <div className={`transition verdict-${t.verdict ?? "none"}`} data-ts={t.ts} data-testid="transition" title={t.source.file ? `${t.source.file}${t.source.line ? `:${t.source.line}` : ""}` : undefined}>
      <time dateTime={t.ts} title={t.ts}>
        {clock(t.ts)}
      </time>
      <span className="arrow">
        <b>{t.from}</b> → <b>{t.to}</b>
      </span>
      <span className="event">
        {many && <span className="instance-tag">{t.instance}</span>}
        {t.event ?? ""}
        {t.verdict && t.verdict !== "declared" && <span className={`verdict verdict-${t.verdict}`}>{VERDICT_TEXT[t.verdict]}</span>}
      </span>
    </div>
  );
}

/** The transition timeline, newest first, virtualised; optionally only the selected instance's. */
export function TransitionList({ recent, total, selected }: { recent: TransitionObservation[]; total: number; selected: string | undefined }): React.JSX.Element {
  const [onlySelected, setOnlySelected] = useState(false);
  const many = useMemo(() => new Set(recent.map((t) => t.instance)).size > 1, [recent]);
  const items = useMemo(() => {
    const list = onlySelected && selected ? recent.filter((t) => t.instance === selected) : recent;
    return [...list].reverse();
  }, [recent, onlySelected, selected]);
  const kept = total > recent.length ? ` (latest ${recent.length} of ${total})` : "";
  return (
    <section className="panel timeline" aria-labelledby="transitions-h">
      <h2 id="transitions-h">
        Transitions <span className="count">{total}</span>
        <span className="h-note">{kept}</span>
      </h2>
      {many && selected && (
        <label className="inline-check">
          <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} /> only {selected}
        </label>
      )}
      {items.length === 0 ? (
        <p className="empty">No transition yet. New ones appear here as they are written.</p>
      ) : (
        <VirtualList items={items} rowHeight={many ? 58 : 46} itemKey={(t) => t.seq} label="Transitions, newest first" className="transition-list" render={(t) => <Row t={t} many={many} />} />
      )}
    </section>
  );
}
