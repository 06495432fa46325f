import { memo, useMemo, useState } from "react";
import type { TransitionObservation } from "../../../../shared/trace/observation";
import { parseIsoMs } from "../../../../shared/trace/time";
import { useStore } from "../../store/store";
import { formatClock, formatDateTime } from "../time/format-time";
import { VirtualList } from "./VirtualList";

const VERDICT_TEXT: Record<string, string> = {
  declared: "declared",
  undeclared: "undeclared",
  "from-mismatch": "from mismatch",
  "unknown-state": "unknown state",
  gap: "after a gap",
};

const Row = memo(function Row({ t, many, utc, current, onPick }: { t: TransitionObservation; many: boolean; utc: boolean; current: boolean; onPick: ((seq: number) => void) | undefined }): React.JSX.Element {
  const ms = t.ts !== undefined ? parseIsoMs(t.ts) : undefined;
  const where = t.source.file ? `${t.source.file}${t.source.line ? `:${t.source.line}` : ""}` : undefined;
  const body = (
    <>
      <time dateTime={t.ts} title={ms !== undefined ? `${formatDateTime(ms, utc, true)} ${utc ? "UTC" : "local time"}` : undefined}>
        {ms !== undefined ? formatClock(ms, utc) : "—"}
      </time>
      <span className="arrow">
        <b>{t.from}</b> → <b>{t.to}</b>
      </span>
      <span className="event">
        {many && <span className="instance-tag">{t.instance}</span>}
        {t.event ?? ""}
        {t.verdict && t.verdict !== "declared" && <span className={`verdict verdict-${t.verdict}`}>{VERDICT_TEXT[t.verdict]}</span>}
      </span>
    </>
  );
  const cls = `transition verdict-${t.verdict ?? "none"}${current ? " is-current" : ""}`;
  return onPick ? (
    <button type="button" className={`${cls} is-pickable`} data-ts={t.ts} data-testid="transition" data-seq={t.seq} aria-current={current ? "true" : undefined} title={where ? `${where} — click to move here` : "Click to move here"} onClick={() => onPick(t.seq)}>
      {body}
    </button>
  ) : (
    <div className={cls} data-ts={t.ts} data-testid="transition" title={where}>
      {body}
    </div>
  );
});

/**
 * The transition timeline, newest first, virtualised; optionally only the selected instance's. In
 * a replay, a click on a row moves the cursor there and the row at the cursor is marked.
 */
export function TransitionList(props: {
  recent: TransitionObservation[];
  total: number;
  selected: string | undefined;
  /** A replay: move to an observation (its seq is its position). */
  onPick?: (seq: number) => void;
  currentSeq?: number;
  /** Shown after the count ("filtered: state SLEEP"). */
  note?: string;
}): React.JSX.Element {
  const { recent, total, selected, onPick, currentSeq } = props;
  const utc = useStore((s) => s.utc);
  const [onlySelected, setOnlySelected] = useState(false);
  const many = useMemo(() => new Set(recent.map((t) => t.instance)).size > 1, [recent]);
  const items = useMemo(() => {
    const list = onlySelected && selected ? recent.filter((t) => t.instance === selected) : recent;
    return [...list].reverse();
  }, [recent, onlySelected, selected]);
  const kept = props.note ?? (total > recent.length ? ` (latest ${recent.length} of ${total})` : "");
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
        <p className="empty">{onPick ? "No transition up to the cursor." : "No transition yet. New ones appear here as they are written."}</p>
      ) : (
        <VirtualList
          items={items}
          rowHeight={many ? 58 : 46}
          itemKey={(t) => t.seq}
          label="Transitions, newest first"
          className="transition-list"
          render={(t) => <Row t={t} many={many} utc={utc} current={currentSeq === t.seq} onPick={onPick} />}
        />
      )}
    </section>
  );
}
