import type { Profile } from "../../../shared/profiles/profile";
import { JsonlLogTail } from "../sources/jsonl-log";
import { StateFileWatcher } from "../sources/state-file";
import type { Clock, Emit, Source } from "../sources/types";

/** The sources a profile asks for, on the data folder `root`. */
export function sourcesForProfile(profile: Profile, root: string, emit: Emit, clock: Clock): Source[] {
  const instance = profile.instances.kind === "single" ? profile.instances.id : "default";
  const out: Source[] = [];
  for (const spec of profile.sources) {
    switch (spec.kind) {
      case "state-file":
        out.push(new StateFileWatcher(root, spec, instance, emit, clock));
        break;
      case "jsonl-log":
        out.push(new JsonlLogTail(root, spec, instance, emit, clock));
        break;
      default:
        break;
    }
  }
  return out;
}
