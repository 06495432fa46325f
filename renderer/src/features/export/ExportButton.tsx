import { useStore } from "../../store/store";

/** The diagram toolbar's way into the Export dialog (also `e`). */
export function ExportButton(): React.JSX.Element {
  const openDialog = useStore((s) => s.openDialog);
  return (
    <button type="button" className="ghost small" onClick={() => openDialog("export")} title="Export this diagram: SVG, PNG, Mermaid, DOT, SCXML, XState JSON (e)">
      Export…
    </button>
  );
}
