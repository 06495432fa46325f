/**
 * The backend's sandbox writers: "Sandbox files" for each sandbox that turns them on (a new folder
 * of its own under the system's temp folder, never one the client names), and exports of a run to
 * a path the desktop app's save dialog chose. Both refuse any folder another session watches.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FsmError } from "../../../shared/errors";
import type { SandboxRun, SandboxStep } from "../../../shared/sandbox/run";
import { exportSandboxRun } from "./export";
import { SandboxFolderWriter } from "./folder-writer";

/** Sandboxes writing files at once: each holds a folder and, for some profiles, locks. */
export const MAX_SANDBOX_WRITERS = 16;

export interface StartedFiles {
  writerId: string;
  /** The sandbox's own folder. */
  folder: string;
  /** The folder to watch as a target (ecluse: the repo folder holding .ecluse). */
  dataFolder: string;
}

export class SandboxFiles {
  private readonly writers = new Map<string, SandboxFolderWriter>();

  constructor(private readonly watched: () => string[]) {}

  async start(profileId: string, initial: Record<string, string>, startMs: number): Promise<StartedFiles> {
    if (this.writers.size >= MAX_SANDBOX_WRITERS) {
      throw new FsmError({ code: "too-many-writers", message: `${MAX_SANDBOX_WRITERS} sandboxes are writing files already.`, hint: "Turn Sandbox files off in a sandbox you no longer need, or close it." });
    }
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), `fsm-inspector-sandbox-${profileId.replace(/[^\w-]/g, "_")}-`));
    try {
      const writer = await SandboxFolderWriter.create(folder, profileId, { watched: this.watched(), initial, startMs });
      const writerId = randomUUID();
      this.writers.set(writerId, writer);
      return { writerId, folder, dataFolder: writer.dataFolder };
    } catch (err) {
      await fs.rm(folder, { recursive: true, force: true });
      throw err;
    }
  }

  async step(writerId: string, step: SandboxStep): Promise<void> {
    const writer = this.writers.get(writerId);
    if (!writer) throw new FsmError({ code: "sandbox-closed", message: "This sandbox no longer writes files.", hint: "Turn Sandbox files on again." });
    await writer.write(step);
  }

  /** Stops writing; the folder and its files stay, for the user to look at or watch. */
  async stop(writerId: string): Promise<void> {
    const writer = this.writers.get(writerId);
    this.writers.delete(writerId);
    await writer?.close();
  }

  async export(run: SandboxRun, target: string): Promise<{ files: string[] }> {
    return exportSandboxRun(run, target, { watched: this.watched() });
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.writers.values()].map((w) => w.close()));
    this.writers.clear();
  }
}
