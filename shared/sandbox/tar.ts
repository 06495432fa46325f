/**
 * A folder of small text files as one POSIX tar archive (ustar), so a browser can download a
 * snapshot export (ecluse, duckgres) as one file: `tar xf` gives the folder back. Pure.
 */
const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, size: number, mode: number, type: "0" | "5", mtimeSec: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const enc = new TextEncoder();
  const put = (text: string, at: number, max: number): void => {
    const bytes = enc.encode(text);
    if (bytes.length > max) throw new Error(`tar: the name ${name} is too long`);
    h.set(bytes, at);
  };
  put(name, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtimeSec, 12), 136, 12);
  put("        ", 148, 8);
  put(type, 156, 1);
  put("ustar\u000000", 257, 8);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return h;
}

/** `folder/` and each file in it; names are plain file names (no slashes). */
export function tarFolder(folder: string, files: readonly { name: string; text: string }[], mtimeMs: number): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const mtime = Math.floor(mtimeMs / 1000);
  const parts: Uint8Array[] = [header(`${folder}/`, 0, 0o755, "5", mtime)];
  for (const f of files) {
    if (f.name.includes("/") || f.name === "" || f.name === "." || f.name === "..") throw new Error(`tar: ${JSON.stringify(f.name)} is not a plain file name`);
    const body = enc.encode(f.text);
    parts.push(header(`${folder}/${f.name}`, body.length, 0o644, "0", mtime), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
