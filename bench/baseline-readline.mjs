// The least a JSONL reader can do: read the file line by line (node:readline) and JSON.parse each
// line. The baseline of check.cli.1m; prints the number of lines with "from" and "to" fields.
import fs from "node:fs";
import readline from "node:readline";

const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2]), crlfDelay: Infinity });
let transitions = 0;
for await (const line of rl) {
  if (line === "") continue;
  const o = JSON.parse(line);
  if (o.event === "state_transition" && typeof o.from === "string" && typeof o.to === "string") transitions++;
}
process.stdout.write(`${transitions}\n`);
