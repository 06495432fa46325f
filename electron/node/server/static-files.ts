/**
 * The static app shell (index.html and its assets, from the built renderer folder). It holds no
 * data, so it needs no token; the caller has checked Host and Origin. Only regular files inside
 * the folder are served; every failure is a plain status, never an exception.
 */
import type http from "node:http";
import fs from "node:fs/promises";
import path from "node:path";
import { baseHeaders, servedContentSecurityPolicy } from "./security";

const TYPES = new Map<string, string>([
  [".html", "text/html; charset=utf-8"],
  [".js", "text/javascript; charset=utf-8"],
  [".mjs", "text/javascript; charset=utf-8"],
  [".css", "text/css; charset=utf-8"],
  [".json", "application/json"],
  [".svg", "image/svg+xml"],
  [".png", "image/png"],
  [".ico", "image/x-icon"],
  [".woff2", "font/woff2"],
  [".map", "application/json"],
]);

/** The file under `root` that `pathname` names, or undefined when it would be outside it. */
export function fileFor(root: string, pathname: string): string | undefined {
  const rel = pathname === "/" ? "index.html" : pathname.replace(/^\/+/, "");
  const file = path.resolve(root, rel);
  return file.startsWith(root + path.sep) ? file : undefined;
}

export function plain(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...baseHeaders(), "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`${text}\n`);
}

export async function sendStatic(res: http.ServerResponse, root: string, pathname: string, port: number, head: boolean): Promise<void> {
  const file = fileFor(root, pathname);
  if (!file) return plain(res, 403, "403 Forbidden: path outside the app.");
  let data: Buffer;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return plain(res, 404, "404 Not Found");
    data = await fs.readFile(file);
  } catch {
    return plain(res, 404, "404 Not Found");
  }
  if (res.destroyed) return;
  res.writeHead(200, {
    ...baseHeaders(),
    "content-type": TYPES.get(path.extname(file)) ?? "application/octet-stream",
    "content-length": String(data.length),
    "content-security-policy": servedContentSecurityPolicy(port),
    "cross-origin-opener-policy": "same-origin",
    "cache-control": path.basename(file) === "index.html" ? "no-store" : "private, max-age=3600",
  });
  res.end(head ? undefined : data);
}
