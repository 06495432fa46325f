/**
 * Writes a check report as JSON a piece at a time (one transition or event per line), so a
 * million-transition report never becomes one giant string. The document is the same as
 * JSON.stringify(report) would give, only laid out differently.
 */
import type { Writable } from "node:stream";
import { terminalJson } from "../../../shared/terminal-text";
import type { CheckInstance, CheckReport } from "./report";

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
}

async function writeArray(out: Writable, items: readonly unknown[], indent: string): Promise<void> {
  if (items.length === 0) return write(out, "[]");
  await write(out, "[\n");
  let chunk = "";
  for (let i = 0; i < items.length; i++) {
    chunk += `${indent}  ${terminalJson(items[i])}${i < items.length - 1 ? "," : ""}\n`;
    if (chunk.length > 64 * 1024) {
      await write(out, chunk);
      chunk = "";
    }
  }
  await write(out, `${chunk}${indent}]`);
}

async function writeInstance(out: Writable, inst: CheckInstance): Promise<void> {
  const { transitions, events, ...rest } = inst;
  const head = terminalJson(rest, 2).slice(0, -2).replace(/\n/g, "\n    ");
  await write(out, `    ${head},\n      "transitions": `);
  await writeArray(out, transitions, "      ");
  await write(out, `,\n      "events": `);
  await writeArray(out, events, "      ");
  await write(out, "\n    }");
}

export async function writeReportJson(report: CheckReport, out: Writable): Promise<void> {
  const { instances, ...rest } = report;
  const head = terminalJson(rest, 2).slice(0, -2);
  await write(out, `${head},\n  "instances": [\n`);
  for (let i = 0; i < instances.length; i++) {
    await writeInstance(out, instances[i] as CheckInstance);
    await write(out, i < instances.length - 1 ? ",\n" : "\n");
  }
  await write(out, "  ]\n}\n");
}
