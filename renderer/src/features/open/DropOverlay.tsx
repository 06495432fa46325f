import { useStore } from "../../store/store";

/** Shown while a file is dragged over the window: what dropping it will do. */
export function DropOverlay(): React.JSX.Element {
  const desktop = useStore((s) => s.mode === "electron");
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        {desktop ? (
          <>
            <b>Drop to replay it</b>
            <span>A log file, a folder of logs or a recording (.fsmrec)</span>
          </>
        ) : (
          <>
            <b>Dropping works in the desktop app</b>
            <span>In a browser, use Open log… (l) to choose the log on the machine running FSM Inspector</span>
          </>
        )}
      </div>
    </div>
  );
}
