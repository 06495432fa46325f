/**
 * The reproductions of issue 15 against `fsm-inspector serve` run as a user runs it (a real
 * process): each used to make it exit ("Unhandled 'error' event", URIError, ERR_INVALID_ARG_VALUE).
 * After every one, the same process is still running and answers a fresh client.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../helpers/cli";
import { rawGet } from "../helpers/raw-http";
import { frame, rawWs } from "../helpers/raw-ws";
import { connectClient } from "../helpers/ws-client";

let child: ChildProcess;
let output = "";
let port = 0;
let token = "";

beforeAll(async () => {
  child = spawn(process.execPath, [path.join(ROOT, "bin", "fsm-inspector.mjs"), "serve", "--no-demo"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const look = (): void => {
      const m = /serving on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(new URL(m[1]));
    };
    child.stdout?.on("data", look);
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  port = Number(url.port);
  token = url.searchParams.get("token") ?? "";
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
});

async function aliveAndAnswering(): Promise<void> {
  expect(child.exitCode, output).toBeNull();
  const client = await connectClient(port, token);
  expect(await client.call("getAppInfo")).toMatchObject({ ok: true, value: { mode: "serve" } });
  await client.close();
}

it.each([
  ["GET /%E0%A4%A?token=…", async () => expect((await rawGet(port, `/%E0%A4%A?token=${token}`)).status).toBe(400)],
  ["GET /%00?token=…", async () => expect((await rawGet(port, `/%00?token=${token}`)).status).toBe(400)],
  ["a WebSocket frame over 1 MB", async () => {
    const raw = await rawWs(port, `/ws?token=${token}`);
    raw.write(frame(0x1, Buffer.alloc(0), { length: 1024 * 1024 + 1 }));
    expect(await raw.closed).toBe(1009);
  }],
  ["a text frame with invalid UTF-8", async () => {
    const raw = await rawWs(port, `/ws?token=${token}`);
    raw.write(frame(0x1, Buffer.from([0xc3, 0x28])));
    expect(await raw.closed).toBe(1007);
  }],
  ["a close frame with code 999", async () => {
    const raw = await rawWs(port, `/ws?token=${token}`);
    raw.write(frame(0x8, Buffer.from([0x03, 0xe7])));
    expect(await raw.closed).toBe(1002);
  }],
])("%s: the serve process survives and keeps answering", async (_label, abuse) => {
  await abuse();
  await aliveAndAnswering();
});

it("nothing went unhandled in the process", () => {
  expect(output).not.toMatch(/Unhandled|URIError|ERR_INVALID_ARG_VALUE|at .*server\.ts/);
});
