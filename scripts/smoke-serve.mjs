// First-run check (CI): after a plain `npm install`, `npm run serve` starts and its page answers
// with the token it printed — on a machine where Electron's binary could not be downloaded.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const child = spawn(npm, ["run", "serve", "--", "--no-demo"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
let out = "";
child.stdout.on("data", (d) => (out += d));
child.stderr.on("data", (d) => (out += d));

const fail = (why) => {
  process.stderr.write(`smoke-serve: ${why}\n--- output of npm run serve ---\n${out}\n`);
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
  process.exit(1);
};
const timer = setTimeout(() => fail("npm run serve printed no URL within 180 s"), 180_000);
child.on("exit", (code) => fail(`npm run serve exited with ${code}`));

const url = await new Promise((resolve) => {
  const look = () => {
    const m = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))/.exec(out);
    if (m) resolve({ page: m[1], token: m[2], origin: new URL(m[1]).origin });
  };
  child.stdout.on("data", look);
});
clearTimeout(timer);

const page = await fetch(url.page);
const html = await page.text();
if (page.status !== 200 || !html.includes('id="root"')) fail(`the page answered ${page.status} without the app`);
const allowed = await fetch(`${url.origin}/api/access`, { headers: { authorization: `Bearer ${url.token}` } });
const refused = await fetch(`${url.origin}/api/access`);
if (allowed.status !== 204 || refused.status !== 403) fail(`/api/access answered ${allowed.status} with the token and ${refused.status} without (expected 204 and 403)`);
process.stdout.write(`smoke-serve: ${url.origin} serves the app, and data only with its token.\n`);
child.removeAllListeners("exit");
process.kill(-child.pid, "SIGTERM");
process.exit(0);
