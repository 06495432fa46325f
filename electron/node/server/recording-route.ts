/**
 * Serve mode's "Save recording…": `GET /api/recording?session=<id>&paths=1&hosts=1&sensitive=1`
 * streams the session as a recording file, as a download named after the session. The server has
 * already checked Host, Origin and the token (like every /api/ route). A request that cannot be
 * answered gets a 4xx status and a JSON body {code, message, hint}.
 */
import type http from "node:http";
import { toUserFacing } from "../../../shared/errors";
import type { RedactOptions } from "../../../shared/ipc/replay";
import type { UserFacingError } from "../../../shared/errors";
import type { Backend } from "../backend";
import { baseHeaders } from "./security";

export const RECORDING_ROUTE = "/api/recording";
const FLAGS = ["paths", "hosts", "sensitive"] as const;
const KNOWN = new Set<string>(["session", "token", ...FLAGS]);

/** A JSON error: what went wrong and what to do. */
export function sendJsonError(res: http.ServerResponse, status: number, e: UserFacingError): void {
  const body: { code: string; message: string; hint?: string } = { code: e.code, message: e.message };
  if (e.hint !== undefined) body.hint = e.hint;
  res.writeHead(status, { ...baseHeaders(), "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(`${JSON.stringify(body)}\n`);
}

function badRequest(message: string): UserFacingError {
  return { code: "bad-request", message, hint: `Ask for ${RECORDING_ROUTE}?session=<id>, adding paths=1, hosts=1 or sensitive=1 to redact.` };
}

/** The session and redaction a request asks for, or what is wrong with it. */
export function parseRecordingQuery(query: URLSearchParams): { sessionId: string; redact: RedactOptions } | { error: UserFacingError } {
  for (const key of query.keys()) if (!KNOWN.has(key)) return { error: badRequest(`Unknown parameter "${key.slice(0, 40)}".`) };
  const sessions = query.getAll("session");
  const sessionId = sessions[0];
  if (sessions.length !== 1 || sessionId === undefined || sessionId === "") return { error: badRequest("Which session? Give exactly one session=<id> (the id of an open session).") };
  if (sessionId.length > 200) return { error: badRequest("The session id is too long.") };
  const redact: RedactOptions = {};
  for (const flag of FLAGS) {
    const values = query.getAll(flag);
    if (values.length > 1) return { error: badRequest(`"${flag}" is given ${values.length} times.`) };
    const v = values[0];
    if (v === undefined) continue;
    if (v === "1" || v === "true") redact[flag] = true;
    else if (v === "0" || v === "false") redact[flag] = false;
    else return { error: badRequest(`"${flag}" must be 1 or 0, got "${v.slice(0, 40)}".`) };
  }
  return { sessionId, redact };
}

/** Answers the route: the recording as a download, or a JSON error. */
export async function sendRecording(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams, backend: Backend): Promise<void> {
  const asked = parseRecordingQuery(query);
  if ("error" in asked) return sendJsonError(res, 400, asked.error);
  let prepared;
  try {
    prepared = await backend.recording(asked.sessionId, asked.redact);
  } catch (err) {
    const e = toUserFacing(err);
    return sendJsonError(res, e.code === "no-session" ? 404 : e.code === "internal" ? 500 : 409, e);
  }
  res.writeHead(200, {
    ...baseHeaders(),
    "content-type": "application/gzip",
    "content-disposition": `attachment; filename="${prepared.fileName}"`,
    "cache-control": "no-store",
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  try {
    await prepared.write(res);
  } catch {
    // The client went away, or reading failed half-way: the download is cut short, never passed off as whole.
    res.destroy();
  }
}
