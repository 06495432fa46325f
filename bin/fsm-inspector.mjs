#!/usr/bin/env node
// FSM Inspector's command line. Runs the prebuilt bundle in dist/cli (built by `npm install`, or
// here on first run, and again whenever the sources change); when it cannot be built, runs the
// TypeScript sources through tsx instead.
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import { buildCli, bundleEntry } from "../scripts/cli-bundle.mjs";

let entry = bundleEntry();
if (!fs.existsSync(entry)) {
  try {
    entry = await buildCli();
  } catch {
    entry = undefined;
  }
}
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../electron/node/cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
