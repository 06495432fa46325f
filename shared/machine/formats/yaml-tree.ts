import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { MAX_DIAGNOSTICS, pointer, type Diagnostic, type Position } from "../diagnostics";
import { MAX_DEPTH, MAX_DOCUMENT_NODES, dropPositionsUnder, duplicateKey, type SourceTree } from "./source-tree";
import { expandedSize, flowDepth } from "./yaml-size";

/**
 * YAML 1.2 (anchors, aliases and `<<` merge keys allowed) with the position of every member and
 * duplicate keys reported with the line of the second occurrence.
 */
export function parseYamlTree(text: string, file: string): SourceTree {
  try {
    return readYaml(text, file);
  } catch (e) {
    // Block nesting thousands of levels deep can still exhaust the call stack.
    if (!(e instanceof RangeError)) throw e;
    return { positions: new Map(), diagnostics: [{ severity: "error", file, path: "", message: "invalid YAML: the document is nested too deeply to read", hint: "A machine or profile is a few levels deep: check that this is the right file." }] };
  }
}

function readYaml(text: string, file: string): SourceTree {
  const deep = flowDepth(text, MAX_DEPTH);
  if (deep !== undefined) {
    const at = new LineCounter();
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) at.addNewLine(i + 1);
    const p = at.linePos(deep);
    const message = `invalid YAML: [ and { are nested more than ${MAX_DEPTH} levels deep`;
    return { positions: new Map(), diagnostics: [{ severity: "error", file, line: p.line, column: p.col, path: "", message, hint: "A machine or profile is a few levels deep: check that this is the right file." }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, merge: true, logLevel: "error" });
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const diagnostics: Diagnostic[] = [];
  const problem = (severity: Diagnostic["severity"], offset: number, message: string, code: string): void => {
    diagnostics.push({ severity, file, ...at(offset), path: "", message: `${severity === "error" ? "invalid YAML" : "YAML"}: ${firstLine(message)}`, hint: yamlHint(code) });
  };
  for (const e of doc.errors.slice(0, MAX_DIAGNOSTICS)) problem("error", e.pos[0], e.message, e.code);
  for (const w of doc.warnings.slice(0, MAX_DIAGNOSTICS)) problem("warning", w.pos[0], w.message, w.code);
  const positions = new Map<string, Position>();
  if (doc.errors.length > 0) return { positions, diagnostics };
  if (doc.contents === null) {
    diagnostics.push({ severity: "error", file, path: "", message: "the file holds no YAML content, only comments or blank lines", hint: "Write the machine definition in it." });
    return { positions, diagnostics };
  }

  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      const seen = new Map<string, Position>();
      for (const pair of node.items) {
        const keyNode: unknown = pair.key;
        if (!isScalar(keyNode)) {
          const range = (keyNode as YamlNode | null)?.range;
          const message = "a key is a list or a map; keys must be plain names";
          diagnostics.push({ severity: "error", file, ...at(range?.[0] ?? node.range?.[0] ?? 0), path, message: `invalid YAML: ${message}`, hint: "Write the key as text, e.g. WAKE: or \"a b\":." });
          continue;
        }
        const key = String(keyNode.value);
        const keyAt = at(keyNode.range?.[0] ?? 0);
        const memberPath = pointer(path, key);
        const first = seen.get(key);
        // Past MAX_DIAGNOSTICS duplicates the file is refused anyway: stop listing (and rescanning positions).
        if (first && diagnostics.length < MAX_DIAGNOSTICS) {
          diagnostics.push(duplicateKey(file, path, memberPath, key, first, keyAt));
          dropPositionsUnder(positions, memberPath);
        }
        seen.set(key, keyAt);
        positions.set(memberPath, keyAt);
        walk(pair.value, memberPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item: unknown, i) => {
        const itemPath = pointer(path, i);
        const range = (item as YamlNode | null)?.range;
        if (range) positions.set(itemPath, at(range[0]));
        walk(item, itemPath);
      });
    }
  };
  const size = expandedSize(doc);
  if (size.nodes > MAX_DOCUMENT_NODES) {
    const n = Number.isFinite(size.nodes) ? thousands(size.nodes) : "endless";
    const message = size.aliases ? `the document expands to ${n} nodes through aliases; the limit is ${thousands(MAX_DOCUMENT_NODES)}` : `the document has ${n} nodes; the limit is ${thousands(MAX_DOCUMENT_NODES)}`;
    const hint = size.aliases ? "Use fewer aliases (*name) of large anchors (&name): a few kilobytes of YAML must not stand for millions of values." : "Check that it is the right file; split a machine this large into several.";
    diagnostics.push({ severity: "error", file, ...at(doc.contents.range[0]), path: "", message, hint });
    return { positions, diagnostics };
  }
  positions.set("", at(doc.contents.range[0]));
  walk(doc.contents, "");
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }), positions, diagnostics };
  } catch (e) {
    // Aliases are resolved here: one used before its anchor, or expanding without end.
    const message = e instanceof Error ? e.message : String(e);
    diagnostics.push({ severity: "error", file, ...at(doc.contents.range[0]), path: "", message: `invalid YAML: ${firstLine(message)}`, hint: "Define each anchor (&name) before its aliases (*name), and do not nest aliases without end." });
    return { positions, diagnostics };
  }
}

/** 1621800 → "1,621,800". */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "").replace(/\.$/, "");
}

function yamlHint(code: string): string {
  switch (code) {
    case "MULTIPLE_DOCS":
      return "Keep one document per file: remove the extra --- line and what follows, or move it to its own file.";
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return "Check the indentation (spaces, not tabs) and that every opened [ { or quote is closed.";
    case "TAB_AS_INDENT":
      return "Indent with spaces: YAML does not allow tabs for indentation.";
    case "DUPLICATE_KEY":
      return "Remove or rename one of them.";
    default:
      return "Check the quoting and indentation on this line; quote text that contains : # or starts with a special character.";
  }
}
