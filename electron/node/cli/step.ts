import type { Json } from "../../../shared/machine/definition";
import { isMachineState, normalize } from "../../../shared/machine/normalize";
import { step } from "../../../shared/machine/step";
import { isJsonObject } from "../../../shared/trace/fields";
import { flagString, UsageError, type ParsedArgs } from "./args";
import { resolveProfileArg } from "./profile-arg";
import { terminalJson, terminalText } from "../../../shared/terminal-text";

/** A flag holding a JSON object (`--payload`, `--context`), or undefined when not given. */
function jsonObjectFlag(args: ParsedArgs, name: string, example: string): Record<string, Json> | undefined {
  const text = flagString(args, name);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${name} is not valid JSON (${(err as Error).message}); write it like '${example}'`);
  }
  if (!isJsonObject(parsed as Json)) throw new UsageError(`--${name} must be a JSON object, like '${example}'`);
  return parsed as Record<string, Json>;
}

export async function runStepCommand(args: ParsedArgs): Promise<number> {
  const need = (name: string): string => {
    const v = flagString(args, name);
    if (v === undefined) throw new UsageError(`--${name} is required. Usage: fsm-inspector step --profile P --state S --event E [--payload JSON] [--context JSON] [--json]`);
    return v;
  };
  const profileArg = need("profile");
  const state = need("state");
  const event = need("event");
  const payload = jsonObjectFlag(args, "payload", '{"sleep_eligible": true}');
  const context = jsonObjectFlag(args, "context", '{"endRequested": true}');
  const profile = await resolveProfileArg(profileArg);
  const m = normalize(profile.machine);
  if (!isMachineState(m, state)) {
    process.stderr.write(terminalText(`fsm-inspector step: "${state}" is not a state of ${profile.id}. States: ${m.states.join(", ")}.`) + "\n");
    return 2;
  }
  const r = step(profile.machine, state, event, payload ?? {}, context === undefined ? undefined : { ...m.context, ...context });
  const unknownEvent = !m.events.includes(event);
  const explanation = unknownEvent ? `${r.explanation} (${event} is not an event of ${profile.id}; its events: ${m.events.join(", ")}.)` : r.explanation;
  if (args.flags.has("json")) {
    const out = { next: r.next, outcome: r.outcome, guard: r.guard?.name ?? null, explanation, path: r.path, payload: r.guard?.payload ?? payload ?? {}, context: { ...r.context }, assignments: r.assignments };
    process.stdout.write(`${terminalJson(out)}\n`);
  } else {
    process.stdout.write(`${terminalText(explanation)}\n  next: ${terminalText(r.next)}  (${r.outcome}${r.guard ? `, guard ${terminalText(r.guard.name)}` : ""})\n`);
    if (Object.keys(r.context).length > 0) process.stdout.write(`  remembers: ${terminalText(Object.entries(r.context).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" "))}\n`);
  }
  return 0;
}
