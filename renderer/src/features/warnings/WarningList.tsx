import { useState } from "react";
import type { WarningObservation } from "../../../../shared/trace/observation";

/** Desktop notifications for stuck instances: the browser asks once, on the user's click. */
function NotifyButton(): React.JSX.Element | null {
  const [permission, setPermission] = useState(() => (typeof Notification === "undefined" ? "unsupported" : Notification.permission));
  if (permission !== "default") return null;
  return (
    <button type="button" className="ghost small" onClick={() => void Notification.requestPermission().then(setPermission)} title="Show a desktop notification when an instance gets stuck">
      Notify me
    </button>
  );
}

export function WarningList({ warnings }: { warnings: WarningObservation[] }): React.JSX.Element | null {
  if (warnings.length === 0) return null;
  const stuck = warnings.some((w) => w.code === "stuck");
  return (
    <section className="panel warnings" aria-labelledby="warnings-h">
      <h2 id="warnings-h">
        Warnings ({warnings.length}) {stuck && <NotifyButton />}
      </h2>
      <ul>
        {warnings.map((w) => (
          <li key={w.key ?? `${w.seq}`} className={`warning code-${w.code}`} role="status">
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
