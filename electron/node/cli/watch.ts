import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Observation, WarningObservation } from "../../../shared/trace/observation";
import { stuckInstances, stuckMessage } from "../../../shared/trace/stuck";
import { terminalJson, terminalText } from "../../../shared/terminal-text";
import { TraceSession, WATCH_HISTORY_BYTES } from "../session/trace-session";
import { resolveWatchTarget } from "../session/watch-target";
import { STDIN, STDIN_LABEL, stdinTarget } from "../target/target";
import { watchLine } from "../session/watch-json";
import { redactConnection } from "../sources/postgres/connection";
import { flagInt, flagString, UsageError, type ParsedArgs } from "./args";
import { resolveProfileArg } from "./profile-arg";

function human(o: Observation): string {
  return terminalText(humanRaw(o));
}

function humanRaw(o: Observation): string {
  const t = (o.ts ? /T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(o.ts)?.[1] : undefined) ?? "--:--:--";
  switch (o.kind) {
    case "state":
      return `${t} ${o.instance}: in ${o.state}${o.since ? ` since ${o.since}` : ""}`;
    case "transition":
      return `${t} ${o.instance}: ${o.from} → ${o.to}${o.event ? ` (${o.event})` : ""}${o.verdict && o.verdict !== "declared" ? `  [${o.verdict}]` : ""}`;
    case "event":
      return `${t} ${o.instance}: ${o.name}`;
    case "lock":
      if (o.unavailable) return `${t} lock ${path.basename(o.path)}: ${o.unavailable}`;
      return `${t} lock ${path.basename(o.path)}: ${o.holders.length ? o.holders.map((h) => `${h.type} ${h.mode} by pid ${h.pid}${h.comm ? ` (${h.comm})` : ""}${h.stale ? " — stale" : ""}`).join(", ") : "free"}${o.waiters.length ? `, ${o.waiters.length} waiting` : ""}`;
    case "signal":
      return `${t} signal ${path.basename(o.path)}: ${o.present ? `present${o.ageMs !== undefined ? `, ${Math.round(o.ageMs / 1000)} s old` : ""}${o.stale ? " — stale" : ""}` : "gone"}`;
    case "warning":
      return `${t} ${o.cleared ? "resolved" : "warning"}: ${o.message}${o.source.file ? ` (${path.basename(o.source.file)}${o.source.line ? `:${o.source.line}` : ""})` : ""}`;
  }
}

/** How often `watch` looks for stuck instances. */
const STUCK_CHECK_MS = 5000;

export async function runWatchCommand(args: ParsedArgs): Promise<number> {
  const [target, ...extra] = args.positionals;
  const connection = flagString(args, "connection");
  if (!target && !connection) throw new UsageError("which folder? Usage: fsm-inspector watch <folder-or-file> [--profile P] [--json]");
  if (extra.length) throw new UsageError(`one folder at a time (got also: ${extra.join(" ")})`);
  const json = args.flags.has("json");
  const historyBytes = flagInt(args, "history-bytes", 0) ?? WATCH_HISTORY_BYTES;
  const profileArg = flagString(args, "profile");
  let session: TraceSession;
  /** Resolves when standard input ends (`watch -`): then watching is over. */
  let stdinEnded = (): void => undefined;
  const inputEnded = new Promise<void>((resolve) => (stdinEnded = resolve));
  if (connection) {
    const profile = await resolveProfileArg(profileArg ?? "duckgres");
    const pollMs = flagInt(args, "interval", 50);
    session = new TraceSession({ id: randomUUID(), title: profile.title, kind: "live", profile, root: redactConnection(connection), clock: Date.now, spool: false, connection, ...(pollMs !== undefined ? { pollMs } : {}) });
  } else if (target === STDIN) {
    const { profile } = stdinTarget(profileArg ? await resolveProfileArg(profileArg) : undefined, process.cwd());
    const stream = { input: process.stdin, name: STDIN_LABEL, onEnd: () => stdinEnded() };
    session = new TraceSession({ id: randomUUID(), title: profile.title, kind: "live", profile, root: STDIN_LABEL, clock: Date.now, spool: false, detectedBy: "--profile", stream });
  } else {
    const resolved = await resolveWatchTarget(target ?? ".", profileArg ? await resolveProfileArg(profileArg) : undefined);
    session = new TraceSession({ id: randomUUID(), title: resolved.profile.title, kind: "live", profile: resolved.profile, root: resolved.root, clock: Date.now, spool: false, historyBytes, detectedBy: resolved.detectedBy });
  }
  if (!json) process.stderr.write(`Watching ${terminalText(session.summary.target)} with profile ${terminalText(session.profile.id)}. Press Ctrl+C to stop.\n`);
  session.onObservations((items) => {
    const now = Date.now();
    const text = items.map((o) => (json ? terminalJson(watchLine(o, now)) : human(o))).join("\n");
    if (text) process.stdout.write(`${text}\n`);
  });
  await session.start();
  // Stuck instances (shared/trace/stuck.ts), checked every few seconds: a `stuck` warning once per instance per stay.
  const announced = new Set<string>();
  const checkStuck = (): void => {
    const now = Date.now();
    const { model } = session.snapshot();
    const items: WarningObservation[] = [];
    for (const s of stuckInstances(session.profile, model, now)) {
      const key = `${s.id}\u0000${model.instances[s.id]?.since ?? ""}`;
      if (announced.has(key)) continue;
      announced.add(key);
      items.push({ kind: "warning", code: "stuck", key: `stuck:${s.id}`, instance: s.id, message: stuckMessage(s), seq: 0, ts: new Date(now).toISOString(), tsFrom: "observed", source: {} });
    }
    const text = items.map((o) => (json ? terminalJson(watchLine(o, now)) : human(o))).join("\n");
    if (text) process.stdout.write(`${text}\n`);
  };
  checkStuck();
  const stuckTimer = setInterval(checkStuck, STUCK_CHECK_MS);
  // Watchers and timers do not keep the process alive on their own (they are unref'd for the app).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      clearInterval(keepAlive);
      clearInterval(stuckTimer);
      void session.close().then(resolve);
    };
    void inputEnded.then(() => {
      if (!json) process.stderr.write("End of standard input.\n");
      stop();
    });
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}


