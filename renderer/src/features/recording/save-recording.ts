/**
 * Saving a session as a recording file: the desktop app asks where (its native save dialog) and
 * the backend writes it; in a browser the page downloads it from serve mode's /api/recording route
 * with its token, and the browser saves it as any download.
 */
import type { FsmApi } from "../../../../shared/ipc/contract";
import { FsmError } from "../../../../shared/errors";
import type { RedactOptions } from "../../../../shared/ipc/replay";
import { recordingFileName } from "../../../../shared/recording/format";

export { recordingFileName };

/** The file name the server gave the download (it knows what was redacted from the title). */
function nameFromHeader(res: Response): string | undefined {
  const m = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "");
  return m?.[1];
}

/** The download route of serve mode, with the redaction choices. */
export function recordingUrl(sessionId: string, redact: RedactOptions): string {
  const q = new URLSearchParams({ session: sessionId });
  if (redact.paths) q.set("paths", "1");
  if (redact.hosts) q.set("hosts", "1");
  if (redact.sensitive) q.set("sensitive", "1");
  return `/api/recording?${q.toString()}`;
}

const HINTS: ReadonlyMap<number, string> = new Map([
  [403, "The server refused this page's access token: open the URL printed by fsm-inspector serve again, then save."],
  [404, "The session may have been closed, or this server cannot save recordings (an older fsm-inspector): restart it with npm run serve."],
  [413, "The recording is larger than the server sends; save it from the desktop app or with the command line."],
]);

/** Why the server did not send the recording: its own words ({code, message, hint} as JSON), else the status. */
async function refusal(res: Response): Promise<FsmError> {
  const body = (await res.text().catch(() => "")).trim();
  try {
    const e = JSON.parse(body) as { code?: unknown; message?: unknown; hint?: unknown };
    if (typeof e.message === "string") {
      return new FsmError({ code: typeof e.code === "string" ? e.code : "save-failed", message: `The recording could not be made: ${e.message}`, ...(typeof e.hint === "string" ? { hint: e.hint } : HINTS.has(res.status) ? { hint: HINTS.get(res.status) as string } : {}) });
    }
  } catch {
    // not JSON: a plain refusal (403 from the token check) or a proxy's page
  }
  const text = body.slice(0, 300);
  return new FsmError({ code: "save-failed", message: `The server could not make the recording (${res.status}${text ? `: ${text}` : ""}).`, hint: HINTS.get(res.status) ?? "Try again; if it fails again, the server's output says why." });
}

/** Fetch a recording from serve mode and hand it to the browser as a download. */
export async function downloadRecording(opts: { sessionId: string; title: string; redact: RedactOptions; token: string | undefined; fetchImpl?: typeof fetch }): Promise<{ name: string; bytes: number }> {
  if (!opts.token) throw new FsmError({ code: "no-token", message: "This page holds no access token, so it cannot download the recording.", hint: "Open the URL printed by fsm-inspector serve, with its token." });
  const name = recordingFileName(opts.title);
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(recordingUrl(opts.sessionId, opts.redact), { headers: { authorization: `Bearer ${opts.token}` }, cache: "no-store" });
  } catch (err) {
    throw new FsmError({ code: "save-failed", message: `The recording could not be downloaded: ${err instanceof Error ? err.message : String(err)}.`, hint: "Check that fsm-inspector serve is still running, then try again." });
  }
  if (!res.ok) throw await refusal(res);
  const blob = await res.blob();
  const given = nameFromHeader(res) ?? name;
  triggerDownload(blob, given);
  return { name: given, bytes: blob.size };
}

/** Let the browser save a blob under a name (a link with `download`, clicked once). */
export function triggerDownload(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started by now; the blob is released a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The desktop app: the native save dialog, then the backend writes the file. Null when cancelled. */
export async function saveRecordingAs(api: FsmApi, sessionId: string, title: string, redact: RedactOptions): Promise<{ path: string; bytes: number; observations: number } | null> {
  const path = await api.pickSaveFile({ suggestedName: recordingFileName(title) });
  if (!path) return null;
  return api.saveRecording({ sessionId, path, redact });
}
