/**
 * The request target of an HTTP request (`/path?query`), parsed without ever throwing: a target
 * that is not origin-form, too long, badly percent-encoded, or that decodes to NUL, control
 * characters, backslashes or `..` segments is refused with the status to answer.
 */

/** Longer request targets are refused (the app's own URLs are a few dozen characters). */
export const MAX_TARGET_LENGTH = 2048;

export type Target = { ok: true; pathname: string; query: URLSearchParams } | { ok: false; status: 400 | 403 | 414; reason: string };

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function parseTarget(url: string | undefined): Target {
  const target = url ?? "";
  if (target.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, reason: `the URL is longer than ${MAX_TARGET_LENGTH} characters` };
  // Origin-form only: "/path?query". Not "*", not "http://host/path", not "//host/path".
  if (!target.startsWith("/") || target.startsWith("//")) return { ok: false, status: 400, reason: "the request target must be a path" };
  const q = target.indexOf("?");
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? "" : target.slice(q + 1);
  const pathname = decode(rawPath);
  if (pathname === undefined) return { ok: false, status: 400, reason: "the path is not valid percent-encoding" };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(pathname)) return { ok: false, status: 400, reason: "the path holds a control character or a backslash" };
  if (pathname.split("/").some((seg) => seg === ".." || seg === ".")) return { ok: false, status: 403, reason: "the path leaves the app folder" };
  // URLSearchParams never throws: malformed escapes are kept as they are.
  return { ok: true, pathname, query: new URLSearchParams(rawQuery) };
}
