import { useShallow } from "zustand/react/shallow";
import { useStore } from "../store/store";
import type { Overlays } from "../store/ui-slice";
import type { Layout } from "../../../shared/diagram/layout";

const TOGGLES: { key: keyof Overlays; label: string; shortcut: string; title: string; multiOnly?: boolean }[] = [
  { key: "counts", label: "Counts", shortcut: "1", title: "Edge counts, thickness by frequency" },
  { key: "dwell", label: "Dwell", shortcut: "2", title: "Time in each state: p50 and p95" },
  { key: "ghosts", label: "Undeclared", shortcut: "3", title: "Observed transitions the machine does not declare, dashed" },
  { key: "unseen", label: "Never seen", shortcut: "4", title: "Grey out declared transitions and states never observed" },
  { key: "badges", label: "Instances", shortcut: "5", title: "How many instances are in each state", multiOnly: true },
];

const DIRECTION_TEXT = { AUTO: "Auto layout", RIGHT: "→ Left to right", DOWN: "↓ Top to bottom" } as const;

export function OverlayBar({ multiInstance, layout, extra }: { multiInstance: boolean; layout: Layout | undefined; extra?: React.ReactNode }): React.JSX.Element {
  const { overlays, toggle, direction, setDirection, requestFit } = useStore(
    useShallow((s) => ({ overlays: s.overlays, toggle: s.toggleOverlay, direction: s.direction, setDirection: s.setDirection, requestFit: s.requestFit })),
  );
  return (
    <div className="overlay-bar" role="toolbar" aria-label="Diagram overlays">
      {TOGGLES.filter((t) => !t.multiOnly || multiInstance).map((t) => (
        <button key={t.key} type="button" className={`chip${overlays[t.key] ? " is-on" : ""}`} aria-pressed={overlays[t.key]} title={`${t.title} (${t.shortcut})`} onClick={() => toggle(t.key)}>
          {t.label}
        </button>
      ))}
      <span className="bar-sep" aria-hidden="true" />
      <button
        type="button"
        className="chip"
        title="Layout direction: auto (whichever fits the view), left to right, top to bottom (d)"
        onClick={() => setDirection(direction === "AUTO" ? "RIGHT" : direction === "RIGHT" ? "DOWN" : "AUTO")}
      >
        {DIRECTION_TEXT[direction]}
      </button>
      <button type="button" className="chip" title="Fit the diagram in view (f)" onClick={requestFit}>
        Fit
      </button>
      {extra && (
        <>
          <span className="bar-sep" aria-hidden="true" />
          {extra}
        </>
      )}
      {layout?.engine === "quick" && (
        <span className="layout-note is-pending" title="A quick layout is shown while elk computes the final one">
          laying out…
        </span>
      )}
      {layout?.engine === "fallback" && (
        <span className="layout-note" title={layout.error}>
          simple layout ({layout.error ?? "elk unavailable"})
        </span>
      )}
    </div>
  );
}
