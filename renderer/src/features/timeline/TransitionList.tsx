import type { TransitionObservation } from "../../../../shared/trace/observation";

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

export function TransitionList({ recent, limit = 50 }: { recent: TransitionObservation[]; limit?: number }): React.JSX.Element {
  const items = recent.slice(-limit).reverse();
  const many = new Set(items.map((t) => t.instance)).size > 1;
  return (
    <section className="panel timeline" aria-labelledby="transitions-h">
      <h2 id="transitions-h">Last transitions</h2>
      {items.length === 0 ? (
        <p className="empty">No transition yet. New ones appear here as they are written.</p>
      ) : (
        <ol className="transition-list" aria-label="Last transitions, newest first">
          {items.map((t) => (
            <li key={t.seq} className={`transition verdict-${t.verdict ?? "none"}`} data-ts={t.ts} data-testid="transition">
              <time dateTime={t.ts} title={t.ts}>
                {clock(t.ts)}
              </time>
              <span className="arrow">
                <b>{t.from}</b> → <b>{t.to}</b>
              </span>
              <span className="event">
                {many && <span className="instance-tag">{t.instance}</span>}
                {t.event ?? ""}
              </span>
              {t.verdict && t.verdict !== "declared" && <span className={`verdict verdict-${t.verdict}`}>{VERDICT_TEXT[t.verdict]}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
