/**
 * Finished diagram layouts kept in the user's cache folder, so a machine opened before is drawn
 * in its final layout at once instead of waiting for elk again. One file per key (the machine's
 * shape and the direction), written atomically, private to the user; at most MAX_ENTRIES kept.
 * What comes back from disk is checked like any other input: a damaged file is a miss.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dict, type Dict } from "../../shared/dict";
import type { Box, EdgeRoute, Layout, Point } from "../../shared/diagram/layout";
import { FsmError } from "../../shared/errors";
import { readRegularFile } from "./fs/regular-file";

const MAX_ENTRIES = 500;
const MAX_BYTES = 8 * 1024 * 1024;

/** The user's cache folder for FSM Inspector: $FSM_INSPECTOR_CACHE_DIR, else the platform's. */
export function defaultCacheDir(): string {
  const env = process.env["FSM_INSPECTOR_CACHE_DIR"];
  if (env) return env;
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Caches", "fsm-inspector");
  if (process.platform === "win32") return path.join(process.env["LOCALAPPDATA"] ?? path.join(home, "AppData", "Local"), "fsm-inspector", "Cache");
  return path.join(process.env["XDG_CACHE_HOME"] ?? path.join(home, ".cache"), "fsm-inspector");
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isPoint = (v: unknown): v is Point => typeof v === "object" && v !== null && isNum((v as Point).x) && isNum((v as Point).y);
const isBox = (v: unknown): v is Box => isPoint(v) && isNum((v as Box).width) && isNum((v as Box).height);

/** A layout rebuilt from untrusted JSON (a client's, or a file's): only finite numbers, only known fields; undefined if it is not one. */
export function checkedLayout(v: unknown): Layout | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const raw = v as { nodes?: unknown; edges?: unknown; engine?: unknown; ms?: unknown };
  if (raw.engine !== "elk" || typeof raw.nodes !== "object" || raw.nodes === null || typeof raw.edges !== "object" || raw.edges === null) return undefined;
  const nodes: Dict<Box> = dict();
  for (const [id, b] of Object.entries(raw.nodes)) {
    if (!isBox(b)) return undefined;
    nodes[id] = { x: b.x, y: b.y, width: b.width, height: b.height };
  }
  const edges: Dict<EdgeRoute> = dict();
  for (const [id, e] of Object.entries(raw.edges as object)) {
    const route = e as { points?: unknown; label?: unknown };
    if (!Array.isArray(route.points) || !route.points.every(isPoint)) return undefined;
    const out: EdgeRoute = { points: route.points.map((p: Point) => ({ x: p.x, y: p.y })) };
    if (route.label !== undefined) {
      if (!isBox(route.label)) return undefined;
      out.label = { x: route.label.x, y: route.label.y, width: route.label.width, height: route.label.height };
    }
    edges[id] = out;
  }
  const layout: Layout = { nodes, edges, engine: "elk" };
  if (isNum(raw.ms)) layout.ms = raw.ms;
  return layout;
}

export class LayoutCache {
  private readonly dir: string;

  constructor(cacheDir: string = defaultCacheDir()) {
    this.dir = path.join(cacheDir, "layouts");
  }

  private file(key: string): string {
    return path.join(this.dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  }

  async get(key: string): Promise<Layout | null> {
    try {
      const text = await readRegularFile(this.file(key), MAX_BYTES);
      const doc = JSON.parse(text) as { key?: unknown; layout?: unknown };
      return doc.key === key ? (checkedLayout(doc.layout) ?? null) : null;
    } catch {
      return null;
    }
  }

  async put(key: string, layout: unknown): Promise<null> {
    const checked = checkedLayout(layout);
    if (!checked) throw new FsmError({ code: "bad-request", message: "cacheLayout: the layout is not a finished elk layout (boxes and routes of finite numbers)." });
    const text = JSON.stringify({ key, layout: checked });
    if (text.length > MAX_BYTES) throw new FsmError({ code: "bad-request", message: `cacheLayout: the layout is over ${MAX_BYTES} bytes.` });
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, text, { mode: 0o600 });
    await fs.rename(tmp, file);
    await this.prune();
    return null;
  }

  /** Keep the newest MAX_ENTRIES files. */
  private async prune(): Promise<void> {
    const names = (await fs.readdir(this.dir)).filter((n) => n.endsWith(".json"));
    if (names.length <= MAX_ENTRIES) return;
    const aged = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(this.dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
    aged.sort((a, b) => a.t - b.t);
    await Promise.all(aged.slice(0, names.length - MAX_ENTRIES).map(({ n }) => fs.rm(path.join(this.dir, n), { force: true })));
  }
}
