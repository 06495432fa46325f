import { describe, expect, it } from "vitest";
import { APP_CSP, secureWebPreferences } from "../../electron/main/security";

describe("Electron window settings", () => {
  it("isolates and sandboxes the renderer, without Node", () => {
    expect(secureWebPreferences("/x/preload.cjs")).toMatchObject({
      preload: "/x/preload.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it("has a strict CSP: own origin only, no eval, no inline scripts, no remote hosts", () => {
    expect(APP_CSP).toContain("default-src 'self'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });
});
