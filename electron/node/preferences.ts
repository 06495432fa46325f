/**
 * The user's preferences (shared/ipc/preferences.ts), kept in the user's config folder beside the
 * recently opened targets: written atomically, private to the user; a damaged or missing file
 * gives the defaults.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { checkedPreferences, type Preferences } from "../../shared/ipc/preferences";
import { readRegularFile } from "./fs/regular-file";
import { defaultConfigDir } from "./recent";

export class PreferencesFile {
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(configDir: string = defaultConfigDir()) {
    this.file = path.join(configDir, "preferences.json");
  }

  async get(): Promise<Preferences> {
    try {
      return checkedPreferences(JSON.parse(await readRegularFile(this.file, 1024 * 1024)));
    } catch {
      return {};
    }
  }

  /** Replaces what is kept with these (checked); writes one after another, the last one wins. */
  set(preferences: unknown): Promise<void> {
    const next = checkedPreferences(preferences);
    this.writing = this.writing
      .then(async () => {
        await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
        const tmp = `${this.file}.${process.pid}.tmp`;
        await fs.writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
        await fs.rename(tmp, this.file);
      })
      .catch(() => undefined);
    return this.writing;
  }
}
