/**
 * A WebSocket client written by hand on a raw TCP socket, to send what a well-behaved library
 * refuses to: frames over the size limit, invalid UTF-8, close codes that do not exist, unmasked
 * frames. It reads the server's close frame back so a test can check the code it closed with.
 */
import net from "node:net";
import crypto from "node:crypto";

export interface RawWs {
  /** Write bytes as they are. */
  write(bytes: Buffer): void;
  /** A client frame (masked unless told otherwise). `length` overrides the payload length written in the header. */
  frame(opcode: number, payload: Buffer, opts?: { fin?: boolean; mask?: boolean; rsv?: number; length?: number }): Buffer;
  /** Resolves with the server's close code (or null when the socket ended without a close frame). */
  closed: Promise<number | null>;
  /** Stop reading: what the server sends piles up in the kernel's buffers, then in the server. */
  pause(): void;
  destroy(): void;
}

export function frame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: boolean; rsv?: number; length?: number } = {}): Buffer {
  const fin = opts.fin ?? true;
  const masked = opts.mask ?? true;
  const len = opts.length ?? payload.length;
  const first = (fin ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode;
  let header: Buffer;
  if (len < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = crypto.randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([header, key, body]);
}

/** Open a WebSocket on `port` at `pathAndQuery` by hand; resolves after the 101 answer. */
export function rawWs(port: number, pathAndQuery: string): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let closeCode: number | null = null;
    let resolveClosed: (c: number | null) => void = () => {};
    const closed = new Promise<number | null>((r) => (resolveClosed = r));
    socket.on("error", () => {});
    socket.on("close", () => {
      if (!upgraded) reject(new Error(`no 101 answer: ${buf.toString("latin1").split("\r\n")[0] ?? ""}`));
      resolveClosed(closeCode);
    });
    socket.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1");
        buf = buf.subarray(end + 4);
        if (!/^HTTP\/1\.1 101/.test(head)) {
          socket.destroy();
          reject(new Error(`no 101 answer: ${head.split("\r\n")[0] ?? ""}`));
          return;
        }
        upgraded = true;
        resolve({ write: (b) => socket.write(b), frame, closed, pause: () => socket.pause(), destroy: () => socket.destroy() });
      }
      // Server frames are unmasked; find a close frame (opcode 8) among them.
      while (buf.length >= 2) {
        const op = (buf[0] ?? 0) & 0x0f;
        let len = (buf[1] ?? 0) & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        if (op === 8 && closeCode === null) closeCode = len >= 2 ? buf.readUInt16BE(off) : 1005;
        buf = buf.subarray(off + len);
      }
    });
    socket.write(
      `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}
