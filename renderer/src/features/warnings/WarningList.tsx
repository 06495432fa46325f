import type { WarningObservation } from "../../../../shared/trace/observation";

export function WarningList({ warnings }: { warnings: WarningObservation[] }): React.JSX.Element | null {
  if (warnings.length === 0) return null;
  return (
    <section className="panel warnings" aria-labelledby="warnings-h">
      <h2 id="warnings-h">Warnings ({warnings.length})</h2>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.seq}`} className={`warning code-${w.code}`} role="status">
            <span className="warning-msg">{w.message}</span>
            {w.source.file && (
              <span className="warning-src">
                {w.source.file}
                {w.source.line !== undefined ? `:${w.source.line}` : ""}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
