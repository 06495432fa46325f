import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { test } from "@playwright/test";

export interface ServedApp {
  /** The URL serve printed: the app, with this run's token (`?token=`). */
  url: string;
  /** The server's origin, `http://127.0.0.1:PORT`, and its parts. */
  origin: string;
  port: number;
  token: string;
  /** The demo's data folder (like ~/.iai-mcp). */
  demoDir: string;
  /** This server's config folder (recently opened targets, preferences). */
  configDir: string;
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "..");

/** Start `fsm-inspector serve` as a user would, and read the URL it prints. */
export async function startServe(extraArgs: string[] = []): Promise<ServedApp> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fsm-e2e-"));
  const demoDir = path.join(tmp, ".iai-mcp");
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "bin/fsm-inspector.mjs"), "serve", "--demo-dir", demoDir, ...extraArgs], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    // Layouts and the recently opened targets are kept in this run's own folders, not the user's.
    env: { ...process.env, FSM_INSPECTOR_CACHE_DIR: path.join(tmp, "cache"), FSM_INSPECTOR_CONFIG_DIR: path.join(tmp, "config") },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get("token") ?? "",
    demoDir,
    configDir: path.join(tmp, "config"),
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

type PlaywrightTest = typeof test;

/**
 * When a test of this file fails, print what a person would need to see why — the page as its
 * accessibility tree, what the page logged and threw, and the end of the server's output — to
 * the run's output (a CI log keeps no screenshots or traces).
 */
export function printOnFailure(test: PlaywrightTest, app: () => ServedApp | undefined): void {
  const logged = new Map<object, string[]>();
  test.beforeEach(({ page }) => {
    const lines: string[] = [];
    logged.set(page, lines);
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") lines.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => lines.push(`page error: ${e.message}`));
    page.on("crash", () => lines.push("the page crashed"));
    page.on("websocket", (ws) => ws.on("close", () => lines.push(`WebSocket closed at ${new Date().toISOString()}`)));
  });
  test.afterEach(async ({ page }, info) => {
    const lines = logged.get(page) ?? [];
    logged.delete(page);
    if (info.status === info.expectedStatus) return;
    const snapshot = await page
      .locator("body")
      .ariaSnapshot({ timeout: 5000 })
      .catch((e: unknown) => `(no snapshot: ${String(e)})`);
    const server = (app()?.output() ?? "").split("\n").slice(-40).join("\n");
    console.log(
      [
        `── why "${info.title}" failed (attempt ${info.retry + 1}) ──`,
        "the page:",
        snapshot.split("\n").slice(0, 120).join("\n"),
        "the page's errors:",
        lines.slice(-40).join("\n") || "(none)",
        "the server's last lines:",
        server || "(none)",
        "──",
      ].join("\n"),
    );
  });
}
