/** The bundled command line's entry point (scripts/cli-bundle.mjs): run and exit with its code. */
import { main } from "./main";

process.exitCode = await main(process.argv.slice(2));
