/**
 * A whole sandbox run in its profile's own file format, as text, for "Export the sandbox run as a
 * log" (the writing is electron/node/sandbox/export.ts):
 * - iai-mcp: one JSONL lifecycle log, a `state_transition` line per hop (`trigger` = the event,
 *   `ts` as the daemon writes it);
 * - jumpstarter: one exporter log, `Starting new lease: <id>` before a lease's lines, a
 *   `Lease lifecycle transition: A -> B` line per hop;
 * - ecluse: a folder of successive `state.json` versions, `0001.json` (the start) then one per hop;
 * - duckgres: a folder of successive CSV dumps of `worker_records`, `snapshot-1.csv` (the start)
 *   then one per hop.
 * Steps that took no transition write nothing. Pure.
 */
import type { Profile } from "../profiles/profile";
import { requireProfile } from "../profiles";
import { WorkerTable, dumpName } from "./duckgres";
import { EcluseState } from "./ecluse";
import { iaiLogName, formatIaiLogLine, iaiTransitionLine } from "./iai-mcp";
import { JUMPSTARTER_LOG_FILE, JumpstarterLog, type JumpstarterLogOptions } from "./jumpstarter";
import { StepTracker, checkSingleInstance, sandboxProfileId, startStates, type SandboxProfileId, type SandboxRun } from "./run";
import { MicroClock, pythonIsoUs } from "./virtual-time";

export type SandboxExport =
  /** One log file: its text. */
  | { kind: "file"; profileId: SandboxProfileId; text: string; transitions: number }
  /** A folder of snapshots: each file's name and text, in order. */
  | { kind: "folder"; profileId: SandboxProfileId; files: { name: string; text: string }[]; transitions: number };


/** The instance id of a single-instance profile (iai-mcp's "daemon"). */
export function singleInstanceId(profile: Profile): string {
  return profile.instances.kind === "single" ? profile.instances.id : "daemon";
}

/** Whether a profile's run is exported as one file (a log) or a folder (snapshots, dumps). */
export function exportKind(profileId: string): "file" | "folder" {
  const id = sandboxProfileId(profileId);
  return id === "iai-mcp" || id === "jumpstarter" ? "file" : "folder";
}

/** A name to offer in the save dialog: `lifecycle-events-2026-06-10.jsonl`, `exporter.log`, `ecluse-sandbox`, `worker_records-sandbox`. */
export function suggestedExportName(run: SandboxRun): string {
  const id = sandboxProfileId(run.profileId);
  switch (id) {
    case "iai-mcp":
      return iaiLogName(new Date(run.steps[0]?.tsMs ?? run.startMs).toISOString());
    case "jumpstarter":
      return JUMPSTARTER_LOG_FILE;
    case "ecluse":
      return "ecluse-sandbox";
    case "duckgres":
      return "worker_records-sandbox";
  }
}

/** The run in its profile's format. Throws an FsmError for an unknown profile or a run whose steps do not follow each other. */
export function sandboxExport(run: SandboxRun, opts: JumpstarterLogOptions = {}): SandboxExport {
  const profileId = sandboxProfileId(run.profileId);
  const profile = requireProfile(profileId);
  const tracker = new StepTracker(run.initial);
  const clock = new MicroClock();
  let transitions = 0;
  switch (profileId) {
    case "iai-mcp": {
      const daemon = singleInstanceId(profile);
      let text = "";
      for (const step of run.steps) {
        checkSingleInstance(daemon, step, tracker.steps);
        for (const h of tracker.plan(step)) {
          text += formatIaiLogLine(iaiTransitionLine(pythonIsoUs(clock.at(h.tsMs)), h.from, h.to, h.event));
          transitions += 1;
        }
        tracker.commit(step);
      }
      return { kind: "file", profileId, text, transitions };
    }
    case "jumpstarter": {
      const log = new JumpstarterLog(profile, opts);
      let text = "";
      for (const step of run.steps) {
        transitions += tracker.plan(step).length;
        text += log.step(step, clock).join("");
        tracker.commit(step);
      }
      return { kind: "file", profileId, text, transitions };
    }
    case "ecluse":
    case "duckgres": {
      const start = clock.at(run.startMs);
      const table = profileId === "ecluse" ? new EcluseState(profile, startStates(run), start) : new WorkerTable(startStates(run), start, profile.machine.initial);
      const texts = [table instanceof EcluseState ? table.text() : table.csv()];
      for (const step of run.steps) {
        for (const h of tracker.plan(step)) {
          table.hop(h.instance, h.to, clock.at(h.tsMs), h.payload);
          texts.push(table instanceof EcluseState ? table.text() : table.csv());
          transitions += 1;
        }
        tracker.commit(step);
      }
      const width = Math.max(4, String(texts.length).length);
      const name = (i: number): string => (profileId === "ecluse" ? `${String(i + 1).padStart(width, "0")}.json` : dumpName(i + 1));
      return { kind: "folder", profileId, files: texts.map((text, i) => ({ name: name(i), text })), transitions };
    }
  }
}
