/**
 * The font an exported diagram is drawn in, carried with it: DejaVu Sans (the font the layout's
 * text widths were measured with, from the @fontsource package), cut down to the characters the
 * picture uses — embedded in an SVG as @font-face (a few kilobytes), and given to resvg as TrueType
 * files for PNG, so the picture reads the same on a machine with no fonts at all.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { FsmError } from "../../../shared/errors";
import { SVG_FONTS } from "../../../shared/diagram/export/svg";

export const EMBEDDED_FAMILY = "FSM Inspector Sans";
const WEIGHTS = [400, 700] as const;

const require = createRequire(import.meta.url);

async function fontBytes(weight: (typeof WEIGHTS)[number]): Promise<Buffer> {
  try {
    return await fs.readFile(require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff2`));
  } catch (err) {
    throw new FsmError({ code: "font-missing", message: `the DejaVu Sans font files could not be read: ${err instanceof Error ? err.message : String(err)}.`, hint: "Reinstall with npm install." });
  }
}

async function subset(weight: (typeof WEIGHTS)[number], text: string, format: "woff2" | "truetype"): Promise<Buffer> {
  const { default: subsetFont } = await import("subset-font");
  return subsetFont(await fontBytes(weight), text, { targetFormat: format });
}

/** Every character an SVG shows (its text nodes, entities decoded). */
export function svgCharacters(svg: string): string {
  const text = [...svg.matchAll(/>([^<]+)</g)].map((m) => m[1] ?? "").join("");
  const decoded = text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, "&");
  return [...new Set(decoded)].join("") || " ";
}

/** The SVG with the glyphs it uses embedded, and its text set in them first. */
export async function embedFonts(svg: string): Promise<string> {
  const chars = svgCharacters(svg);
  const faces = await Promise.all(
    WEIGHTS.map(async (w) => `@font-face{font-family:'${EMBEDDED_FAMILY}';font-weight:${w};font-style:normal;src:url(data:font/woff2;base64,${(await subset(w, chars, "woff2")).toString("base64")}) format('woff2')}`),
  );
  return svg.replace("<defs>", `<defs>\n<style>${faces.join("")}</style>`).replace(`font-family="${SVG_FONTS}"`, `font-family="'${EMBEDDED_FAMILY}', ${SVG_FONTS}"`);
}

/** TrueType files (in the temp folder, reused) with the glyphs an SVG uses, for resvg. */
export async function fontFilesFor(svg: string): Promise<string[]> {
  const chars = svgCharacters(svg);
  const key = createHash("sha256").update(chars).digest("hex").slice(0, 16);
  const dir = path.join(os.tmpdir(), "fsm-inspector-fonts");
  await fs.mkdir(dir, { recursive: true });
  return Promise.all(
    WEIGHTS.map(async (w) => {
      const file = path.join(dir, `dejavu-sans-${w}-${key}.ttf`);
      const exists = await fs.stat(file).then(() => true, () => false);
      if (!exists) {
        const tmp = `${file}.${process.pid}.tmp`;
        await fs.writeFile(tmp, await subset(w, chars, "truetype"));
        await fs.rename(tmp, file);
      }
      return file;
    }),
  );
}
