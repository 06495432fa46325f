import type { Diagnostic, Position } from "../diagnostics";

/** Deepest nesting of lists and objects read (a machine is 6 or 7 levels deep). */
export const MAX_DEPTH = 200;

/**
 * Most values (objects, lists, scalars, keys) a document may hold once YAML aliases are expanded:
 * a machine at validation's limit of 50,000 transitions needs about 300,000. A few kilobytes of
 * aliases can otherwise stand for millions of values.
 */
export const MAX_DOCUMENT_NODES = 500_000;

/** A parsed JSON or YAML text: its value, where each node was written, and what was wrong. */
export interface SourceTree {
  value?: unknown;
  /**
   * JSON pointer → position: of the member's key for an object member (the line that names it),
   * of the item for an array item, of the value for the root ("").
   */
  positions: Map<string, Position>;
  diagnostics: Diagnostic[];
}

/**
 * A key written twice in one object. JSON.parse and YAML loaders keep only the last one, so a
 * state or event defined twice would silently lose the first definition: always an error.
 */
export function duplicateKey(file: string, parentPath: string, path: string, key: string, first: Position, second: Position): Diagnostic {
  const d: Diagnostic = { severity: "error", file, line: second.line, column: second.column, path, message: "", hint: "" };
  const firstAt = `first at line ${first.line}`;
  if (parentPath.endsWith("/states")) {
    d.message = `duplicate state "${key}" (${firstAt}): only the second definition would be kept, the first would be silently lost`;
    d.hint = "Rename one of them, or merge their transitions into one state.";
  } else if (parentPath.endsWith("/on")) {
    d.message = `duplicate event "${key}" in the same "on" (${firstAt}): only the second would be kept`;
    d.hint = `Merge them into one list, "${key}": [ {...}, {...} ]; the first enabled transition is taken.`;
  } else {
    d.message = `duplicate key "${key}" in ${parentPath === "" ? "the top-level object" : parentPath} (${firstAt}): only the second would be kept`;
    d.hint = "Remove or rename one of them.";
  }
  return d;
}

/** Forget positions under `path` (a duplicate key's second value replaces the first). */
export function dropPositionsUnder(positions: Map<string, Position>, path: string): void {
  const prefix = `${path}/`;
  for (const key of [...positions.keys()]) if (key.startsWith(prefix)) positions.delete(key);
}
