/**
 * Serve mode's download of a session as a recording (GET /api/recording), against a real backend
 * behind a real server: with this run's token it streams the live demo as a gzip recording named
 * after the session, redacted when asked, which the backend reopens; without the token, with
 * another Host, for a session that is not open or with a malformed query it answers a 4xx status
 * with a JSON {code, message, hint}.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createBackend, type Backend } from "../../electron/node/backend";
import { sourceDemoLauncher } from "../../electron/node/cli/paths";
import { serve, type RunningServer } from "../../electron/node/server/server";
import type { IndexProgress } from "../../shared/ipc/replay";
import type { SessionSnapshot } from "../../shared/ipc/views";
import type { RecordingHeader } from "../../shared/recording/format";
import { tempDir, waitFor } from "../helpers/tmp";

const running: { server: RunningServer; backend: Backend }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.server.close();
    await r.backend.dispose();
  }
});

async function start(): Promise<{ server: RunningServer; backend: Backend; progress: Map<string, IndexProgress> }> {
  const backend = createBackend({ mode: "serve", version: "test", demo: { launcher: sourceDemoLauncher(), minMs: 30, maxMs: 60 }, cacheDir: tempDir(), configDir: tempDir() });
  const progress = new Map<string, IndexProgress>();
  backend.subscribe("indexProgress", (p) => progress.set(p.sessionId, p));
  const server = await serve({ backend, rendererDir: tempDir() });
  running.push({ server, backend });
  return { server, backend, progress };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, target: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: target, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

const json = (r: Reply): { code: string; message: string; hint?: string } => JSON.parse(r.body.toString("utf8")) as { code: string; message: string; hint?: string };

describe("GET /api/recording", () => {
  it("streams a live session as a recording with the token, redacted when asked, and it reopens", async () => {
    const { server, backend, progress } = await start();
    const demo = await backend.handlers.openDemo(null);
    await waitFor(() => ((backend.handlers.getSession({ sessionId: demo.id }) as SessionSnapshot).model.totals.transitions >= 10 ? true : undefined), "10 transitions", 30_000);
    const auth = { authorization: `Bearer ${server.token}` };

    const plain = await get(server.port, `/api/recording?session=${demo.id}`, auth);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-type"]).toBe("application/gzip");
    expect(plain.headers["content-disposition"]).toBe('attachment; filename="Demo-simulated-iai-mcp-daemon.fsmrec"');
    expect(plain.headers["cache-control"]).toBe("no-store");
    const lines = gunzipSync(plain.body).toString("utf8").trim().split("\n");
    const header = JSON.parse(lines[0] as string) as RecordingHeader;
    expect(header).toMatchObject({ format: "fsm-inspector-recording", version: 1, session: { kind: "demo", target: backend.demoFolder() }, redacted: { paths: false, hosts: false, sensitive: false } });
    expect(JSON.parse(lines[lines.length - 1] as string)).toEqual({ end: true, observations: lines.length - 2 });
    expect(lines.length - 2).toBeGreaterThanOrEqual(10);

    const redacted = await get(server.port, `/api/recording?session=${demo.id}&paths=1&hosts=1&sensitive=1`, auth);
    expect(redacted.status).toBe(200);
    const text = gunzipSync(redacted.body).toString("utf8");
    const folder = backend.demoFolder() as string;
    expect(text).not.toContain(folder);
    expect(text).not.toContain(path.dirname(folder));
    expect((JSON.parse(text.slice(0, text.indexOf("\n"))) as RecordingHeader).redacted).toEqual({ paths: true, hosts: true, sensitive: true });

    // What was downloaded opens as a recording.
    const file = path.join(tempDir(), redacted.headers["content-disposition"]?.match(/filename="(.+)"/)?.[1] ?? "x.fsmrec");
    fs.writeFileSync(file, redacted.body);
    const reopened = await backend.handlers.openLog({ path: file });
    const done = await waitFor(() => {
      const p = progress.get(reopened.id);
      return p && p.state !== "indexing" ? p : undefined;
    }, "indexing", 30_000);
    expect(done).toMatchObject({ state: "done", badLines: 0 });
    expect(done.observations).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it("answers a 4xx status with {code, message, hint} for a request it cannot serve", async () => {
    const { server, backend } = await start();
    const dir = tempDir();
    const log = path.join(dir, "lifecycle-events-2026-06-10.jsonl");
    fs.writeFileSync(log, `${JSON.stringify({ ts: "2026-06-10T00:00:00Z", event: "state_transition", from: "WAKE", to: "DROWSY", trigger: "idle_5min" })}\n`);
    const opened = await backend.handlers.openLog({ path: log });
    const auth = { authorization: `Bearer ${server.token}` };
    const target = `/api/recording?session=${opened.id}`;

    const noToken = await get(server.port, target, {});
    expect(noToken.status).toBe(403);
    expect(noToken.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(json(noToken)).toEqual({ code: "forbidden", message: "missing token.", hint: expect.stringContaining("token") as string });
    const wrong = await get(server.port, target, { authorization: "Bearer not-the-token" });
    expect([wrong.status, json(wrong).message]).toEqual([403, "wrong token."]);
    const otherHost = await get(server.port, target, { ...auth, host: "evil.example:80" });
    expect(otherHost.status).toBe(403);
    expect(json(otherHost).message).toMatch(/Host header "evil.example:80" is not this server/);
    const otherOrigin = await get(server.port, target, { ...auth, origin: "http://localhost:1" });
    expect(otherOrigin.status).toBe(403);

    const cases: [string, number, string, RegExp][] = [
      ["/api/recording?session=no-such-session", 404, "no-session", /No open session with id no-such-session/],
      ["/api/recording", 400, "bad-request", /Which session\?/],
      [`${target}&paths=yes`, 400, "bad-request", /"paths" must be 1 or 0, got "yes"/],
      [`${target}&hosts=1&hosts=0`, 400, "bad-request", /"hosts" is given 2 times/],
      [`${target}&colour=blue`, 400, "bad-request", /Unknown parameter "colour"/],
    ];
    for (const [url, status, code, message] of cases) {
      const r = await get(server.port, url, auth);
      expect(r.status, url).toBe(status);
      const body = json(r);
      expect(body.code, url).toBe(code);
      expect(body.message, url).toMatch(message);
    }
    // And the same session with the token: a recording.
    const ok = await get(server.port, target, auth);
    expect(ok.status).toBe(200);
    expect(gunzipSync(ok.body).toString("utf8").trim().split("\n")).toHaveLength(3);
  }, 60_000);
});
