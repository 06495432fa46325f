import fs from "node:fs";
import path from "node:path";
import { startDemo } from "../demo/launcher";
import { flagString, UsageError, type ParsedArgs } from "./args";
import { sourceDemoLauncher } from "./paths";

export async function runDemo(args: ParsedArgs): Promise<number> {
  const dirFlag = flagString(args, "dir");
  const interval = flagString(args, "interval") ?? "1000:2000";
  const m = /^(\d+):(\d+)$/.exec(interval);
  if (!m) throw new UsageError(`--interval must look like 1000:2000, got "${interval}"`);
  const opts: Parameters<typeof startDemo>[0] = { launcher: sourceDemoLauncher(), minMs: Number(m[1]), maxMs: Number(m[2]) };
  if (dirFlag) {
    fs.mkdirSync(dirFlag, { recursive: true });
    opts.dir = path.resolve(dirFlag);
  }
  const demo = await startDemo(opts);
  process.stdout.write(`Demo daemon (pid ${demo.pid}) writing to ${demo.dir}. Press Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => void demo.stop().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
