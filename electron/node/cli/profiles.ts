import { BUILTIN_PROFILES } from "../../../shared/profiles";
import type { ParsedArgs } from "./args";

/** `fsm-inspector profiles [--json]`: the built-in profiles. */
export async function runProfilesCommand(args: ParsedArgs): Promise<number> {
  if (args.flags.has("json")) {
    process.stdout.write(`${JSON.stringify(BUILTIN_PROFILES.map((p) => ({ id: p.id, title: p.title, description: p.description })), null, 2)}\n`);
  } else {
    for (const p of BUILTIN_PROFILES) process.stdout.write(`${p.id.padEnd(14)} ${p.title}\n`);
  }
  return 0;
}
