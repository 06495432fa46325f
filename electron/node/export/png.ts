/** PNG from our SVG, without a browser: resvg (a registry package with prebuilt binaries). */
import type { Resvg as ResvgClass } from "@resvg/resvg-js";
import { FsmError } from "../../../shared/errors";

export async function svgToPng(svg: string, scale: number, fontFiles: string[] = []): Promise<Uint8Array> {
  let Resvg: typeof ResvgClass;
  try {
    ({ Resvg } = await import("@resvg/resvg-js"));
  } catch (err) {
    throw new FsmError({ code: "png-unavailable", message: `PNG needs @resvg/resvg-js, which could not be loaded: ${err instanceof Error ? err.message : String(err)}.`, hint: "Reinstall with npm install, or export SVG and convert it with any viewer." });
  }
  const r = new Resvg(svg, { fitTo: { mode: "zoom", value: scale }, font: { loadSystemFonts: fontFiles.length === 0, fontFiles, defaultFontFamily: "DejaVu Sans" }, background: "rgba(0,0,0,0)" });
  return r.render().asPng();
}
