/**
 * `fsm-inspector export`, proven with each format's real tools: DOT laid out by Graphviz
 * (@viz-js/viz), SCXML and XState JSON read back by our importers (and XState's createMachine),
 * PNG decoded at 1× and 2×; the observed variant of a real log; hostile names in every format; and
 * the exit code and message for what cannot be exported.
 */
import fs from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createMachine } from "xstate";
import { instance as vizInstance } from "@viz-js/viz";
import { normalize } from "../../../shared/machine/normalize";
import { importXState } from "../../../shared/machine/formats/xstate-json";
import { importScxml } from "../../../shared/machine/formats/scxml";
import { findProfile } from "../../../shared/profiles";
import { prepareExport, exportText } from "../../../shared/diagram/export/formats";
import type { MachineDefinition } from "../../../shared/machine/definition";
import { cli } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";
import { HOSTILE_STATES, hostileMachine } from "../../helpers/hostile-machine";

const BUILTINS = ["iai-mcp", "jumpstarter", "ecluse", "duckgres"] as const;
const FIX = path.join(import.meta.dirname, "..", "..", "fixtures");

function machineOf(id: string): MachineDefinition {
  const p = findProfile(id);
  if (!p) throw new Error(id);
  return p.machine;
}

/** (from, event, to, guard) of every declared transition, for comparing machines. */
function transitions(def: MachineDefinition): string[] {
  return normalize(def)
    .edges.map((e) => JSON.stringify([e.from, e.event, e.to, e.targetless, e.guard ? [e.guard.type, e.guard.params] : null]))
    .sort();
}

/** Width and height of a PNG, after checking its image data inflates to exactly that many RGBA rows. */
function decodePng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  let at = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (at < bytes.length) {
    const len = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString("latin1");
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colorType = data[9] ?? 0;
    } else if (type === "IDAT") idat.push(data);
    at += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 4 ? 2 : 1;
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels));
  return { width, height };
}

describe("export of the four built-in machines", () => {
  it.each(BUILTINS)("%s: DOT is laid out by Graphviz with every state; SCXML and XState JSON read back to the same machine", async (id) => {
    const def = machineOf(id);
    const dir = tempDir();
    const viz = await vizInstance();
    const dot = await cli(["export", "--profile", id, "--format", "dot"]);
    expect(dot.code, dot.stderr).toBe(0);
    const drawn = viz.renderString(dot.stdout, { format: "svg" });
    for (const s of normalize(def).states) expect(drawn).toContain(`>${s}<`);

    const scxml = await cli(["export", "--profile", id, "--format", "scxml", "-o", path.join(dir, "m.scxml")]);
    expect(scxml.code, scxml.stderr).toBe(0);
    const back = importScxml(fs.readFileSync(path.join(dir, "m.scxml"), "utf8"), "m.scxml");
    expect(back.definition, JSON.stringify(back.diagnostics)).toBeDefined();
    expect(transitions(back.definition as MachineDefinition)).toEqual(transitions(def));

    const xs = await cli(["export", "--profile", id, "--format", "xstate"]);
    expect(xs.code, xs.stderr).toBe(0);
    const parsed = JSON.parse(xs.stdout) as unknown;
    const imported = importXState(parsed, "m.json");
    expect(imported.definition, JSON.stringify(imported.diagnostics)).toBeDefined();
    expect(transitions(imported.definition as MachineDefinition)).toEqual(transitions(def));
    // Stately Studio's runtime takes it as it is.
    expect(() => createMachine(parsed as Parameters<typeof createMachine>[0])).not.toThrow();
  });

  it("PNG decodes, at 1× and twice the size at 2×", async () => {
    const dir = tempDir();
    const one = await cli(["export", "--profile", "iai-mcp", "--format", "png", "-o", path.join(dir, "1.png")]);
    expect(one.code, one.stderr).toBe(0);
    const two = await cli(["export", "--profile", "iai-mcp", "--format", "png", "--scale", "2", "-o", path.join(dir, "2.png")]);
    expect(two.code, two.stderr).toBe(0);
    const a = decodePng(fs.readFileSync(path.join(dir, "1.png")));
    const b = decodePng(fs.readFileSync(path.join(dir, "2.png")));
    expect(a.width).toBeGreaterThan(200);
    expect(b.width).toBe(a.width * 2);
    expect(b.height).toBe(a.height * 2);
  });

  it("the observed variant of the real iai-mcp log: counts, dwell, no file paths unless asked", async () => {
    const folder = path.join(FIX, "iai-mcp", "home", ".iai-mcp");
    const plain = await cli(["export", "--profile", "iai-mcp", "--format", "dot", "--observed", folder]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/×\d+/);
    expect(plain.stdout).toContain("p50 ");
    expect(plain.stdout).not.toContain(folder);
    const withSources = await cli(["export", "--profile", "iai-mcp", "--format", "mermaid", "--observed", folder, "--with-sources"]);
    expect(withSources.stdout).toContain(folder);
    const scxml = await cli(["export", "--profile", "iai-mcp", "--format", "scxml", "--observed", folder]);
    expect(scxml.code).toBe(2);
    expect(scxml.stderr).toContain("declared machine only");
  });

  it("exit 2, with what to do, for an unknown format, PNG without -o, an unreadable machine and an empty one", async () => {
    const dir = tempDir();
    const unknown = await cli(["export", "--profile", "iai-mcp", "--format", "gif"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown format "gif": use one of svg, png, mermaid, dot, scxml, xstate');
    const png = await cli(["export", "--profile", "iai-mcp", "--format", "png"]);
    expect(png.code).toBe(2);
    expect(png.stderr).toContain("-o FILE");
    fs.writeFileSync(path.join(dir, "broken.json"), "{ not json");
    const broken = await cli(["export", "--profile", path.join(dir, "broken.json"), "--format", "svg"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("broken.json");
    fs.writeFileSync(path.join(dir, "empty.json"), JSON.stringify({ id: "empty", initial: "a", states: {} }));
    const empty = await cli(["export", "--profile", path.join(dir, "empty.json"), "--format", "dot"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no states");
  });
});

describe("hostile names, self-loops, parallel edges, from-any, guards, finals, eventless", () => {
  const def = hostileMachine();
  const req = { machine: def, title: 'hostile "machine"' };
  const { picture } = prepareExport(req);

  it("DOT: Graphviz lays it out with every state", async () => {
    const viz = await vizInstance();
    const svg = viz.renderString(exportText("dot", req, picture), { format: "svg" });
    const text = svg.replace(/&#45;/g, "-").replace(/&quot;/g, '"').replace(/&gt;/g, ">").replace(/&lt;/g, "<").replace(/&amp;/g, "&").replace(/&#92;/g, "\\");
    for (const s of HOSTILE_STATES) expect(text, s).toContain(s);
  });

  it("SCXML and XState JSON read back to the same machine", () => {
    const scxml = importScxml(exportText("scxml", req, picture), "h.scxml");
    expect(scxml.definition, JSON.stringify(scxml.diagnostics)).toBeDefined();
    expect(transitions(scxml.definition as MachineDefinition)).toEqual(transitions(def));
    const xs = importXState(JSON.parse(exportText("xstate", req, picture)), "h.json");
    expect(xs.definition, JSON.stringify(xs.diagnostics)).toBeDefined();
    expect(transitions(xs.definition as MachineDefinition)).toEqual(transitions(def));
  });
});

describe("the font travels with the picture", () => {
  it("an SVG carries the glyphs it uses (a few kilobytes of DejaVu Sans), and names it first", async () => {
    const r = await cli(["export", "--profile", "jumpstarter", "--format", "svg"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("@font-face{font-family:'FSM Inspector Sans';font-weight:400");
    expect(r.stdout).toContain("font-weight:700");
    expect(r.stdout).toContain(`font-family="'FSM Inspector Sans', `);
    expect(r.stdout.length).toBeLessThan(80_000);
  });

  it("PNG text is drawn with our fonts alone (no system font): the picture differs from one without text", async () => {
    const { embedFonts, fontFilesFor } = await import("../../../electron/node/export/fonts");
    const { Resvg } = await import("@resvg/resvg-js");
    const { layoutWithElk } = await import("../../../electron/node/export/layout");
    const req = { machine: machineOf("iai-mcp"), title: "iai-mcp" };
    const { picture, layoutRequest } = prepareExport(req);
    const svg = exportText("svg", req, picture, await layoutWithElk(layoutRequest));
    const files = await fontFilesFor(svg);
    const draw = (s: string): Buffer => Buffer.from(new Resvg(s, { font: { loadSystemFonts: false, fontFiles: files, defaultFontFamily: "DejaVu Sans" } }).render().pixels);
    const withText = draw(svg);
    const without = draw(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ""));
    let differing = 0;
    for (let i = 0; i < withText.length; i += 4) if (withText[i] !== without[i]) differing++;
    expect(differing).toBeGreaterThan(2000);
    expect((await embedFonts(svg)).length).toBeGreaterThan(svg.length);
  });
});
