// @vitest-environment happy-dom
/**
 * Exports of statecharts keep the hierarchy: Mermaid composite states (read back by Mermaid's own
 * parser), with `--` between a parallel state's regions and H / H* for history states; Graphviz
 * clusters (laid out by Graphviz itself, @viz-js/viz), dashed for regions, circles for history.
 */
import { describe, expect, it } from "vitest";
import mermaid from "mermaid";
import { instance as vizInstance } from "@viz-js/viz";
import type { MachineDefinition } from "../../shared/machine/definition";
import { exportText, prepareExport } from "../../shared/diagram/export/formats";
import { toMermaid } from "../../shared/diagram/export/mermaid";
import { toDot } from "../../shared/diagram/export/dot";
import { validateMachine } from "../../shared/machine/validate";

const NESTED: MachineDefinition = {
  id: "lease",
  initial: "idle",
  states: {
    idle: { on: { acquire: "held" } },
    held: {
      initial: "active",
      states: {
        active: { initial: "ready", states: { ready: { on: { work: "busy" } }, busy: { after: { "5000": "#lease.held.stalled" } } }, on: { pause: "paused" } },
        paused: { on: { resume: "active.busy" } },
        stalled: { type: "final" },
      },
      on: { release: "idle" },
      onDone: "idle",
    },
  },
};

const PARALLEL: MachineDefinition = {
  id: "player",
  initial: "off",
  states: {
    off: { on: { start: { target: ["#player.on.audio.loud", "#player.on.video.hd"] } } },
    on: {
      type: "parallel",
      states: {
        audio: { initial: "muted", states: { muted: { on: { unmute: "loud" } }, loud: { on: { mute: "muted" } } } },
        video: { initial: "sd", states: { sd: { on: { hd: "hd" } }, hd: {} } },
        deep: { type: "history", history: "deep" },
      },
      on: { kill: "off" },
    },
  },
};

function picture(def: MachineDefinition) {
  const checked = validateMachine(def, { file: "m.json" });
  if (!checked.definition) throw new Error(JSON.stringify(checked.diagnostics));
  return prepareExport({ machine: checked.definition, title: def.id }).picture;
}

/** Mermaid's parse tree: each statement with its children (`doc`). */
interface Stmt {
  stmt: string;
  id?: string;
  type?: string;
  description?: string;
  doc?: Stmt[];
  state1?: Stmt;
  state2?: Stmt;
}

async function parsed(text: string): Promise<Stmt[]> {
  mermaid.initialize({ startOnLoad: false });
  await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: "stateDiagram" });
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as { getRootDocV2(): { doc: Stmt[] } };
  return db.getRootDocV2().doc;
}

/** The composite state with this label, anywhere in the tree. */
function composite(doc: Stmt[], label: string): Stmt | undefined {
  for (const s of doc) {
    if (s.stmt === "state" && s.description === label && s.doc) return s;
    const inner = s.doc ? composite(s.doc, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** Mermaid keeps `#42;` entities as `ﬂ°°42¶ß` until it draws them. */
const decoded = (text: string): string => text.replace(/ﬂ°°(\d+)¶ß/g, (_m, code: string) => String.fromCodePoint(Number(code)));
const labels = (doc: Stmt[] | undefined): string[] => (doc ?? []).filter((s) => s.stmt === "state" && s.type !== "divider").map((s) => decoded(s.description ?? ""));

describe("Mermaid export of statecharts", () => {
  it("compound states are composite states with their children and their own [*], parsed by Mermaid", async () => {
    const text = toMermaid(picture(NESTED));
    expect(text).toContain('state "held" as s1 {');
    const doc = await parsed(text);
    expect(labels(doc)).toEqual(["idle", "held"]);
    const held = composite(doc, "held");
    expect(labels(held?.doc)).toEqual(["active", "paused", "stalled"]);
    expect(labels(composite(doc, "active")?.doc)).toEqual(["ready", "busy"]);
    // The composite's own initial and final pseudo-states are inside it.
    const rels = (held?.doc ?? []).filter((s) => s.stmt === "relation");
    expect(rels.some((r) => r.state1?.id === `${held?.id ?? ""}_start`)).toBe(true);
    expect(rels.some((r) => r.state2?.id === `${held?.id ?? ""}_end`)).toBe(true);
    expect(text).toContain(" : after 5 s");
    expect(text).toContain(" : release / done");
  });

  it("parallel regions are separated by --, history states are H*, with a comment saying why", async () => {
    const text = toMermaid(picture(PARALLEL));
    expect(text).toContain("%% History states are drawn as states named H (shallow history) and H* (deep history)");
    expect(text).toMatch(/state "on" as s1 \{\n {4}state "audio" as s2 \{[^]*\n {4}\}\n {4}state "H#42;" as s\d+\n {4}--\n {4}state "video" as s\d+ \{/);
    const doc = await parsed(text);
    const on = composite(doc, "on");
    const dividers = (on?.doc ?? []).filter((s) => s.type === "divider");
    expect(dividers.map((d) => labels(d.doc))).toEqual([["audio", "H*"], ["video"]]);
  });

  it("a flat machine has no composite", () => {
    const text = toMermaid(picture({ id: "flat", initial: "a", states: { a: { on: { go: "b" } }, b: { type: "final" } } }));
    expect(text).toBe('stateDiagram-v2\n  direction TB\n  state "a" as s0\n  state "b" as s1\n  [*] --> s0\n  s0 --> s1 : go\n  s1 --> [*]\n  classDef pseudo stroke-dasharray: 4 3\n  classDef unseen fill:#f3f4f6,color:#8c959f,stroke:#c9d1d9\n');
  });
});

describe("DOT export of statecharts", () => {
  it("compound and parallel states are clusters with their children; regions dashed; history circles; Graphviz lays it out", async () => {
    const nested = toDot(picture(NESTED));
    expect(nested).toContain("compound=true");
    expect(nested).toMatch(/subgraph "cluster_held" \{\n {4}graph \[label="held", style="rounded"[^\n]*\n {4}"held" \[shape=point, style=invis[^\n]*\n {4}"__initial__held" [^\n]*\n {4}subgraph "cluster_held\.active" \{/);
    expect(nested).toContain('"idle" -> "held" [label="acquire", lhead="cluster_held"];');
    expect(nested).toContain('"held" -> "idle" [label="release\\ndone", ltail="cluster_held"];');
    const parallel = toDot(picture(PARALLEL));
    expect(parallel).toMatch(/subgraph "cluster_on\.audio" \{\n {6}graph \[label="audio", style="rounded,dashed"/);
    expect(parallel).toContain('"on.deep" [shape=circle, label="H*"');
    expect(parallel).toContain('"off" -> "on.audio.loud" [label="start"];');
    const viz = await vizInstance();
    for (const dot of [nested, parallel]) {
      const out = viz.render(dot, { format: "svg" });
      expect(out.errors.filter((e) => e.level === "error"), JSON.stringify(out.errors)).toEqual([]);
      expect(out.errors, "Graphviz warns about nothing (lhead/ltail all valid)").toEqual([]);
      expect(out.output).toContain('class="cluster"');
    }
  });

  it("every format of a statechart through the one entry point", () => {
    const req = { machine: PARALLEL, title: "player" };
    const { picture: p } = prepareExport(req);
    expect(exportText("mermaid", req, p)).toContain("--");
    expect(exportText("dot", req, p)).toContain("subgraph");
    expect(exportText("scxml", req, p)).toContain('<parallel id="on">');
    expect(JSON.parse(exportText("xstate", req, p))).toMatchObject({ states: { on: { type: "parallel" } } });
  });
});
