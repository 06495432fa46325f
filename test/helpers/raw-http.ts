/**
 * HTTP/1.1 by hand on a raw socket: the request line and headers go out exactly as written (no
 * client normalises `..`, backslashes or bad escapes away), and the status line comes back.
 */
import net from "node:net";

export interface RawReply {
  /** 0 when the server closed without an HTTP answer. */
  status: number;
  head: string;
  body: string;
}

/**
 * Send `request` and collect everything until the server closes. With `halfClose`, our side is
 * closed after sending (for requests the server would otherwise wait on for more bytes).
 */
export function rawHttp(port: number, request: string | Buffer, halfClose = false): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", () => {});
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const head = end < 0 ? text : text.slice(0, end);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: end < 0 ? "" : text.slice(end + 4) });
    });
    if (halfClose) socket.end(request);
    else socket.write(request);
  });
}

/** A GET of `target` exactly as given, with our Host and `Connection: close`. */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}): Promise<RawReply> {
  const lines = [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Connection: close", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return rawHttp(port, `${lines.join("\r\n")}\r\n\r\n`);
}
