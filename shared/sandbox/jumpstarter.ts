/**
 * jumpstarter's exporter log (../shared/reference/SYSTEMS.md §1): Python logging lines
 * `LEVEL:logger:message`, a lease's lines after its `Starting new lease: <id>` line, each phase
 * change as `Lease lifecycle transition: A -> B` at DEBUG from
 * `jumpstarter.exporter.lease_lifecycle`. With `timestamps` each line starts with `%(asctime)s`
 * in UTC (`2026-06-10 10:00:00,123 DEBUG:...`, a format users give the exporter's logging), so the
 * sandbox's virtual times survive; without, lines are exactly the exporter's default format.
 *
 * The exporter runs one lease at a time; a sandbox may step several in turn. Whenever the lease
 * changes, its `Starting new lease: <id>` line is written again, so each line belongs to the right
 * lease when read back. Every line is read back with the profile's own text-log parser before it
 * is handed out: a line that would not read as the intended lease and transition is refused.
 * Pure.
 */
import { FsmError } from "../errors";
import type { Profile, TextLogSource } from "../profiles/profile";
import { TextLogParser } from "../trace/parse-text";
import { logToken } from "./names";
import { hopsOf, type SandboxStep } from "./run";
import { asctimeUs, type MicroClock } from "./virtual-time";

export const JUMPSTARTER_EXPORTER_LOGGER = "jumpstarter.exporter.exporter";
export const JUMPSTARTER_LIFECYCLE_LOGGER = "jumpstarter.exporter.lease_lifecycle";
/** The log file a sandbox writes, named as the fixture's (and matched by the profile's `*.log`). */
export const JUMPSTARTER_LOG_FILE = "exporter.log";

export interface JumpstarterLogOptions {
  /** Start each line with `%(asctime)s` in UTC (default true). */
  timestamps?: boolean;
}

function textLogSource(profile: Profile): TextLogSource {
  const s = profile.sources.find((x): x is TextLogSource => x.kind === "text-log");
  if (!s) throw new FsmError({ code: "sandbox-unwritable", message: `profile ${profile.id} has no text-log source to write.` });
  return s;
}

export class JumpstarterLog {
  private readonly parser: TextLogParser;
  private readonly timestamps: boolean;
  private lease: string | undefined;
  private lineNo = 0;

  constructor(profile: Profile, opts: JumpstarterLogOptions = {}) {
    this.parser = new TextLogParser(textLogSource(profile), profile.instances);
    this.timestamps = opts.timestamps !== false;
  }

  /** The id a lease is written (and read back) under: whitespace and control characters replaced (see `logToken`). */
  static leaseId(instance: string): string {
    return logToken(instance);
  }

  /**
   * The lines (each with its newline) one step writes: its lease's start line when the log was on
   * another lease, then one transition line per hop. Nothing for a step that took no transition.
   */
  step(step: SandboxStep, clock: MicroClock): string[] {
    const hops = hopsOf(step);
    if (hops.length === 0) return [];
    const lease = JumpstarterLog.leaseId(step.instance);
    try {
      return this.lines(step, hops, lease, clock);
    } catch (err) {
      // Nothing of this step is written: the next step starts its lease again.
      this.lease = undefined;
      throw err;
    }
  }

  private lines(step: SandboxStep, hops: [string, string][], lease: string, clock: MicroClock): string[] {
    const out: string[] = [];
    if (lease !== this.lease) {
      out.push(this.line(clock.at(step.tsMs), "INFO", JUMPSTARTER_EXPORTER_LOGGER, `Starting new lease: ${lease}`, (obs) => this.parser.currentInstance === lease && obs.every((o) => o.kind === "event")));
      this.lease = lease;
    }
    for (const [from, to] of hops) {
      out.push(
        this.line(clock.at(step.tsMs), "DEBUG", JUMPSTARTER_LIFECYCLE_LOGGER, `Lease lifecycle transition: ${from} -> ${to}`, (obs) => {
          const t = obs[0];
          return obs.length === 1 && t?.kind === "transition" && t.instance === lease && t.from === from && t.to === to;
        }),
      );
    }
    return out;
  }

  private line(us: number, level: string, logger: string, message: string, readsBack: (obs: ReturnType<TextLogParser["line"]>) => boolean): string {
    const text = `${this.timestamps ? `${asctimeUs(us)} ` : ""}${level}:${logger}:${message}`;
    this.lineNo += 1;
    const obs = this.parser.line({ lineNo: this.lineNo, offset: 0, text, bytes: text.length + 1 }, JUMPSTARTER_LOG_FILE);
    if (/[\r\n]/.test(text) || !readsBack(obs)) {
      throw new FsmError({
        code: "sandbox-unwritable",
        message: `cannot write ${JSON.stringify(message)} in the exporter's log format: the profile's regular expressions would not read it back as written.`,
        hint: "Lease phases are written as the log's regular expression expects (letters A-Z and _); rename the state, or save a recording instead.",
      });
    }
    return `${text}\n`;
  }
}
