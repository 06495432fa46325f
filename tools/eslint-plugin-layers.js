// The folder decides what a file may import (DESIGN.md, "Import rules"). Like VS Code's
// code-layering rule, it resolves each relative import to the layer it lands in, and checks bare
// imports (Node built-ins, electron, libraries) against what the importing layer may use.
import path from "node:path";
import { builtinModules } from "node:module";

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** Pure libraries shared/ may use (no I/O, no DOM, no Node). */
export const SHARED_LIBRARIES = ["xstate", "yaml", "fast-xml-parser", "re2js", "@eslint-community/regexpp", "elkjs"];

/** Libraries that need Node or native code: never in the renderer or shared/. */
const NODE_ONLY = ["ws", "pg", "koffi", "tsx", "esbuild", "vite"];
/** Libraries that need a DOM: never in the backend or shared/. */
const BROWSER_ONLY = ["react", "react-dom", "@xyflow/react", "zustand", "@xstate/react"];

/** Layers, most specific first: [folder prefix, name]. */
const LAYERS = [
  ["shared/", "shared"],
  ["electron/node/", "node"],
  ["electron/main/", "main"],
  ["electron/preload/", "preload"],
  ["renderer/", "renderer"],
];

/** Which layers each layer may import from (relative imports). */
const MAY_IMPORT = {
  shared: ["shared"],
  node: ["node", "shared"],
  main: ["main", "node", "shared"],
  preload: ["preload", "shared"],
  renderer: ["renderer", "shared"],
};

/**
 * Inside a layer, each folder may import only the folders listed here (and itself): the table is
 * a layering with no way back, so a cycle between folders fails lint (a test checks the table has
 * none). "." is the files directly in the layer's folder. A new folder is added here with what it
 * may import, below what imports it.
 */
export const FOLDERS = {
  shared: {
    base: "shared/",
    may: {
      ".": [],
      regex: ["."],
      machine: ["."],
      profiles: [".", "machine", "regex"],
      trace: [".", "machine", "profiles", "regex"],
      diagram: [".", "machine", "trace"],
      sandbox: [".", "machine", "profiles", "trace"],
      ipc: [".", "diagram", "machine", "profiles", "sandbox", "trace"],
      replay: [".", "ipc", "machine", "trace"],
      recording: [".", "ipc", "machine", "profiles", "trace"],
    },
  },
  node: {
    base: "electron/node/",
    may: {
      fs: [],
      sources: ["fs"],
      target: ["fs", "sources"],
      check: ["fs", "sources", "target"],
      replay: ["check", "fs", "sources", "target"],
      recording: ["fs"],
      session: ["check", "fs", "recording", "replay", "sources", "target"],
      export: ["check", "fs", "target"],
      sandbox: ["fs"],
      demo: ["fs", "sandbox"],
      ".": ["check", "demo", "export", "fs", "recording", "replay", "sandbox", "session", "sources", "target"],
      server: ["."],
      cli: [".", "check", "demo", "export", "fs", "recording", "replay", "server", "session", "sources", "target"],
    },
  },
  renderer: {
    base: "renderer/src/",
    may: {
      styles: [],
      transport: [],
      store: [],
      hooks: ["store"],
      graph: ["hooks", "store"],
      features: ["graph", "hooks", "store", "transport"],
      app: ["features", "graph", "hooks", "store", "transport"],
      bench: ["graph", "hooks", "store", "styles", "transport"],
      ".": ["app", "features", "graph", "hooks", "store", "styles", "transport"],
    },
  },
};

/** The folder of a file inside its layer's table ("." for files at the top), or undefined. */
export function folderOf(layer, file) {
  const table = FOLDERS[layer];
  if (!table) return undefined;
  const rel = path.relative(REPO, file).split(path.sep).join("/");
  if (!rel.startsWith(table.base)) return undefined;
  const parts = rel.slice(table.base.length).split("/");
  return parts.length === 1 ? "." : parts[0];
}

/** Why a file of `layer` in folder `from` may not import folder `to` of the same layer, or undefined. */
export function checkFolder(layer, from, to) {
  if (from === undefined || to === undefined || from === to) return undefined;
  const may = FOLDERS[layer].may;
  const base = FOLDERS[layer].base;
  const name = (f) => (f === "." ? `the files of ${base}` : `${base}${f}/`);
  if (!may[from]) return `${name(from)} is not in the folder rules: add it to FOLDERS.${layer} in tools/eslint-plugin-layers.js with the folders it may import.`;
  if (!may[to]) return `${name(to)} is not in the folder rules: add it to FOLDERS.${layer} in tools/eslint-plugin-layers.js with the folders it may import.`;
  if (may[from].includes(to)) return undefined;
  const allowed = may[from].length ? may[from].map(name).join(", ") : "no other folder";
  return `${name(from)} may not import ${name(to)} (it may import ${allowed}): folders import downwards only, so there is no cycle between them. Move what both need to a folder below both.`;
}

export function layerOf(file) {
  const rel = path.relative(REPO, file).split(path.sep).join("/");
  for (const [prefix, name] of LAYERS) if (rel.startsWith(prefix)) return name;
  return undefined;
}

function packageName(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function isBuiltin(spec) {
  return spec.startsWith("node:") || builtinModules.includes(packageName(spec));
}

/** Why `spec` may not be imported from a file of `layer`, or undefined when it may. */
export function checkBare(layer, spec) {
  const pkg = packageName(spec);
  switch (layer) {
    case "shared":
      if (isBuiltin(spec)) return `shared/ is pure: no Node built-ins ("${spec}"). Move I/O to electron/node/.`;
      if (!SHARED_LIBRARIES.includes(pkg)) return `shared/ may only import pure libraries (${SHARED_LIBRARIES.join(", ")}), not "${spec}". If it is pure, add it to SHARED_LIBRARIES in tools/eslint-plugin-layers.js.`;
      return undefined;
    case "node":
      if (pkg === "electron") return `electron/node/ is plain Node and never imports electron; put Electron code in electron/main/.`;
      if (BROWSER_ONLY.includes(pkg)) return `electron/node/ cannot use the browser library "${spec}".`;
      return undefined;
    case "main":
      if (BROWSER_ONLY.includes(pkg)) return `electron/main/ cannot use the browser library "${spec}".`;
      return undefined;
    case "preload":
      if (pkg !== "electron") return `the preload only imports electron and shared/, not "${spec}".`;
      return undefined;
    case "renderer":
      if (isBuiltin(spec)) return `renderer/ runs in the browser: no Node built-ins ("${spec}").`;
      if (pkg === "electron") return `renderer/ never imports electron; use the typed API from the preload (shared/ipc/contract.ts).`;
      if (NODE_ONLY.includes(pkg)) return `renderer/ cannot use the Node-only library "${spec}".`;
      return undefined;
    default:
      return undefined;
  }
}

const rule = {
  meta: {
    type: "problem",
    docs: { description: "Enforce the layer import rules of DESIGN.md" },
    schema: [],
    messages: { layer: "{{why}}" },
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (!layer) return {};
    const check = (node, source) => {
      if (!source || source.type !== "Literal" || typeof source.value !== "string") return;
      const spec = source.value;
      let why;
      if (spec.startsWith(".")) {
        const target = path.resolve(path.dirname(file), spec);
        const targetLayer = layerOf(target);
        const rel = path.relative(REPO, target).split(path.sep).join("/");
        if (!targetLayer) why = `${layer} code cannot import "${spec}" (${rel}), which is outside the app's layers.`;
        else if (!MAY_IMPORT[layer].includes(targetLayer)) why = `${layer} code cannot import from ${targetLayer} ("${spec}"). Allowed: ${MAY_IMPORT[layer].join(", ")}.`;
        else if (targetLayer === layer && FOLDERS[layer]) why = checkFolder(layer, folderOf(layer, file), folderOf(layer, target));
      } else {
        why = checkBare(layer, spec);
      }
      if (why) context.report({ node, messageId: "layer", data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === "Identifier" && node.callee.name === "require") check(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { imports: rule } };
