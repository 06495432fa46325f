import { useEffect, useMemo, useRef, useState } from "react";
import { formatUserError, toUserFacing } from "../../../../shared/errors";
import type { UserFacingError } from "../../../../shared/errors";
import { EXPORT_FORMATS, FORMAT_INFO, type ExportFormat, type ExportRequest } from "../../../../shared/diagram/export/formats";
import { mermaidMarkdown } from "../../../../shared/diagram/export/mermaid";
import { useApi } from "../../hooks/api-context";
import { download } from "../../hooks/download";
import { selectActiveSandbox, selectActiveView, useStore } from "../../store/store";
import { Modal } from "../open/Modal";
import { observedFromModel, renderExport, svgToPngBlob, type Rendered } from "./export-data";

/** A file name from the machine's id: letters, digits, dots, dashes and underscores. */
function fileName(id: string, variant: string, ext: string): string {
  const base = id.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "machine";
  return `${base}${variant === "observed" ? "-observed" : ""}.${ext}`;
}

async function blobToBase64(b: Blob): Promise<string> {
  const bytes = new Uint8Array(await b.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * Export the machine on screen (`e`): SVG, PNG, Mermaid, Graphviz DOT, SCXML, XState JSON — the
 * declared machine, or what this session observed — with a live preview; Copy (text formats,
 * Mermaid also as Markdown) and Save (the desktop app asks where; a browser downloads).
 */
export function ExportDialog(): React.JSX.Element {
  const api = useApi();
  const close = useStore((s) => s.openDialog);
  const mode = useStore((s) => s.mode);
  const appTheme = useStore((s) => s.theme);
  const view = useStore(selectActiveView);
  const sandbox = useStore(selectActiveSandbox);
  const machine = view?.machine ?? sandbox?.machine;
  const model = view?.model;
  const canObserve = model !== undefined && Object.keys(model.edges).length > 0;
  const [format, setFormat] = useState<ExportFormat>("svg");
  const [variant, setVariant] = useState<"declared" | "observed">("declared");
  const [theme, setTheme] = useState<"light" | "dark">(appTheme);
  const [scale, setScale] = useState<1 | 2>(2);
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const observed = variant === "observed" && canObserve && FORMAT_INFO[format].observed;

  // What was observed, taken when the choices change — not at every new observation: a live
  // session's model changes several times a second, faster than an export is drawn.
  const modelNow = useRef(model);
  modelNow.current = model;
  const req = useMemo((): ExportRequest | undefined => {
    if (!machine) return undefined;
    // The machine's name only: a session's title can name a folder (paths and hosts stay out).
    const base: ExportRequest = { machine, title: observed ? `${machine.id} — observed` : machine.id, theme };
    return observed && modelNow.current ? { ...base, observed: observedFromModel(modelNow.current) } : base;
  }, [machine, observed, theme]);

  useEffect(() => {
    if (!req) return;
    let live = true;
    setError(null);
    setDone(null);
    renderExport(format, req, async (svg) => (await api.embedSvgFonts({ svg })).svg).then(
      (r) => live && setRendered(r),
      (err: unknown) => {
        if (!live) return;
        setRendered(null);
        setError(toUserFacing(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, format, req]);

  const previewUrl = useMemo(() => (rendered && FORMAT_INFO[format].needsLayout ? URL.createObjectURL(new Blob([rendered.text], { type: "image/svg+xml" })) : undefined), [rendered, format]);
  useEffect(() => () => (previewUrl ? URL.revokeObjectURL(previewUrl) : undefined), [previewUrl]);

  if (!machine || !req) {
    return (
      <Modal title="Export diagram" onClose={() => close(null)}>
        <div className="dialog-body">
          <p>Open a session, a machine or a sandbox first: the export is of the machine on screen.</p>
        </div>
      </Modal>
    );
  }
  const info = FORMAT_INFO[format];
  const name = fileName(machine.id, observed ? "observed" : "declared", info.ext);

  const copy = async (markdown: boolean): Promise<void> => {
    if (!rendered) return;
    try {
      await navigator.clipboard.writeText(markdown ? mermaidMarkdown(rendered.text) : rendered.text);
      setDone(markdown ? "Copied as a Markdown block." : "Copied.");
    } catch (err) {
      setError(toUserFacing(err));
    }
  };

  const save = async (): Promise<void> => {
    if (!rendered) return;
    try {
      const blob = format === "png" && rendered.size ? await svgToPngBlob(rendered.text, rendered.size, scale) : new Blob([rendered.text], { type: info.mime });
      if (mode === "electron") {
        const target = await api.pickSaveFile({ suggestedName: name });
        if (!target) return;
        const saved = format === "png" ? await api.saveExport({ path: target, content: await blobToBase64(blob), encoding: "base64" }) : await api.saveExport({ path: target, content: rendered.text, encoding: "utf8" });
        setDone(`Saved ${saved.path}.`);
      } else {
        download(name, blob, info.mime);
        setDone(`Downloaded ${name}.`);
      }
    } catch (err) {
      setError(toUserFacing(err));
    }
  };

  return (
    <Modal title="Export diagram" onClose={() => close(null)} wide>
      <div className="dialog-body export-dialog">
        <div className="export-options">
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label="Format">
              {EXPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_INFO[f].label}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="export-choice">
            <legend>Machine</legend>
            <label className="inline-check">
              <input type="radio" name="variant" checked={variant === "declared"} onChange={() => setVariant("declared")} /> declared
            </label>
            <label className="inline-check" title={canObserve ? "counts, dwell, undeclared transitions; no file paths" : "this session has observed no transitions yet"}>
              <input type="radio" name="variant" disabled={!canObserve || !info.observed} checked={observed} onChange={() => setVariant("observed")} /> as observed here
            </label>
          </fieldset>
          {(format === "svg" || format === "png" || format === "dot") && (
            <fieldset className="export-choice">
              <legend>Theme</legend>
              {(["light", "dark"] as const).map((t) => (
                <label key={t} className="inline-check">
                  <input type="radio" name="theme" checked={theme === t} onChange={() => setTheme(t)} /> {t}
                </label>
              ))}
            </fieldset>
          )}
          {format === "png" && (
            <fieldset className="export-choice">
              <legend>Scale</legend>
              {([1, 2] as const).map((x) => (
                <label key={x} className="inline-check">
                  <input type="radio" name="scale" checked={scale === x} onChange={() => setScale(x)} /> {x}×
                </label>
              ))}
            </fieldset>
          )}
        </div>
        <div className="export-preview" data-testid="export-preview" data-format={format}>
          {error ? (
            <p className="payload-error" role="alert">
              {formatUserError(error)}
            </p>
          ) : !rendered ? (
            <p className="dim">Preparing…</p>
          ) : previewUrl ? (
            <img src={previewUrl} alt={`Preview of ${machine.id}`} />
          ) : (
            <pre className="export-text">{rendered.text}</pre>
          )}
        </div>
        <footer className="dialog-actions">
          {done && (
            <span className="dim small" role="status">
              {done}
            </span>
          )}
          {!info.binary && (
            <button type="button" className="ghost" disabled={!rendered} onClick={() => void copy(false)}>
              Copy
            </button>
          )}
          {format === "mermaid" && (
            <button type="button" className="ghost" disabled={!rendered} onClick={() => void copy(true)}>
              Copy as Markdown
            </button>
          )}
          <button type="button" className="primary" disabled={!rendered} onClick={() => void save()}>
            {mode === "electron" ? "Save…" : "Download"} {name}
          </button>
        </footer>
      </div>
    </Modal>
  );
}
