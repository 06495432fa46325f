#!/usr/bin/env node
// FSM Inspector's command line. Runs the TypeScript sources through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../electron/node/cli/main.ts");
const code = await main(process.argv.slice(2));
process.exitCode = code;
