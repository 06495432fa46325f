/**
 * The targets opened recently (folders, logs, databases, machines), newest first, for the start
 * screen — kept in the user's config folder, private to the user. A damaged file is ignored.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { RecentTarget } from "../../shared/ipc/replay";
import { readRegularFile } from "./fs/regular-file";

const MAX = 20;

/** The user's config folder for FSM Inspector: $FSM_INSPECTOR_CONFIG_DIR, else the platform's. */
export function defaultConfigDir(): string {
  const env = process.env["FSM_INSPECTOR_CONFIG_DIR"];
  if (env) return env;
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Application Support", "fsm-inspector");
  if (process.platform === "win32") return path.join(process.env["APPDATA"] ?? path.join(home, "AppData", "Roaming"), "fsm-inspector");
  return path.join(process.env["XDG_CONFIG_HOME"] ?? path.join(home, ".config"), "fsm-inspector");
}

function valid(v: unknown): v is RecentTarget {
  const r = v as Partial<RecentTarget>;
  return typeof v === "object" && v !== null && ["folder", "log", "database", "machine"].includes(r.kind ?? "") && typeof r.target === "string" && typeof r.title === "string" && typeof r.openedAt === "string";
}

export class RecentTargets {
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(configDir: string = defaultConfigDir()) {
    this.file = path.join(configDir, "recent.json");
  }

  async list(): Promise<RecentTarget[]> {
    try {
      const doc = JSON.parse(await readRegularFile(this.file, 1024 * 1024)) as unknown;
      return Array.isArray(doc) ? doc.filter(valid).slice(0, MAX) : [];
    } catch {
      return [];
    }
  }

  /** Puts a target first (once: the same kind, target and profile replace the older entry). */
  add(entry: RecentTarget): Promise<void> {
    this.writing = this.writing.then(async () => {
      const same = (r: RecentTarget): boolean => r.kind === entry.kind && r.target === entry.target && r.profileId === entry.profileId;
      const next = [entry, ...(await this.list()).filter((r) => !same(r))].slice(0, MAX);
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
      await fs.rename(tmp, this.file);
    }).catch(() => undefined);
    return this.writing;
  }
}
