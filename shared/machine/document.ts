import type { Diagnostic, Locate } from "./diagnostics";
import { parseJsonTree } from "./formats/json-tree";
import { parseYamlTree } from "./formats/yaml-tree";
import { checkText, stripBom } from "./formats/text-checks";

export type DocumentFormat = "json" | "yaml";

/** A JSON or YAML text read for a machine or profile: the value, where each node is, what is wrong. */
export interface ParsedDocument {
  format: DocumentFormat;
  /** Absent when the text could not be read at all (syntax error, empty, binary). */
  value?: unknown;
  /** Line and column of the node at a JSON pointer: an object member's key, an array item, "" the root. */
  locate: Locate;
  diagnostics: Diagnostic[];
}

/** The format from the file name (.json, .yaml, .yml); otherwise JSON when the text starts with { or [. */
export function documentFormat(text: string, file: string): DocumentFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return /^\s*[{[]/.test(stripBom(text)) ? "json" : "yaml";
}

/**
 * Parse a machine definition or profile written as JSON or YAML. Reports, each with its line and
 * column: syntax errors, duplicate keys (a duplicate state would otherwise silently replace the
 * first), an empty file, a binary or non-UTF-8 file.
 */
export function parseDocument(text: string, file: string, format?: DocumentFormat): ParsedDocument {
  const fmt = format ?? documentFormat(text, file);
  const unreadable = checkText(text, file, "a machine definition or profile (JSON or YAML)");
  if (unreadable) return { format: fmt, locate: () => undefined, diagnostics: [unreadable] };
  const body = stripBom(text);
  const tree = fmt === "json" ? parseJsonTree(body, file) : parseYamlTree(body, file);
  const doc: ParsedDocument = { format: fmt, locate: (p) => tree.positions.get(p), diagnostics: tree.diagnostics };
  if ("value" in tree) doc.value = tree.value;
  return doc;
}
