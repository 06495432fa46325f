/**
 * The window's security settings and guards (see SECURITY.md for the checklist).
 */
import type { BrowserWindowConstructorOptions, WebContents } from "electron";
import { contentSecurityPolicy } from "../../shared/ipc/csp";
import { APP_ORIGIN, isTrustedSenderUrl } from "../../shared/ipc/sender";

/** Served with every app:// response (the page also carries it as a meta tag). */
export const APP_CSP = contentSecurityPolicy();

export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions["webPreferences"]> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** No navigation away from the app, no new windows, no webviews, no permissions. */
export function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
  contents.on("will-navigate", (event, url) => {
    if (!isTrustedSenderUrl(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isTrustedSenderUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export const APP_URL = `${APP_ORIGIN}/index.html`;
