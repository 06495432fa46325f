/**
 * Is an IPC message from our own page? Main calls this for every message (GitHub Desktop's
 * wrapper once had this check inverted; the tests call it with good and bad senders).
 */
export const APP_ORIGIN = "app://fsm";

export function isTrustedSenderUrl(url: string | undefined | null, appOrigin: string = APP_ORIGIN): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const expected = new URL(`${appOrigin}/`);
  return parsed.protocol === expected.protocol && parsed.host === expected.host && parsed.username === "" && parsed.password === "";
}
