import { spawn } from "node:child_process";

/** Open a URL in the user's default browser; failures are reported, never thrown. */
export function openInBrowser(url: string): void {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "cmd" : "xdg-open";
  const args = process.platform === "win32" ? ["/c", "start", "", url] : [url];
  const child = spawn(cmd, args, { stdio: "ignore", detached: true });
  child.on("error", () => process.stderr.write(`Could not open a browser (${cmd}); open the URL yourself.\n`));
  child.unref();
}
