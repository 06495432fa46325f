import { Modal } from "../open/Modal";
import { useStore } from "../../store/store";

export const SHORTCUTS: [string, string][] = [
  ["o", "Open a folder to watch"],
  ["l", "Open a log (or a recording) to replay"],
  ["m", "Open a machine file (SCXML, XState JSON or YAML)"],
  ["s", "Save this session as a recording"],
  ["f", "Fit the diagram in view"],
  ["x", "Fork the instance on screen (or the machine) to a sandbox"],
  ["e", "Export the diagram (SVG, PNG, Mermaid, DOT, SCXML, XState JSON)"],
  ["Ctrl+Z / Ctrl+Shift+Z", "Sandbox: undo / redo a step"],
  ["a", "Sandbox of a statechart: advance the clock to the next delayed transition"],
  ["d", "Layout: auto / left to right / top to bottom"],
  ["j / ↓", "Next instance"],
  ["k / ↑", "Previous instance"],
  ["[ / ]", "Previous / next tab (sessions, then sandboxes)"],
  ["1", "Overlay: edge counts and thickness by frequency"],
  ["2", "Overlay: dwell p50 / p95 on states"],
  ["3", "Overlay: undeclared transitions as dashed ghost edges"],
  ["4", "Overlay: grey out what was never seen"],
  ["5", "Overlay: instances per state (multi-instance programs)"],
  ["space", "Replay: play / pause"],
  ["← / →", "Replay: one transition back / forward"],
  ["p / n", "Replay: previous / next anomaly"],
  ["Home / End", "Replay: the start / the end (timeline focused)"],
  ["u", "Times in your time zone / in UTC"],
  ["t", "Light / dark theme"],
  ["?", "This help"],
  ["Esc", "Close a dialog"],
];

export function HelpOverlay(): React.JSX.Element {
  const setOpen = useStore((s) => s.setHelpOpen);
  return (
    <Modal title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      <div className="dialog-body">
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}
